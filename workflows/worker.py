"""The worker: every workflow and activity of Assured on one task queue."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker

from domain.application import Assured
from workflows.activities import ProcessActivities
from workflows.activities.appointment import AppointmentActivities
from workflows.activities.audit_cycle import AuditCycleActivities
from workflows.activities.cadence import CadenceActivities
from workflows.activities.escalation import EscalationActivities
from workflows.activities.rapid_review import RapidReviewActivities
from workflows.appointment import AppointmentWorkflow
from workflows.audit_cycle import AuditCycleWorkflow
from workflows.cadence import SupervisionCadenceWorkflow
from workflows.common import TASK_QUEUE
from workflows.escalation import EscalationWorkflow
from workflows.rapid_review import RapidReviewWorkflow

WORKFLOWS: list[type] = [EscalationWorkflow, AuditCycleWorkflow, SupervisionCadenceWorkflow,
                         RapidReviewWorkflow, AppointmentWorkflow]
ACTIVITY_CLASSES: list[type] = [ProcessActivities, EscalationActivities, AuditCycleActivities,
                               CadenceActivities, RapidReviewActivities,
                               AppointmentActivities]


def activities_of(app: Assured, classes: list[type]) -> list:  # type: ignore[type-arg]
    """Every activity method of `classes`, bound to `app`."""
    found = []
    for cls in classes:
        instance = cls(app)
        found += [getattr(instance, name) for name in dir(cls)
                  if hasattr(getattr(cls, name), "__temporal_activity_definition")]
    return found


def build_worker(client: Client, app: Assured, task_queue: str = TASK_QUEUE,
                 activity_classes: list[type] = ACTIVITY_CLASSES) -> Worker:
    """A worker for every workflow; tests may swap an activities class to inject faults."""
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        activities=activities_of(app, activity_classes),
        activity_executor=ThreadPoolExecutor(max_workers=8),
    )
