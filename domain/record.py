"""The base of every Assured aggregate.

Every event carries `actor` (who gave the command) and `occurred_on` (when the fact happened, as
the command was told). The library stamps `timestamp`, the instant the event was recorded. The
two times are what let an auditor ask "what was known by then" and "what had happened by then".

Aggregate state holds only JSON-friendly values (str, int, bool, None, date, datetime, UUID,
lists and str-keyed dicts of them), so a snapshot restores exactly the same state.
Enumerations are `StrEnum` and are compared with `==`, never `is`, because a snapshot
restores them as plain strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import require


def natural_id(kind: str, key: str) -> UUID:
    """A stable id from a business key, reused later as the Temporal workflow id."""
    return uuid5(NAMESPACE_URL, f"assured:{kind}:{key}")


def check_instant(at: datetime) -> None:
    require(at.tzinfo is not None, "A time given to a command must carry its time zone")


class Record(Aggregate):
    """An Assured aggregate: opened at an instant, by a person.

    Subclasses set `self.opened_on` in their created event. (No class annotation: the library
    would take an annotation on an aggregate class for a field of its created event.)
    """

    def check_after_opening(self, at: datetime) -> None:
        """Refuse facts dated before the record was opened: history must read forwards."""
        check_instant(at)
        require(self.__dict__.get("erased") is None,
                "An erased record takes no further changes (its personal data was erased)")
        require(at >= self.opened_on, "A fact cannot be dated before its record was opened")

    # --- steps of the durable processes (workflows/) ------------------------------------------

    def has_process_step(self, step_id: str) -> bool:
        return step_id in self.__dict__.get("process_steps", [])

    def record_process_step(
        self, step_id: str, process: str, step: str, details: dict[str, Any], *, by: str,
        at: datetime,
    ) -> None:
        """Record that a process (a workflow) took a step: set a deadline, sent a reminder,
        escalated. `step_id` is unique per record and makes a retried step record nothing."""
        self.check_after_opening(at)
        require(bool(step_id) and not self.has_process_step(step_id),
                "A process step is recorded once on a record")
        self._process_step_recorded(step_id=step_id, process=process, step=step,
                                    details=details, actor=by, occurred_on=at)

    @event("ProcessStepRecorded")
    def _process_step_recorded(
        self, *, step_id: str, process: str, step: str, details: dict[str, Any], actor: str,
        occurred_on: datetime,
    ) -> None:
        # Created on first use, so records without process steps keep their original state.
        self.__dict__.setdefault("process_steps", []).append(step_id)
