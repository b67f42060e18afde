"""A Safeguarder's appointment (seed 000): from application to the end of the appointment.

One workflow per Safeguarder; each run is one term, and a re-appointment continues as new into
the next term, so the history stays bounded. Stages follow the record's status:

    applicant -> interviewed -> pre-appointment assessed -> appointed
      -> in re-appointment review -> (Ministers re-appoint) appointed, next term (new run)
                                  -> (Ministers do not) appointment ended (the workflow ends)
    a failed interview or assessment: not appointed (ends); at any time: resigned, removed (ends)

Deadlines, each from `Policy` and Scotland's working days (computed by `plan_term`):
- allocation of a support manager, asked of the panel team lead at appointment; a reminder when
  none arrives within `allocation_reminder` (working days);
- every appointment year: one individual support session and two sampled reports, due by the
  year's last day; the support manager is reminded `support_reminder_lead` before, unless met;
  a year that ends unmet records the shortfall and is escalated to the panel team lead;
- the first year: a peer mentoring session due every `mentoring_interval`;
- the re-appointment review opens at the term's `review_opens_on`; the support manager's
  recommendation is due `recommendation_due_before_term_end` before the term ends, reminded
  `reminder_lead` before, escalated to the panel team lead when late;
- Ministers' decision: no deadline. A re-appointment continues as new at the term's end (after
  its last year is checked), or at once when the decision comes after the term ended.

A concern raised at any time is recorded and climbs its own escalation ladder (child workflow,
abandoned on close so that it outlives a run). People act by validated updates; each answers
once its event is on the record, and a rule the record refuses fails the update.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.common import ACTIVITY, Step, end_of, until
from workflows.escalation import EscalationInput, EscalationWorkflow, escalation_id

with workflow.unsafe.imports_passed_through():
    from domain.safeguarder_values import CLOSED, SERVING, ConcernAbout, Status
    from workflows.activities import ProcessActivities
    from workflows.activities.appointment import (
        AllocationRequest,
        AppointmentActivities,
        Command,
        CommandResult,
        ReviewOpening,
        TermPlan,
        TermQuery,
        YearCheck,
        YearPlan,
    )

NATION = "SCT"  # Safeguarders serve the Children's Hearings in Scotland
PROCESS = "appointment"
PRE_APPOINTMENT = (Status.APPLICANT, Status.INTERVIEWED, Status.ASSESSED)


def appointment_id(safeguarder_id: str) -> str:
    """The business id: one appointment workflow per Safeguarder (its runs are its terms)."""
    return f"appointment-{safeguarder_id}"


def start_of(day: date) -> datetime:
    """The first instant of `day` (UTC), when a dated reminder is due."""
    return end_of(day - timedelta(days=1))


@dataclass
class AppointmentInput:
    safeguarder_id: str
    term: int = 1  # continue-as-new passes the next term


@dataclass
class AppointmentStatus:
    term: int
    stage: str
    support_manager: str | None
    term_starts_on: date | None
    term_ends_on: date | None
    review_opens_on: date | None
    recommendation_due: date | None
    unmet_years: list[int]
    recommended: bool
    reappointed: bool | None
    concerns: list[str]
    history: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """The outcome of the interview or of the pre-appointment assessment."""

    passed: bool
    notes: str
    by: str


@dataclass
class Appointment:
    term_starts_on: date
    by: str


@dataclass
class Allocation:
    manager: str
    reason: str
    by: str


@dataclass
class SupportSession:
    session_id: str
    notes: str
    by: str


@dataclass
class SampledReport:
    report_ref: str
    session_id: str
    discussion: str
    by: str


@dataclass
class Recommendation:
    reappoint: bool
    rationale: str
    exception_reason: str
    by: str


@dataclass
class Decision:
    reappoint: bool
    by: str


@dataclass
class Concern:
    concern_id: str
    about: str
    summary: str
    by: str


@dataclass
class Leaving:
    """A resignation or a removal."""

    reason: str
    by: str


@dataclass(order=True)
class Item:
    """One dated point of the term's agenda; the agenda is taken in this order."""

    moment: datetime
    order: int  # at one moment: a year closes (0) before the next opens (1), then the rest (2)
    kind: str
    year: int
    on: date


def rule_of(failed: ActivityError) -> str | None:
    """The rule a refused command broke, if that is why the activity failed."""
    cause = failed.cause
    if isinstance(cause, ApplicationError) and cause.type == "RuleBroken":
        return cause.message
    return None


def require(condition: bool, rule: str) -> None:
    """A validator's refusal: the update is rejected and nothing changes."""
    if not condition:
        raise ValueError(rule)


