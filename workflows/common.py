"""What every workflow shares: the task queue, deadline arithmetic on the workflow's clock,
the activity options, and the helpers every workflow uses to wait, run a command, record a step
and check an update. Imported by workflow code, so nothing here touches I/O: activities do, and
they are called by name or by method, never run here."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.errors import RuleBroken

TASK_QUEUE = "assured"

# Activities are thin database commands: quick, retried with backoff, never forever.
ACTIVITY: dict[str, Any] = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=1),
                                backoff_coefficient=2.0, maximum_attempts=10),
}


def end_of(day: date) -> datetime:
    """A deadline date is met by anything done that day: it passes at the next midnight UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def start_of(day: date) -> datetime:
    """A warning or reminder date is acted on as the day begins (midnight UTC)."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def until(now: datetime, moment: datetime) -> timedelta:
    """Time left from `now` to `moment`, never negative (a passed deadline fires at once)."""
    return max(moment - now, timedelta(0))


@dataclass
class Step:
    """One step of a process, recorded as an event on its record (idempotent by `step_id`)."""

    record_id: str
    step_id: str
    process: str
    step: str
    at: datetime
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Deadline:
    """A date a process is waiting on, for operations' overdue list (query `deadlines`)."""

    name: str
    due: date
    met: bool


# -- waiting -----------------------------------------------------------------------------------

async def wait_until(check: Callable[[], bool], moment: datetime | None = None) -> bool:
    """Wait until `check()` holds or `moment` passes (None: for ever); whether it holds.

    The check is looked at first: a passed moment times out at once, before the condition is.
    """
    if check():
        return True
    timeout = until(workflow.now(), moment) if moment is not None else None
    with contextlib.suppress(TimeoutError):
        await workflow.wait_condition(check, timeout=timeout)
    return check()


# -- activities ----------------------------------------------------------------------------------

def rule_of(failed: ActivityError) -> BaseException:
    """An activity refused by a domain rule, as a failure with the rule's words (an update
    fails with it and changes nothing); any other failure as it came."""
    cause = failed.cause
    if isinstance(cause, ApplicationError) and cause.type == "RuleBroken":
        return ApplicationError(cause.message, type="RuleBroken", non_retryable=True)
    return failed


def broken_rule(failed: BaseException) -> str | None:
    """The rule a refused command broke, if that is why it failed."""
    if isinstance(failed, ActivityError):
        failed = rule_of(failed)
    if isinstance(failed, ApplicationError) and failed.type == "RuleBroken":
        return failed.message
    return None


async def command(activity: Callable[..., Any], argument: Any) -> Any:
    """Run an activity that changes a record; a broken rule fails with the rule's words."""
    try:
        return await workflow.execute_activity_method(activity, argument, **ACTIVITY)
    except ActivityError as failed:
        raise rule_of(failed) from None


async def record_step(record_id: str, key: str, process: str, step: str,
                      details: dict[str, Any]) -> bool:
    """Record a step that changes nothing else on the record (a deadline set, a reminder),
    under the step id `<workflow id>:<key>`; True if it was new (`ProcessActivities`)."""
    me = workflow.info().workflow_id
    return bool(await workflow.execute_activity(
        "record_step", Step(record_id, f"{me}:{key}", process, step, workflow.now(), details),
        result_type=bool, **ACTIVITY))


# -- validators ----------------------------------------------------------------------------------

def require(condition: bool, rule: str) -> None:
    """A validator's refusal: the update is rejected and nothing changes."""
    if not condition:
        raise ValueError(rule)


def obey(check: Callable[[], Any]) -> None:
    """Run one of the domain's pure checks in a validator: a broken rule rejects the update."""
    try:
        check()
    except RuleBroken as broken:
        raise ValueError(broken.rule) from None
