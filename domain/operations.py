"""What operations staff did to a running process, recorded like everything else.

`Intervention` is one per workflow id: each cancel, terminate or retry, with its reason.
Events: Opened, Recorded (the action: cancel, terminate or retry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from domain.commands import Command
from domain.errors import require
from domain.record import Record, natural_id
from domain.text import Narrative, Short


class Operation(StrEnum):
    CANCEL = "cancel"
    TERMINATE = "terminate"
    RETRY = "retry"


@dataclass(frozen=True, kw_only=True)
class RecordIntervention(Command, kind="intervention"):
    """Record what an operator did to a running process, with the reason they gave."""

    workflow_id: Short
    action: Operation
    reason: Narrative


class Intervention(Record):
    @staticmethod
    def create_id(workflow_id: str) -> UUID:
        return natural_id("intervention", workflow_id)

    @classmethod
    def open(cls, c: RecordIntervention) -> Intervention:
        return cls(workflow_id=c.workflow_id, actor="system", occurred_on=c.at)

    @event("Opened")
    def __init__(self, *, workflow_id: str, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.workflow_id = workflow_id
        self.actions: list[dict[str, object]] = []

    def record(self, c: RecordIntervention) -> None:
        """Record an operator's action on the workflow, with the reason they gave."""
        require(bool(c.reason.strip()), "An intervention on a process records its reason")
        self._recorded(action=c.action.value, reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Recorded")
    def _recorded(self, *, action: str, reason: str, actor: str, occurred_on: datetime) -> None:
        self.actions.append({"action": action, "reason": reason, "by": actor, "on": occurred_on})
