"""What a replacement supervisor may see of the supervision held before they took over.

Seed 002 ("Practicalities"): a replacement supervisor has access to the previous six months of
supervision records (`Policy.replacement_supervisor_lookback`). The one definition: the
record's own state, its history, its chronology and its RAG trend all ask `SupervisionView`,
so no door shows what another hides.

A supervision record is a discussion and everything that belongs to it: its signatures, and
the completion or overdue mark of an action it agreed. Whether one is seen is decided by the
discussion it belongs to (held within the window or not), never by when the later step fell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.policy import DEFAULT_POLICY, Policy

SUPERVISION_EVENTS = frozenset({"DiscussionRecorded", "DiscussionSigned", "ActionCompleted",
                                "ActionMarkedOverdue"})
"""The events that are supervision records, each belonging to one discussion."""


def window_start(spells: Iterable[Mapping[str, Any]], supervisor: str,
                 policy: Policy = DEFAULT_POLICY) -> date | None:
    """The earliest day of supervision `supervisor` may see, from the record's spells of
    supervision (each `{"supervisor", "from", "reason"}`); None when no limit applies: the
    record's first supervisor has seen it all along, and this rule limits only supervisors."""
    mine = [s for s in spells if s["supervisor"] == supervisor]
    if not mine or mine[0]["reason"] == "case opened":
        return None
    return policy.replacement_supervisor_lookback.before(mine[-1]["from"])


@dataclass(frozen=True)
class SupervisionView:
    """The supervision records one person may see: those of the discussions held from `start`
    on."""

    start: date
    discussions: frozenset[str]

    @classmethod
    def of(cls, discussions: Mapping[str, Mapping[str, Any]], start: date) -> SupervisionView:
        """From the record's discussions (`{id: {"held_on": datetime, ...}}`)."""
        return cls(start, frozenset(i for i, d in discussions.items()
                                    if _day(d["held_on"]) >= start))

    def shows(self, event_type: str, discussion_id: str | None) -> bool:
        """Whether an event (or a read row made from one) of `event_type`, belonging to
        `discussion_id`, is shown."""
        return event_type not in SUPERVISION_EVENTS or discussion_id in self.discussions


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment
