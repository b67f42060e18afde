"""The daily schedule that starts the reminders. Client code, not workflow code."""

from __future__ import annotations

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleHandle,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
)

from workflows.common import TASK_QUEUE
from workflows.reminders.types import REMINDERS_ID, RemindersInput
from workflows.reminders.workflow import RemindersWorkflow

REMINDERS_SCHEDULE_ID = "reminders-daily"


async def ensure_reminder_schedule(client: Client, *, hour: int = 7,
                                   task_queue: str = TASK_QUEUE,
                                   schedule_id: str = REMINDERS_SCHEDULE_ID) -> ScheduleHandle:
    """Create the daily schedule (once); a day still sending skips the next."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(RemindersWorkflow.run, RemindersInput(),
                                           id=REMINDERS_ID, task_queue=task_queue),
        spec=ScheduleSpec(calendars=[ScheduleCalendarSpec(
            hour=[ScheduleRange(hour)], comment="daily reminders and digests")]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        return await client.create_schedule(schedule_id, schedule)
    except ScheduleAlreadyRunningError:
        return client.get_schedule_handle(schedule_id)
