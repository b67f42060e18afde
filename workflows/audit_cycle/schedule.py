"""The yearly schedule that plans each year's multi-agency audit and starts its cycle.

Client code, not workflow code: the worker's start-up calls it (and the tests do).
"""

from __future__ import annotations

from dataclasses import replace

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
    ScheduleUpdate,
)

from workflows.audit_cycle.types import YEARLY, YearlyAuditInput
from workflows.audit_cycle.workflow import YearlyAuditWorkflow
from workflows.common import TASK_QUEUE

AUDIT_SCHEDULE_ID = "audit-cycle-yearly"


async def ensure_audit_schedule(
    client: Client, template: YearlyAuditInput, *, month: int, day: int, hour: int = 6,
    schedule_id: str = AUDIT_SCHEDULE_ID, task_queue: str = TASK_QUEUE,
) -> ScheduleHandle:
    """Create, or bring up to date, the yearly schedule that plans each year's audit.

    Each run audits the year it starts in. Runs may overlap: an audit still closing must not
    hold up the next year's. The action's workflow id is `audit-cycle`; Temporal appends the
    scheduled time, e.g. `audit-cycle-2027-04-01T06:00:00Z`.
    """
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(YearlyAuditWorkflow.run, replace(template),
                                           id=YEARLY, task_queue=task_queue),
        spec=ScheduleSpec(calendars=[ScheduleCalendarSpec(
            month=[ScheduleRange(month)], day_of_month=[ScheduleRange(day)],
            hour=[ScheduleRange(hour)], comment="yearly multi-agency audit cycle")]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.ALLOW_ALL),
    )
    try:
        return await client.create_schedule(schedule_id, schedule)
    except ScheduleAlreadyRunningError:
        handle = client.get_schedule_handle(schedule_id)
        await handle.update(lambda _: ScheduleUpdate(schedule=schedule))
        return handle
