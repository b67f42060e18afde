"""What every workflow shares: the task queue, deadline arithmetic on the workflow's clock,
and the activity options. Imported by workflow code, so nothing here touches I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

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
