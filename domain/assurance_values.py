"""Values of the quarterly assurance cycle (seed 004, the five-step diagram) and its checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from domain.audit_values import ESCALATION_GROUP
from domain.errors import require

QUARTER = re.compile(r"[0-9]{4}Q[1-4]")
QUARTER_RULE = "A quarter is written as the year and quarter, e.g. 2026Q3"

__all__ = ["ESCALATION_GROUP", "QUARTER", "QUARTER_RULE", "Audience", "CycleStage", "Decision",
           "EvidenceKind", "check_not_published", "check_unique"]


class EvidenceKind(StrEnum):
    MEASURE = "measure"  # a scorecard measure's lead: data and narrative
    AGENCY = "agency"  # an agency named in the forward plan: its assurance report


class CycleStage(StrEnum):
    """The five steps: evidence due; sub-group discussion (then clarify and deep dive);
    partnership meeting; communicate and act."""

    EVIDENCE_DUE = "evidence_due"
    DISCUSSED = "discussed"
    DECIDED = "decided"
    PUBLISHED = "published"


class Decision(StrEnum):
    ACCEPTED = "accepted"
    AMENDED = "amended"
    REJECTED = "rejected"


class Audience(StrEnum):
    """Seed 004, step 5: "Final report sent to all SSCP Executive, other Boards and sub-group
    members"."""

    EXECUTIVE = "executive"
    OTHER_BOARDS = "other_boards"
    SUB_GROUP_MEMBERS = "sub_group_members"


def check_not_published(published: bool) -> None:
    """The record and its process refuse any change to a published cycle."""
    require(not published, "A published cycle takes no further changes")


def check_unique(keys: Iterable[str], what: str) -> None:
    listed = [k.strip().casefold() for k in keys]
    require(all(listed), f"Every {what} is named")
    require(len(set(listed)) == len(listed), f"A {what} is listed once")
