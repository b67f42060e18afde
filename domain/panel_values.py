"""Values of the panel's small records (seed 000): regions, mentors, and the limits."""

from __future__ import annotations

from enum import StrEnum

MAX_SUPPORT_MANAGERS_PER_REGION = 2  # seed 000: "Support Managers by region ... two per region"
MAX_GROUP_SESSION_SIZE = 4  # seed 000: "a small group support session of up to four Safeguarders"


class Region(StrEnum):
    EAST = "East"
    NORTH = "North"
    WEST = "West"


class MentorStage(StrEnum):
    RECRUITED = "recruited"
    TRAINED = "trained"
    ACCREDITED = "accredited"
    WITHDRAWN = "withdrawn"
