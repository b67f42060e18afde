"""The daily reminders: one run a day, started by its schedule (schedule.py), sends each
person the reminders, overdue notices and digest of what the processes ask of them
(`ReminderActivities.send_reminders`). The activity is idempotent, so a retry, or a second run
for the same day, sends nothing twice."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

from workflows.common import ACTIVITY
from workflows.reminders.types import Mailed, RemindersInput


SENDING = timedelta(minutes=15)  # a day's mail, one SMTP conversation a message


@workflow.defn
class RemindersWorkflow:
    @workflow.run
    async def run(self, given: RemindersInput) -> Mailed:
        day = given.day or workflow.now().date().isoformat()
        mailed: Mailed = await workflow.execute_activity(
            "send_reminders", day, result_type=Mailed,
            **{**ACTIVITY, "start_to_close_timeout": SENDING})
        return mailed