@workflow.defn
class AppointmentWorkflow:
    @workflow.init
    def __init__(self, appointment: AppointmentInput) -> None:
        # Set here, not in run: an update may arrive with the start, before run begins.
        self.input = appointment
        self.plan: TermPlan | None = None
        self.stage: str = Status.APPLICANT
        self.support_manager: str | None = None
        self.allocation_remind_on: date | None = None
        self.unmet: list[int] = []
        self.recommended = False
        self.reappointed: bool | None = None
        self.concerns: list[str] = []
        self.history: list[str] = []
        self.lock = asyncio.Lock()  # one change to the record at a time

    @workflow.run
    async def run(self, appointment: AppointmentInput) -> AppointmentStatus:
        await self._plan()
        await workflow.wait_condition(lambda: self.stage not in PRE_APPOINTMENT)
        if self.stage in SERVING:
            if self.plan is None or self.plan.starts_on is None:
                await self._plan()
            if self.support_manager is None:
                await self._request_allocation()
            await self._serve_term()
        await workflow.wait_condition(workflow.all_handlers_finished)
        if self.reappointed and not self._closed():
            workflow.continue_as_new(AppointmentInput(appointment.safeguarder_id,
                                                      appointment.term + 1))
        return self.status()

    def _closed(self) -> bool:
        return self.stage in CLOSED

    # --- activities ------------------------------------------------------------------------

    async def _plan(self) -> None:
        plan = await workflow.execute_activity_method(
            AppointmentActivities.plan_term,
            TermQuery(self.input.safeguarder_id, self.input.term, NATION, workflow.now().date()),
            **ACTIVITY)
        self.plan, self.stage, self.support_manager = plan, plan.status, plan.support_manager
        self.unmet, self.recommended = list(plan.unmet_years), plan.recommended

    async def _step(self, key: str, step: str, details: dict[str, Any]) -> None:
        """Record a step that changes nothing else on the record (a deadline, a reminder)."""
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            ProcessActivities.record_step,
            Step(self.input.safeguarder_id, f"{me}:{key}", PROCESS, step, workflow.now(),
                 details),
            **ACTIVITY)
        self.history.append(f"{workflow.now().date()}: {step}")

    async def _command(self, name: str, step: str, args: dict[str, Any],
                       by: str) -> CommandResult:
        """Run a person's action on the record; a refused rule fails the update with it."""
        update = workflow.current_update_info()
        step_id = f"{workflow.info().workflow_id}:{name}:{update.id if update else 'run'}"
        async with self.lock:
            try:
                result = await workflow.execute_activity_method(
                    AppointmentActivities.command,
                    Command(self.input.safeguarder_id, step_id, step, name, args, by,
                            workflow.now()),
                    **ACTIVITY)
            except ActivityError as failed:
                rule = rule_of(failed)
                if rule is None:
                    raise
                raise ApplicationError(rule, type="RuleBroken", non_retryable=True) from None
        self.stage, self.support_manager = result.status, result.support_manager
        self.history.append(f"{workflow.now().date()}: {step}")
        return result

    async def _request_allocation(self) -> None:
        me, today = workflow.info().workflow_id, workflow.now().date()
        self.allocation_remind_on = await workflow.execute_activity_method(
            AppointmentActivities.request_allocation,
            AllocationRequest(self.input.safeguarder_id,
                              f"{me}:term-{self.input.term}:allocation-requested", today,
                              NATION, workflow.now()),
            **ACTIVITY)
        self.history.append(f"{today}: allocation requested of the panel team lead")

    # --- the term's agenda -----------------------------------------------------------------

    def _agenda(self) -> list[Item]:
        assert self.plan is not None and self.plan.ends_on is not None
        p, items = self.plan, []
        if self.allocation_remind_on is not None:
            on = self.allocation_remind_on
            items.append(Item(end_of(on), 2, "allocation-reminder", 0, on))
        for y in p.years:
            items += [Item(start_of(y.starts_on), 1, "year-opens", y.year, y.starts_on),
                      Item(start_of(y.reminder_on), 2, "support-reminder", y.year, y.reminder_on),
                      Item(end_of(y.due_on), 0, "year-ends", y.year, y.due_on)]
        items += [Item(start_of(due), 2, "mentoring-due", n, due)
                  for n, due in enumerate(p.mentoring_due, start=1)]
        assert p.review_opens_on and p.recommendation_due and p.recommendation_reminder_on
        items += [Item(start_of(p.review_opens_on), 2, "review-opens", 0, p.review_opens_on),
                  Item(start_of(p.recommendation_reminder_on), 2, "recommendation-reminder", 0,
                       p.recommendation_reminder_on),
                  Item(end_of(p.recommendation_due), 2, "recommendation-due", 0,
                       p.recommendation_due)]
        return sorted(items)

    async def _serve_term(self) -> None:
        """Take the agenda in date order, then wait for the Ministers' decision."""
        for item in self._agenda():
            if not await self._reach(item.moment):
                return
            await self._take(item)
        await workflow.wait_condition(lambda: self.reappointed is not None or self._closed())

    async def _reach(self, moment: datetime) -> bool:
        """Let time run until `moment`; False if the record closed meanwhile."""
        wait = until(workflow.now(), moment)
        if wait > timedelta(0) and not self._closed():
            try:
                await workflow.wait_condition(self._closed, timeout=wait)
            except TimeoutError:
                pass
        return not self._closed()

    async def _take(self, item: Item) -> None:
        steps = {"allocation-reminder": self._remind_allocation, "year-opens": self._open_year,
                 "support-reminder": self._remind_support, "year-ends": self._close_year,
                 "mentoring-due": self._mentoring_due, "review-opens": self._open_review,
                 "recommendation-reminder": self._remind_recommendation,
                 "recommendation-due": self._recommendation_due}
        try:
            async with self.lock:
                await steps[item.kind](item)
        except ActivityError as failed:
            rule = rule_of(failed)
            if rule is None:
                raise
            # The record moved on meanwhile (e.g. closed by an update): note it and go on.
            self.history.append(f"{workflow.now().date()}: {item.kind} refused: {rule}")

    def _year(self, year: int) -> YearPlan:
        assert self.plan is not None
        return next(y for y in self.plan.years if y.year == year)

    async def _remind_allocation(self, item: Item) -> None:
        if self.support_manager is None:
            await self._step(f"term-{self.input.term}:allocation-reminder",
                             "allocation reminder sent",
                             {"to": "panel team lead", "allocation_due": item.on.isoformat()})

    async def _open_year(self, item: Item) -> None:
        y = self._year(item.year)
        await self._step(f"year-{y.year}:due-dates", "support due dates set",
                         {"year": y.year, "support_session_due": y.due_on.isoformat(),
                          "sampled_reports_due": y.due_on.isoformat(),
                          "reminder_on": y.reminder_on.isoformat(),
                          "support_sessions_required": 1, "sampled_reports_required": 2})
        if y.year == 1 and self.plan and self.plan.mentoring_due:
            await self._step("year-1:mentoring-due-dates", "peer mentoring due dates set",
                             {"year": 1, "due": [d.isoformat() for d in self.plan.mentoring_due],
                              "to": "mentoring coordinator"})

    async def _remind_support(self, item: Item) -> None:
        me, y = workflow.info().workflow_id, self._year(item.year)
        reminded = await workflow.execute_activity_method(
            AppointmentActivities.remind_of_support,
            YearCheck(self.input.safeguarder_id, f"{me}:year-{y.year}:support-reminder", y.year,
                      y.due_on, workflow.now()),
            **ACTIVITY)
        if reminded:
            self.history.append(f"{workflow.now().date()}: support reminder sent (year {y.year})")

    async def _close_year(self, item: Item) -> None:
        me, y = workflow.info().workflow_id, self._year(item.year)
        outcome = await workflow.execute_activity_method(
            AppointmentActivities.close_year,
            YearCheck(self.input.safeguarder_id, f"{me}:year-{y.year}:closed", y.year, y.due_on,
                      workflow.now()),
            **ACTIVITY)
        if outcome.met:
            self.history.append(f"{workflow.now().date()}: year {y.year} requirement met")
            return
        self.unmet.append(y.year)
        await self._step(f"year-{y.year}:shortfall-escalated",
                         "shortfall escalated to panel team lead",
                         {"to": "panel team lead", "year": y.year, "sessions": outcome.sessions,
                          "sampled_reports": outcome.sampled_reports})

    async def _mentoring_due(self, item: Item) -> None:
        await self._step(f"year-1:mentoring-{item.year}-due", "peer mentoring session due",
                         {"to": "mentoring coordinator", "session": item.year,
                          "due_on": item.on.isoformat()})

    async def _open_review(self, item: Item) -> None:
        assert self.plan and self.plan.recommendation_due and self.plan.recommendation_reminder_on
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            AppointmentActivities.open_review,
            ReviewOpening(self.input.safeguarder_id, f"{me}:term-{self.input.term}:review",
                          self.plan.recommendation_due, self.plan.recommendation_reminder_on,
                          workflow.now()),
            **ACTIVITY)
        self.stage = Status.IN_REVIEW
        self.history.append(f"{workflow.now().date()}: re-appointment review opened")

    async def _remind_recommendation(self, item: Item) -> None:
        if not self.recommended and self.stage == Status.IN_REVIEW:
            assert self.plan and self.plan.recommendation_due
            await self._step(f"term-{self.input.term}:recommendation-reminder",
                             "recommendation reminder sent",
                             {"to": "support manager",
                              "due_on": self.plan.recommendation_due.isoformat()})

    async def _recommendation_due(self, item: Item) -> None:
        if not self.recommended and self.stage == Status.IN_REVIEW:
            await self._step(f"term-{self.input.term}:recommendation-escalated",
                             "recommendation escalated to panel team lead",
                             {"to": "panel team lead", "due_on": item.on.isoformat()})

    # --- query -----------------------------------------------------------------------------

    @workflow.query
    def status(self) -> AppointmentStatus:
        p = self.plan
        return AppointmentStatus(
            self.input.term, str(self.stage), self.support_manager,
            p.starts_on if p else None, p.ends_on if p else None,
            p.review_opens_on if p else None, p.recommendation_due if p else None,
            list(self.unmet), self.recommended, self.reappointed, list(self.concerns),
            list(self.history))

    # --- from application to appointment ---------------------------------------------------

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

    # --- the appointment years -------------------------------------------------------------

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

    # --- re-appointment --------------------------------------------------------------------

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

    # --- at any time -----------------------------------------------------------------------

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
