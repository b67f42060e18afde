"""The worker: every workflow and activity of Assured on one task queue."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from temporalio.client import Client
from temporalio.worker import PollerBehaviorSimpleMaximum, Worker

from domain.application import Assured
from workflows.appointment.activities import AppointmentActivities
from workflows.arrangement.activities import ArrangementActivities
from workflows.assurance_cycle.activities import AssuranceActivities
from workflows.audit_cycle.activities import AuditCycleActivities
from workflows.cadence.activities import CadenceActivities
from workflows.capacity import Capacity
from workflows.command_activities import command_activities
from workflows.common import TASK_QUEUE
from workflows.escalation.activities import EscalationActivities
from workflows.forward_plan.activities import ForwardPlanActivities
from workflows.rapid_review.activities import RapidReviewActivities
from workflows.reminders.activities import ReminderActivities
from workflows.retention.activities import RetentionActivities
from workflows.routing import WORKFLOWS
from workflows.self_evaluation.activities import SelfEvaluationActivities

READERS: list[type] = [AppointmentActivities, AuditCycleActivities, CadenceActivities,
                       EscalationActivities, RapidReviewActivities, RetentionActivities,
                       ArrangementActivities, AssuranceActivities, ForwardPlanActivities,
                       SelfEvaluationActivities]
"""Each process's activities that read records or the policy (commands are generated)."""


def activities_of(app: Assured, classes: list[type],
                  given: dict[type, dict[str, Any]] | None = None) -> list[Callable[..., Any]]:
    """Every activity method of `classes`, bound to `app` (and to what the wiring `given`
    each class: the read tables it may read, which workflows do not import)."""
    found = []
    for cls in classes:
        instance = cls(app, **(given or {}).get(cls, {}))
        found += [getattr(instance, name) for name in dir(cls)
                  if hasattr(getattr(cls, name), "__temporal_activity_definition")]
    return found


def build_worker(client: Client, app: Assured, task_queue: str = TASK_QUEUE,
                 activities: list[Callable[..., Any]] | None = None,
                 reminders: ReminderActivities | None = None,
                 given: dict[type, dict[str, Any]] | None = None,
                 capacity: Capacity = Capacity()) -> Worker:
    """A worker for every workflow; tests may pass other activities to inject faults.
    `reminders` (made with the settings' outbox, `infra.worker`) sends the reminder emails;
    `given`: what the wiring gives each reader class (the read tables it reads); `capacity`:
    how much it takes on at once (the settings', `infra.worker`)."""
    mail = [reminders.send_reminders] if reminders is not None else []
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=activities if activities is not None
        else [*command_activities(app), *activities_of(app, READERS, given), *mail],
        activity_executor=ThreadPoolExecutor(max_workers=capacity.activities),
        max_concurrent_activities=capacity.activities,
        max_concurrent_local_activities=capacity.activities,
        max_cached_workflows=capacity.cached_workflows,
        max_concurrent_workflow_tasks=capacity.workflow_tasks,
        workflow_task_poller_behavior=PollerBehaviorSimpleMaximum(capacity.workflow_polls),
        nonsticky_to_sticky_poll_ratio=0.5,
    )
