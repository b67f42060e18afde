"""The monthly schedule that starts the retention process. Client code, not workflow code."""

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
from workflows.retention.types import RETENTION_ID, RetentionInput
from workflows.retention.workflow import RetentionWorkflow

RETENTION_SCHEDULE_ID = "retention-monthly"


async def ensure_retention_schedule(client: Client, given: RetentionInput, *, day: int = 1,
                                    hour: int = 5, task_queue: str = TASK_QUEUE,
                                    schedule_id: str = RETENTION_SCHEDULE_ID) -> ScheduleHandle:
    """Create the monthly schedule (once; a run still waiting for approval skips the next)."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(RetentionWorkflow.run, given, id=RETENTION_ID,
                                           task_queue=task_queue),
        spec=ScheduleSpec(calendars=[ScheduleCalendarSpec(
            day_of_month=[ScheduleRange(day)], hour=[ScheduleRange(hour)],
            comment="monthly retention review")]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        return await client.create_schedule(schedule_id, schedule)
    except ScheduleAlreadyRunningError:
        return client.get_schedule_handle(schedule_id)
