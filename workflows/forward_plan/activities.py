"""Activities of the forward plan's processes that read the plan and the policy: an activity's
due date (stored on the plan), the date its process starts it (`forward_plan_lead` before), the
reminder (`reminder_lead`, England's working days) and, for the LADO, the quarterly data dates
(`lado_data`). Commands go through `workflows.command_activities`."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from temporalio import activity

from domain.application import Assured
from domain.forward_plan import ForwardPlan
from domain.forward_plan_values import WITH_QUARTERLY_DATA
from domain.policy import Policy
from workflows.forward_plan.types import NATION, ItemFacts


def data_dates(policy: Policy, activity: str, last_done: date | None, due: date) -> list[date]:
    """The LADO's quarterly data dates between its reports (none for other activities)."""
    if activity not in WITH_QUARTERLY_DATA:
        return []
    since = last_done or policy.activity_frequency[activity].before(due)
    found, day = [], policy.lado_data.after(since)
    while day < due:
        found.append(day)
        day = policy.lado_data.after(day)
    return found


class ForwardPlanActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn(name="forward_plan.activities")
    def activities(self, plan_id: str) -> list[str]:
        return list(self.app.load(UUID(plan_id), ForwardPlan).items)

    @activity.defn(name="forward_plan.read_item")
    def read_item(self, plan_id: str, activity: str) -> ItemFacts:
        item, policy = self.app.load(UUID(plan_id), ForwardPlan).items[activity], self.app.policy
        due = item["next_due_on"]
        return ItemFacts(activity, item["owner"], due, policy.forward_plan_lead.before(due),
                         policy.reminder_lead.before(due, NATION),
                         data_dates(policy, activity, item["last_done_on"], due),
                         item["started_for"] == due, item["overdue_since"] is not None,
                         len(item["done"]), item["changed_on"])
