"""How a process carries out a command, from inside a workflow.

A person's command arrives as the argument of an update (the dataclass itself, `at` and all)
and goes unchanged to the activity named after its class (`workflows.command_activities`),
which runs the application's method for it with the process's step in the same save. The
process's own commands (a breach, a shortfall, a chase) go the same way, dated when they fell
due. A refusal by a rule of the record fails with the rule's words: an update fails with it and
nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.common import ACTIVITY, require

with workflow.unsafe.imports_passed_through():
    from domain.commands import Command, RecordCommand
    from domain.handling import Receipt, Step

REFUSALS = ("RuleBroken", "InputRefused", "RecordNotFound")


@dataclass
class Acted:
    """What an update answers: what the process did, and the saved record's receipt."""

    answer: str
    receipt: Receipt | None = None


@dataclass
class NoteStep:
    """A step that changes nothing else on its record (a deadline set, a reminder sent)."""

    record_id: str
    step: Step
    at: datetime


def refusal_of(failed: ActivityError) -> BaseException:
    """An activity refused by a rule, as a failure with the rule's words; any other as it came."""
    cause = failed.cause
    if isinstance(cause, ApplicationError) and cause.type in REFUSALS:
        return ApplicationError(cause.message, type=cause.type, non_retryable=True)
    return failed


def refused_rule(failed: BaseException) -> str | None:
    """The rule a refused command broke, if that is why it failed."""
    if isinstance(failed, ActivityError):
        failed = refusal_of(failed)
    if isinstance(failed, ApplicationError) and failed.type in REFUSALS:
        return failed.message
    return None


def step_id(key: str | None, c: Command) -> str:
    """`<workflow id>:<key>`; without a key, the command's name and the update's id, which
    Temporal keeps across retries of the same update."""
    if key is None:
        update = workflow.current_update_info()
        key = f"{type(c).__name__}:{update.id if update else 'run'}"
    return f"{workflow.info().workflow_id}:{key}"


async def act(process: str, c: Command, step: str, *, key: str | None = None,
              details: dict[str, Any] | None = None) -> Receipt:
    """Carry out `c` by its activity, recording the step named `step` with it."""
    done = Step(step_id(key, c), process, step, {"command": type(c).__name__, **(details or {})})
    try:
        return await workflow.execute_activity(type(c).__name__, args=[done, c],
                                               result_type=Receipt, **ACTIVITY)
    except ActivityError as failed:
        raise refusal_of(failed) from None


async def note(process: str, record_id: str, key: str, step: str, at: datetime,
               details: dict[str, Any] | None = None) -> bool:
    """Record a step that changes nothing else, dated `at`; True if it was new."""
    me = workflow.info().workflow_id
    found = NoteStep(record_id, Step(f"{me}:{key}", process, step, details or {}), at)
    try:
        return bool(await workflow.execute_activity("note_step", found, result_type=bool,
                                                    **ACTIVITY))
    except ActivityError as failed:
        raise refusal_of(failed) from None


def check_record(c: RecordCommand, record_id: str) -> None:
    """A validator's first check: the command is for this process's record."""
    require(str(c.record_id) == record_id, "The command is for another record than this process's")
