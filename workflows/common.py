"""What every workflow shares: the task queue, the activity options, deadline arithmetic on the
workflow's clock and a wait with a timeout. Imported by workflow code, so nothing here touches
I/O.

The workflow's clock sets timers only. A fact a process records is dated when it fell due (the
moment a timer was set for), or when the fact it follows happened, never "now": a process that
catches up on deadlines long past (a record entered late, a worker down for a day) still writes
a history that reads in the order things happened.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

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
class Deadline:
    """A date a process is waiting on, for operations' overdue list (query `deadlines`)."""

    name: str
    due: date
    met: bool


async def first_read(state: Any) -> None:
    """Wait until the run has read its record (`state.facts`) for the first time.

    A person's update can reach a process before its run's first read has come back (a command
    sent just after the record was made, or with the start itself): a handler that needs the
    facts waits here. It waits only then, so an update that comes later does not yield, and
    recorded histories replay unchanged. (A validator cannot wait: before the first read it
    checks only what it knows, and the record refuses the rest with the same words.)
    """
    if state.facts is None:
        await workflow.wait_condition(lambda: state.facts is not None)


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


class Trackers:
    """The tasks a workflow runs beside its main line: deadlines watched, items followed.

    A task that fails (a step refused, an activity out of retries) must not die unseen, with
    its deadline never recorded: the main line raises the failure at its next wait, and the
    workflow fails where operations staff see it."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[None]] = []

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        self.tasks.append(asyncio.create_task(work))

    def failure(self) -> BaseException | None:
        for task in self.tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                return task.exception()
        return None

    async def wait_until(self, check: Callable[[], bool],
                         moment: datetime | None = None) -> bool:
        """`wait_until`, raising a tracker's failure as soon as there is one."""
        held = await wait_until(lambda: check() or self.failure() is not None, moment)
        failure = self.failure()
        if failure is not None:
            raise failure
        return held and check()

    async def finish(self) -> None:
        await asyncio.gather(*self.tasks)


def require(condition: bool, rule: str) -> None:
    """A validator's refusal: the update is rejected and nothing changes."""
    if not condition:
        raise ValueError(rule)
