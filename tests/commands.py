"""Commands for the domain's scenarios, made without noise.

A command on a record takes the record's id; who gives it defaults to the scenario's usual
actor. Everything else is said in the scenario:

    cmd = Commands(by=SUPERVISOR)
    case.change_risk(cmd(ChangeRisk, case, new_risk=RiskLevel.HIGH, at=at(2)))
"""

from __future__ import annotations

from typing import Any, TypeVar

from domain.commands import Command

C = TypeVar("C", bound=Command)


class Commands:
    """Makes commands given by `by`, unless a scenario names someone else."""

    def __init__(self, by: str) -> None:
        self.by = by

    def __call__(self, kind: type[C], record: Any = None, /, **fields: Any) -> C:
        """A `kind` command; on `record` (its id as `record_id`) when one is given."""
        fields.setdefault("by", self.by)
        if record is not None:
            fields.setdefault("record_id", record.id)
        return kind(**fields)
