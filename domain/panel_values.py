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

MENTOR_TARGETS = {1: 6, 2: 12}
"""Seed 000, 'Peer Mentoring': "A minimum of six peer mentors will be recruited and trained in
the first year and this number will increase at least to 12 in the second year". Trained and
accredited mentors, by programme year; later years keep the second year's target."""


def mentor_target(programme_year: int) -> int:
    return MENTOR_TARGETS[min(programme_year, max(MENTOR_TARGETS))]
