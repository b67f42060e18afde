"""Which process takes a command, and which process a new record starts.

Each workflow declares the commands it handles by its updates: an update takes one command
dataclass, and that type is read from the update itself. A workflow's `id_for(command)` names
the running process the command belongs to. Nothing here pairs fields by name.

Client code: the API uses it to send a person's command to the process that must hear of it.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from temporalio import workflow

from domain.commands import Command
from workflows.appointment.types import AppointmentInput, appointment_id
from workflows.appointment.workflow import AppointmentWorkflow
from workflows.arrangement.types import ArrangementInput, arrangement_id
from workflows.arrangement.workflow import SupervisionArrangementWorkflow
from workflows.assurance_cycle.types import AssuranceInput, assurance_cycle_id
from workflows.assurance_cycle.workflow import AssuranceCycleWorkflow
from workflows.audit_cycle.types import AuditCycleInput, audit_cycle_id
from workflows.audit_cycle.workflow import AuditCycleWorkflow, YearlyAuditWorkflow
from workflows.cadence.types import CadenceInput, cadence_id
from workflows.cadence.workflow import SupervisionCadenceWorkflow
from workflows.escalation.types import escalation_id
from workflows.escalation.workflow import EscalationWorkflow
from workflows.forward_plan.types import ForwardPlanInput, forward_plan_id, plan_item_id
from workflows.forward_plan.workflow import ForwardPlanWorkflow, PlanItemWorkflow
from workflows.rapid_review.types import RapidReviewInput, rapid_review_id
from workflows.rapid_review.workflow import RapidReviewWorkflow
from workflows.reminders.workflow import RemindersWorkflow
from workflows.retention.workflow import RetentionWorkflow
from workflows.self_evaluation.types import SelfEvaluationInput, self_evaluation_id
from workflows.self_evaluation.workflow import SelfEvaluationWorkflow

WORKFLOWS: list[type] = [EscalationWorkflow, AuditCycleWorkflow, YearlyAuditWorkflow,
                         SupervisionCadenceWorkflow, RapidReviewWorkflow, AppointmentWorkflow,
                         SupervisionArrangementWorkflow, AssuranceCycleWorkflow,
                         ForwardPlanWorkflow, PlanItemWorkflow, SelfEvaluationWorkflow,
                         RetentionWorkflow, RemindersWorkflow]


def _item(c: Any) -> str:
    return str(getattr(c, "concern_id", None) or c.disagreement_id)


ID_FOR: dict[type, Callable[[Any], str]] = {
    AppointmentWorkflow: lambda c: appointment_id(str(c.record_id)),
    SupervisionCadenceWorkflow: lambda c: cadence_id(str(c.record_id)),
    RapidReviewWorkflow: lambda c: rapid_review_id(str(c.record_id)),
    AuditCycleWorkflow: lambda c: audit_cycle_id(str(c.record_id)),
    EscalationWorkflow: lambda c: escalation_id(str(c.record_id), _item(c)),
    SupervisionArrangementWorkflow: lambda c: arrangement_id(str(c.record_id)),
    AssuranceCycleWorkflow: lambda c: assurance_cycle_id(str(c.record_id)),
    ForwardPlanWorkflow: lambda c: forward_plan_id(str(c.record_id)),
    PlanItemWorkflow: lambda c: plan_item_id(str(c.record_id), str(c.activity)),
    SelfEvaluationWorkflow: lambda c: self_evaluation_id(str(c.record_id)),
}
"""Each process's business id, from a command on its record."""


@dataclass(frozen=True)
class Route:
    workflow_id: str
    update: Callable[..., Any]  # the workflow's update method that takes the command


def updates_of(workflow_class: type) -> dict[type[Command], Callable[..., Any]]:
    """Each command the workflow's updates take, with the update."""
    found: dict[type[Command], Callable[..., Any]] = {}
    for value in vars(workflow_class).values():
        # `@workflow.update` keeps its definition on the method (temporalio has no public
        # accessor for it).
        if not isinstance(getattr(value, "_defn", None), workflow._UpdateDefinition):
            continue
        hints = typing.get_type_hints(value)
        command = hints.get("c")
        if isinstance(command, type) and issubclass(command, Command):
            found[command] = value
    return found


def _handled() -> dict[type[Command], tuple[type, Callable[..., Any]]]:
    found: dict[type[Command], tuple[type, Callable[..., Any]]] = {}
    for workflow_class in ID_FOR:
        for command, update in updates_of(workflow_class).items():
            if command in found:
                raise TypeError(f"{command.__name__} is handled by two processes")
            found[command] = (workflow_class, update)
    return found


HANDLED = _handled()


def route(c: Command) -> Route | None:
    """The process that takes `c`, if one does (it may have ended: then it runs directly)."""
    found = HANDLED.get(type(c))
    if found is None:
        return None
    workflow_class, update = found
    return Route(ID_FOR[workflow_class](c), update)


STARTS_PROCESSES = ("safeguarder", "case", "review", "audit", "arrangement", "assurance-cycle",
                    "forward-plan", "self-evaluation")
"""The kinds of record whose making may start a process (a review: a serious incident's)."""


@dataclass(frozen=True)
class Start:
    run: Callable[..., Any]
    argument: Any
    workflow_id: str


def start_for(kind: str, record: Any) -> Start | None:
    """The process a new record starts, if any."""
    rid = str(record.id)
    if kind == "safeguarder":
        return Start(AppointmentWorkflow.run, AppointmentInput(rid), appointment_id(rid))
    if kind == "case":
        return Start(SupervisionCadenceWorkflow.run, CadenceInput(rid), cadence_id(rid))
    if kind == "review" and record.category == "serious_incident":
        return Start(RapidReviewWorkflow.run, RapidReviewInput(rid), rapid_review_id(rid))
    if kind == "audit":
        return Start(AuditCycleWorkflow.run, AuditCycleInput(rid), audit_cycle_id(rid))
    return _start_for_assurance(kind, rid)


def _start_for_assurance(kind: str, rid: str) -> Start | None:
    """The processes of issue 12's records: an arrangement, a quarter's cycle, the forward
    plan, a leader's self-evaluation."""
    if kind == "arrangement":
        return Start(SupervisionArrangementWorkflow.run, ArrangementInput(rid),
                     arrangement_id(rid))
    if kind == "assurance-cycle":
        return Start(AssuranceCycleWorkflow.run, AssuranceInput(rid), assurance_cycle_id(rid))
    if kind == "forward-plan":
        return Start(ForwardPlanWorkflow.run, ForwardPlanInput(rid), forward_plan_id(rid))
    if kind == "self-evaluation":
        return Start(SelfEvaluationWorkflow.run, SelfEvaluationInput(rid),
                     self_evaluation_id(rid))
    return None


RECORD_PROCESSES = {"appointment": "safeguarder", "cadence": "case", "rapid-review": "review",
                    "audit": "audit", "arrangement": "arrangement",
                    "assurance-cycle": "assurance-cycle", "forward-plan": "forward-plan",
                    "self-evaluation": "self-evaluation"}
"""Each record's own process, by its workflow id's prefix (the ids `start_for` gives)."""


def record_of(workflow_id: str) -> tuple[str, UUID] | None:
    """The kind and id of the record a record's own process is about; None for any other
    workflow (an escalation ladder, the yearly audit's scheduled workflow)."""
    for prefix, kind in RECORD_PROCESSES.items():
        if workflow_id.startswith(f"{prefix}-"):
            try:
                return kind, UUID(workflow_id[len(prefix) + 1:])
            except ValueError:
                return None
    return None
