"""What a replacement supervisor may see of the supervision held before they took over.

Seed 002 ("Practicalities"): a replacement supervisor has access to the previous six months of
supervision records (`Policy.replacement_supervisor_lookback`). The one definition, for a case
and for a supervision arrangement alike: the record's own state, its history, its chronology
and its RAG trend all ask `SupervisionView`, so no door shows what another hides.

A supervision record of a case is a discussion and everything that belongs to it: its
signatures, and the completion or overdue mark of an action it agreed. Of an arrangement, it is
a session and what belongs to it: its case-file audit and its confidentiality markings with
their reporting. Whether one is seen is decided by the discussion or session it belongs to
(held within the window or not), never by when the later step fell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.policy import DEFAULT_POLICY, Policy

SUPERVISION_EVENTS = frozenset({"DiscussionRecorded", "DiscussionSigned", "ActionCompleted",
                                "ActionMarkedOverdue"})
"""The events of a case that are supervision records, each belonging to one discussion."""

ARRANGEMENT_SUPERVISION_EVENTS = frozenset({
    "SessionRecorded", "CaseFileAuditSelected", "CaseFileAudited", "ConfidentialityMarked",
    "Reported", "UnreportedEscalated", "LineManagementActionCompleted"})
"""The events of a supervision arrangement that are supervision records, each belonging to one
session (a marking's reporting belongs to the session it was marked in)."""

OPENING_REASONS = frozenset({"case opened", "arrangement made"})
"""The reason on a record's first spell of supervision: its first supervisor."""


def window_start(spells: Iterable[Mapping[str, Any]], supervisor: str,
                 policy: Policy = DEFAULT_POLICY) -> date | None:
    """The earliest day of supervision `supervisor` may see, from the record's spells of
    supervision (each `{"supervisor", "from", "reason"}`); None when no limit applies: the
    record's first supervisor has seen it all along, and this rule limits only supervisors."""
    mine = [s for s in spells if s["supervisor"] == supervisor]
    if not mine or mine[0]["reason"] in OPENING_REASONS:
        return None
    return policy.replacement_supervisor_lookback.before(mine[-1]["from"])


@dataclass(frozen=True)
class SupervisionView:
    """The supervision records one person may see: those of the discussions held from `start`
    on."""

    start: date
    discussions: frozenset[str]
    events: frozenset[str] = SUPERVISION_EVENTS

    @classmethod
    def of(cls, discussions: Mapping[str, Mapping[str, Any]], start: date,
           events: frozenset[str] = SUPERVISION_EVENTS) -> SupervisionView:
        """From the record's discussions, or an arrangement's sessions (`{id: {"held_on":
        datetime, ...}}`), with `events` the record's supervision events."""
        return cls(start, frozenset(i for i, d in discussions.items()
                                    if _day(d["held_on"]) >= start), events)

    def shows(self, event_type: str, discussion_id: str | None) -> bool:
        """Whether an event (or a read row made from one) of `event_type`, belonging to
        `discussion_id` (or, for an arrangement, to that session), is shown."""
        return event_type not in self.events or discussion_id in self.discussions


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
