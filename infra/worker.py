"""Running the workflow worker, as `assured worker` and `assured up` do: connect, make sure the
yearly audit, monthly retention and daily reminder schedules exist, poll until stopped."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from datetime import date
from typing import Any

from temporalio.client import Client

from domain.application import Assured
from infra.mail import outbox
from infra.settings import Settings
from infra.temporal import connect
from projections.obligations import Obligation, obligations
from projections.retention_subjects import current_closed_records
from projections.runner import Runner
from workflows.audit_cycle.schedule import ensure_audit_schedule
from workflows.audit_cycle.types import YearlyAuditInput
from workflows.reminders.activities import ReminderActivities
from workflows.reminders.schedule import ensure_reminder_schedule
from workflows.retention.activities import RetentionActivities
from workflows.retention.schedule import ensure_retention_schedule
from workflows.retention.types import RetentionInput
from workflows.worker import build_worker

READ_TABLES: dict[type, dict[str, Any]] = {
    RetentionActivities: {"closed_records": current_closed_records}}
"""The read tables a process's activities read, given here (workflows never import
projections): the retention listing reads the closed records from its table."""


async def ensure_schedules(client: Client, settings: Settings) -> None:
    """The yearly audit's schedule, brought up to date with the settings; the monthly
    retention process's schedule."""
    template = YearlyAuditInput(
        theme=settings.audit_theme, dimension="multi_agency",
        audit_type="multi_agency_practice", agencies=list(settings.audit_agencies),
        sample_size=settings.audit_sample_size,
        returns_due=date(2000, settings.audit_month, settings.audit_day))
    await ensure_audit_schedule(client, template, month=settings.audit_month,
                                day=settings.audit_day, task_queue=settings.task_queue)
    await ensure_retention_schedule(client, RetentionInput(settings.retention_approver),
                                    day=settings.retention_day, task_queue=settings.task_queue)
    await ensure_reminder_schedule(client, hour=settings.reminder_hour,
                                   task_queue=settings.task_queue)


def obligations_on(app: Assured) -> Callable[[date], list[Obligation]]:
    """What is asked of people on a day, from the read tables (as My work reads it)."""

    def read(on: date) -> list[Obligation]:
        with Runner(app).connect(autocommit=True) as conn:
            return obligations(conn, on, app.mapper.cipher, app.policy)

    return read


def reminder_activities(settings: Settings, app: Assured) -> ReminderActivities:
    """The reminders' activity, sending through the settings' SMTP server or mail folder."""
    return ReminderActivities(app, obligations_on(app), outbox(settings),
                              web_url=settings.web_url,
                              sender=settings.mail_from, reminder_days=settings.reminder_days,
                              send_hour=settings.reminder_hour)


async def run_worker(settings: Settings, app: Assured, *, until_signalled: bool = False,
                     stop: asyncio.Event | None = None,
                     ready: Callable[[], None] | None = None) -> None:
    """Poll the task queue until `stop` is set (or SIGINT/SIGTERM, with `until_signalled`)."""
    client = await connect(settings)
    await ensure_schedules(client, settings)
    stop = stop or asyncio.Event()
    if until_signalled:
        for signum in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    async with build_worker(client, app, settings.task_queue,
                            reminders=reminder_activities(settings, app), given=READ_TABLES,
                            capacity=settings.capacity):
        if ready is not None:
            ready()
        await stop.wait()
