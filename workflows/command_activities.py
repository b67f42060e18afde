"""The activities that carry out commands, on the worker's side: one per command class, named
after it, made from the command registry. Each runs the application's method for its command
with the process's step in the same save, so a retried activity records nothing twice.

Activities are synchronous (eventsourcing and psycopg are) and run in the worker's thread pool.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError, ApplicationErrorCategory

from domain.application import Assured
from domain.commands import REGISTRY, Command
from domain.errors import InputRefused, RecordNotFound, RuleBroken
from domain.handling import Receipt, Step
from workflows.acting import NoteStep


def refused(problem: Exception) -> ApplicationError:
    """A refusal will not mend on retry: the activity fails for good, with the rule's words."""
    return ApplicationError(str(problem), type=type(problem).__name__, non_retryable=True,
                            category=ApplicationErrorCategory.BENIGN)  # a refusal, not a fault


def carry_out(app: Assured, step: Step, command: Command) -> Receipt:
    """Run the command with its step; a step found already recorded answers with the record."""
    try:
        receipt = app.execute(command, step=step)
    except (RuleBroken, InputRefused, RecordNotFound) as problem:
        raise refused(problem) from None
    if receipt is None:  # an earlier attempt saved it
        record = app.load(UUID(str(command.record_id)))  # type: ignore[attr-defined]
        return Receipt(record.id, record.version, None, None)
    return Receipt(receipt.aggregate_id, receipt.version, receipt.notification_id,
                   receipt.recorded_at)


def _activity(app: Assured, kind: type[Command]) -> Callable[..., Receipt]:
    def run(step: Step, command: Any) -> Receipt:
        return carry_out(app, step, command)

    # The annotations tell Temporal how to decode the arguments: the command's own class.
    run.__annotations__ = {"step": Step, "command": kind, "return": Receipt}
    run.__name__ = run.__qualname__ = kind.__name__
    run.__doc__ = kind.__doc__
    return activity.defn(name=kind.__name__)(run)


def command_activities(app: Assured) -> list[Callable[..., Any]]:
    """Every command's activity, and `note_step`, bound to `app`."""
    @activity.defn(name="note_step")
    def note_step(found: NoteStep) -> bool:
        """Record a step that changes nothing else; True if it was new."""
        try:
            return app.note_step(UUID(found.record_id), found.step, found.at) is not None
        except (RuleBroken, InputRefused, RecordNotFound) as problem:
            raise refused(problem) from None

    return [note_step, *(_activity(app, kind) for kind in REGISTRY.values())]
