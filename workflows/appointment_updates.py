"""People's actions on a Safeguarder's appointment: the updates of `AppointmentWorkflow`
(workflows/appointment.py), each with its validator.

A validator refuses what the workflow can tell is out of order, and changes nothing; the record's
own rules are checked again by the command (`AppointmentActivities.command`), and a rule the
record refuses fails the update with its words. Each update answers once its event is recorded.
The workflow class inherits these handlers and owns the state declared below.
"""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio import workflow

from workflows.common import command, require
from workflows.escalation import EscalationInput, EscalationWorkflow, escalation_id

with workflow.unsafe.imports_passed_through():
    from domain.safeguarder_values import CLOSED, SERVING, ConcernAbout, Status
    from workflows.activities.appointment import AppointmentActivities, Command, CommandResult
    from workflows.appointment_types import (
        NATION,
        Allocation,
        Appointment,
        AppointmentInput,
        Concern,
        Decision,
        Leaving,
        Outcome,
        Recommendation,
        SampledReport,
        SupportSession,
    )


class AppointmentUpdates:
    """The updates; `AppointmentWorkflow.__init__` sets this state."""

    input: AppointmentInput
    stage: str
    support_manager: str | None
    met: list[int]
    unmet: list[int]
    recommended: bool
    reappointed: bool | None
    concerns: list[str]
    history: list[str]
    lock: asyncio.Lock  # one change to the record at a time

    def _closed(self) -> bool:
        return self.stage in CLOSED

    async def _command(self, name: str, step: str, args: dict[str, Any],
                       by: str) -> CommandResult:
        """Run a person's action on the record; a refused rule fails the update with it."""
        update = workflow.current_update_info()
        step_id = f"{workflow.info().workflow_id}:{name}:{update.id if update else 'run'}"
        async with self.lock:
            result = await command(AppointmentActivities.command, Command(
                self.input.safeguarder_id, step_id, step, name, args, by, workflow.now()))
        self.stage, self.support_manager = result.status, result.support_manager
        self.met = list(result.met_years)
        self.history.append(f"{workflow.now().date()}: {step}")
        return result

    # --- from application to appointment ------------------------------------------------------

    def _check_open(self) -> None:
        require(not self._closed(), f"A Safeguarder whose record is closed ({self.stage}) takes "
                "no further changes")

    @workflow.update
    async def record_interview(self, outcome: Outcome) -> str:
        await self._command("record_interview", "interview recorded",
                            {"passed": outcome.passed, "notes": outcome.notes}, outcome.by)
        return "Interview passed" if outcome.passed else "Interview not passed: not appointed"

    @record_interview.validator
    def _validate_interview(self, outcome: Outcome) -> None:
        self._check_open()
        require(self.stage == Status.APPLICANT, "An applicant is interviewed once, after applying")

    @workflow.update
    async def record_assessment(self, outcome: Outcome) -> str:
        await self._command("record_assessment", "pre-appointment assessment recorded",
                            {"passed": outcome.passed, "notes": outcome.notes}, outcome.by)
        return ("Pre-appointment assessment passed" if outcome.passed
                else "Pre-appointment assessment not passed: not appointed")

    @record_assessment.validator
    def _validate_assessment(self, outcome: Outcome) -> None:
        self._check_open()
        require(self.stage == Status.INTERVIEWED,
                "The pre-appointment assessment follows a passed interview")

    @workflow.update
    async def appoint(self, appointment: Appointment) -> str:
        await self._command("appoint", "appointed",
                            {"term_starts_on": appointment.term_starts_on.isoformat()},
                            appointment.by)
        return f"Appointed from {appointment.term_starts_on}"

    @appoint.validator
    def _validate_appoint(self, appointment: Appointment) -> None:
        self._check_open()
        require(self.stage == Status.ASSESSED, "A Safeguarder cannot be appointed without "
                "passing both interview and pre-appointment assessment")

    # --- the appointment years ----------------------------------------------------------------

    def _check_serving(self) -> None:
        self._check_open()
        require(self.stage in SERVING, "Only an appointed Safeguarder has appointment-year "
                "records")

    @workflow.update
    async def allocate(self, allocation: Allocation) -> str:
        await self._command("allocate", "support manager allocated",
                            {"manager": allocation.manager, "reason": allocation.reason},
                            allocation.by)
        return "Support manager allocated"

    @allocate.validator
    def _validate_allocate(self, allocation: Allocation) -> None:
        self._check_serving()
        require(bool(allocation.manager.strip()), "A Safeguarder is allocated to a support "
                "manager of their region")
        require(allocation.manager != self.support_manager,
                "A reallocation names a different support manager")
        require(self.support_manager is None or bool(allocation.reason.strip()),
                "A reallocation needs a reason")

    @workflow.update
    async def record_support_session(self, session: SupportSession) -> str:
        await self._command("record_support_session", "support session recorded",
                            {"session_id": session.session_id, "notes": session.notes},
                            session.by)
        return f"Support session {session.session_id} recorded"

    @record_support_session.validator
    def _validate_support_session(self, session: SupportSession) -> None:
        self._check_serving()
        require(bool(session.session_id.strip()), "A support session has an id")

    @workflow.update
    async def record_sampled_report(self, report: SampledReport) -> str:
        await self._command("record_sampled_report", "sampled report recorded",
                            {"report_ref": report.report_ref, "session_id": report.session_id,
                             "discussion": report.discussion}, report.by)
        return f"Report {report.report_ref} sampled"

    @record_sampled_report.validator
    def _validate_sampled_report(self, report: SampledReport) -> None:
        self._check_serving()
        require(bool(report.report_ref.strip()), "A sampled report has a reference")

    # --- re-appointment -----------------------------------------------------------------------

    @workflow.update
    async def recommend(self, recommendation: Recommendation) -> str:
        r = recommendation
        await self._command("recommend", "recommendation recorded",
                            {"reappoint": r.reappoint, "rationale": r.rationale,
                             "exception_reason": r.exception_reason}, r.by)
        self.recommended = True
        return "Recommended for re-appointment" if r.reappoint else "Recommended to end"

    @recommend.validator
    def _validate_recommend(self, r: Recommendation) -> None:
        self._check_open()
        require(self.stage == Status.IN_REVIEW,
                "A recommendation is made in an open re-appointment review")
        require(not self.recommended, "One recommendation is made per review")
        require(r.by == self.support_manager,
                "The recommendation is made by the allocated support manager")
        require(bool(r.rationale.strip()), "A recommendation carries a rationale")
        require(not (r.reappoint and self.unmet and not r.exception_reason.strip()),
                "A recommendation to re-appoint is refused while an annual requirement is unmet "
                f"(years {self.unmet}), unless an exception reason is given")

    @workflow.update
    async def record_ministers_decision(self, decision: Decision) -> str:
        await self._command("record_ministers_decision", "Ministers' decision recorded",
                            {"reappoint": decision.reappoint}, decision.by)
        self.reappointed = decision.reappoint
        return "Re-appointed for a further term" if decision.reappoint else "Appointment ended"

    @record_ministers_decision.validator
    def _validate_decision(self, decision: Decision) -> None:
        self._check_open()
        require(self.stage == Status.IN_REVIEW and self.recommended,
                "Ministers decide after the support manager's recommendation")

    # --- at any time --------------------------------------------------------------------------

    @workflow.update
    async def raise_concern(self, concern: Concern) -> str:
        """Record the concern, then start its escalation ladder at stage 1."""
        await self._command("raise_concern", "concern raised",
                            {"concern_id": concern.concern_id, "about": concern.about,
                             "summary": concern.summary}, concern.by)
        self.concerns.append(concern.concern_id)
        record = self.input.safeguarder_id
        await workflow.start_child_workflow(
            EscalationWorkflow.run,
            EscalationInput(record, "safeguarder-concern", concern.concern_id, NATION),
            id=escalation_id(record, concern.concern_id),
            parent_close_policy=workflow.ParentClosePolicy.ABANDON)
        return f"Concern {concern.concern_id} raised and escalated to stage 1"

    @raise_concern.validator
    def _validate_concern(self, concern: Concern) -> None:
        self._check_open()
        require(bool(concern.concern_id.strip()) and concern.concern_id not in self.concerns,
                "A concern id is used once")
        require(concern.about in list(ConcernAbout), "A concern is about work, actions or "
                "behaviour")
        require(bool(concern.summary.strip()), "A concern carries a summary")

    @workflow.update
    async def resign(self, leaving: Leaving) -> str:
        await self._command("resign", "resigned", {"reason": leaving.reason}, leaving.by)
        return "Resignation recorded: the appointment ends"

    @resign.validator
    def _validate_resign(self, leaving: Leaving) -> None:
        self._check_open()
        require(bool(leaving.reason.strip()), "A resignation records its reason")

    @workflow.update
    async def remove(self, leaving: Leaving) -> str:
        await self._command("remove", "removed", {"reason": leaving.reason}, leaving.by)
        return "Removal recorded: the appointment ends"

    @remove.validator
    def _validate_remove(self, leaving: Leaving) -> None:
        self._check_open()
        require(bool(leaving.reason.strip()), "A removal records its reason")
