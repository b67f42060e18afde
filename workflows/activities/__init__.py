"""Activities: thin wrappers around the application's commands, one module per process.

Each records the workflow's step on the record in the same save as the command, keyed by a
step id, so a retried activity records nothing twice (`Assured.run_step`). Activities are
synchronous (eventsourcing and psycopg are) and run in the worker's thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.application import Assured
from domain.errors import RuleBroken
from workflows.common import Step


def iso(day: date | None) -> str | None:
    """A date for a step's details (they are stored as JSON)."""
    return day.isoformat() if day else None


def refused(broken: RuleBroken) -> ApplicationError:
    """A broken rule as the activity's failure: it will not mend on retry."""
    return ApplicationError(broken.rule, type="RuleBroken", non_retryable=True)


class WithApplication:
    """Base of every activities class: the application they command."""

    def __init__(self, app: Assured) -> None:
        self.app = app

    def step(self, record_id: str, step_id: str, process: str, step: str,
             details: dict[str, Any], command: Callable[[Any], Any] | None = None, *,
             at: datetime) -> bool:
        """Run one step (see `Assured.run_step`); True if it was new.

        A broken rule will not mend on retry, so it fails the activity for good, with the rule
        as its message; a concurrency conflict is retried (the retry finds the step done).
        """
        try:
            receipt = self.app.run_step(UUID(record_id), step_id, process, step, details,
                                        command, at=at)
        except RuleBroken as broken:
            raise refused(broken) from None
        return receipt is not None


class ProcessActivities(WithApplication):
    """Activities every process uses."""

    @activity.defn(name="record_step")
    def record_step(self, step: Step) -> bool:
        """Record a step that changes nothing else (a reminder, a deadline set). True if new."""
        return self.step(step.record_id, step.step_id, step.process, step.step, step.details,
                         at=step.at)
