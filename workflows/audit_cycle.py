"""Multi-agency audit cycle (seeds 003 and 004): one a year, started by a yearly schedule.

| state | waits for | until (policy period) | on time | late |
|---|---|---|---|---|
| planned | - | - | `Planned` (the plan review falls due `audit_plan_review`, 6 months, later) | - |
| cases selected | - | - | `CasesSelectedAtRandom` (recorded seed) or `CasesSelectedByRisk` from the open cases | a refusal (too few cases) is recorded and fails the run |
| returns requested | every agency's return (update `submit_return`) | start of `reminder_lead` (5 working days) before the returns due date | - | step "return reminder sent" per outstanding agency |
| reminded | the same | end of the returns due date | - | `ReturnChased` per outstanding agency |
| chased | the same | end of `audit_non_compliance` (10 working days) after the due date | - | `NonComplianceEscalated` to the Safeguarding Operational Sub-Group |
| moderated to closed | updates `moderate`, `record_findings`, `report`, `agree_actions`, `close`, in order | - | each its event | - |
| (throughout) | update `review_plan` | start of the stored `plan_review_due` | `PlanReviewed`, next review due | step "plan review due" (to the sub-group chair) |

Working days count in the input's nation (an audit record has none; England by default, seed 004).
Workflow id `audit-cycle-<year>`; runs the schedule starts are `audit-cycle-<scheduled ISO time>`,
which begins with the year too. The audit record's id is natural by year (one audit a year).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from typing import Any

from temporalio import workflow
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
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.common import ACTIVITY, TASK_QUEUE, Step, end_of, until

with workflow.unsafe.imports_passed_through():
    from domain import audit_values as rules
    from domain.audit_values import AuditStage
    from domain.errors import RuleBroken
    from domain.policy import add_months
    from workflows.activities import ProcessActivities
    from workflows.activities.audit_cycle import (
        PROCESS,
        AgencyStep,
        AgreedAuditAction,
        AuditCycleActivities,
        AuditPlan,
        AuditStep,
        PlanReview,
        ReturnsRequest,
        ReturnSubmission,
        Selection,
    )

AUDIT_CYCLE = "audit-cycle"
AUDIT_SCHEDULE_ID = "audit-cycle-yearly"


def audit_cycle_id(year: int) -> str:
    """The business id: one audit cycle a year."""
    return f"{AUDIT_CYCLE}-{year}"


@dataclass
class AuditCycleInput:
    """A year's audit. With `year` empty (as the schedule starts it) the run audits the year it
    starts in, its returns due on `returns_due`'s month and day next to come."""

    theme: str
    dimension: str  # single_agency | multi_agency | partnership
    audit_type: str  # multi_agency_practice | section_11 | single_agency | schools
    agencies: list[str]
    sample_size: int
    returns_due: date
    selection_method: str = "random"  # random | risk
    seed: int | None = None  # empty: drawn by the workflow, and recorded with the selection
    year: int | None = None
    nation: str = "ENG"


@dataclass
class AuditCycleStatus:
    audit_id: str | None
    year: int
    stage: str
    returns_due: date | None = None
    reminder_on: date | None = None
    escalate_on: date | None = None
    plan_review_due: date | None = None
    selected_cases: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    chased: list[str] = field(default_factory=list)
    non_compliant: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)


@dataclass
class ReturnRequest:
    agency: str
    supervision_grade: str  # outstanding | good | requires_improvement | inadequate
    oversight_grade: str
    evidence: str
    by: str


@dataclass
class NotesRequest:
    """Notes of a plan review or of moderation."""

    notes: str
    by: str


@dataclass
class FindingsRequest:
    strengths: list[str]
    areas_for_development: list[str]
    by: str


@dataclass
class ReportRequest:
    group: str
    by: str


@dataclass
class ActionsRequest:
    actions: list[AgreedAuditAction]
    by: str


@dataclass
class CloseAuditRequest:
    by: str


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def next_occurrence(day: date, today: date) -> date:
    """`day`'s month and day in the first year in which it is still to come."""
    moved = add_months(day, 12 * (today.year - day.year))
    return moved if moved > today else add_months(moved, 12)


def obey(check: Callable[[], Any]) -> None:
    """Run a domain check in a validator: a broken rule rejects the update."""
    try:
        check()
    except RuleBroken as broken:
        raise ValueError(broken.rule) from None


def rule_of(failed: ActivityError) -> BaseException:
    """An activity refused by a domain rule, as a failure with the rule's words."""
    cause = failed.cause
    if isinstance(cause, ApplicationError) and cause.type == "RuleBroken":
        return ApplicationError(cause.message, type="RuleBroken", non_retryable=True)
    return failed


@workflow.defn
class AuditCycleWorkflow:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # one write to the audit at a time: loop, timer or update
        self.audit_id: str | None = None
        self.stage = AuditStage.PLANNED
        self.agencies: list[str] = []
        self.selected: list[str] = []
        self.submitted: list[str] = []
        self.chased: list[str] = []
        self.escalated: list[str] = []
        self.deadlines: dict[str, date] = {}
        self.plan_review_due: date | None = None
        self.reviews = 0
        self.history: list[str] = []

    @workflow.run
    async def run(self, cycle: AuditCycleInput) -> AuditCycleStatus:
        today = workflow.now().date()
        self.year = cycle.year or today.year
        due = cycle.returns_due if cycle.year else next_occurrence(cycle.returns_due, today)
        self.input, self.agencies = cycle, list(cycle.agencies)
        await self._plan(due)
        reviews = asyncio.create_task(self._keep_plan_reviewed())
        await self._select(cycle.seed if cycle.seed is not None
                           else workflow.random().randint(1, 2**31 - 1))
        await self._request_returns()
        await self._follow_returns()
        await workflow.wait_condition(lambda: self.stage == AuditStage.CLOSED)
        await reviews
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    async def _plan(self, due: date) -> None:
        c, me = self.input, workflow.info().workflow_id
        try:
            planned = await workflow.execute_activity_method(
                AuditCycleActivities.plan,
                AuditPlan(f"{me}:planned", self.year, c.theme, c.dimension, c.audit_type,
                          list(c.agencies), c.sample_size, due, workflow.now()), **ACTIVITY)
        except ActivityError as failed:
            raise rule_of(failed) from None
        self.audit_id, self.plan_review_due = planned.audit_id, planned.plan_review_due
        self.history.append(f"planned {self.year}: returns due {due}")

    async def _select(self, seed: int) -> None:
        me = workflow.info().workflow_id
        method = self.input.selection_method
        async with self.lock:
            try:
                self.selected = await workflow.execute_activity_method(
                    AuditCycleActivities.select_cases,
                    Selection(self._id, f"{me}:cases-selected", method, seed, workflow.now()),
                    **ACTIVITY)
            except ActivityError as failed:
                refusal = rule_of(failed)
                if refusal is failed:
                    raise
                await self._record("case selection refused", "selection-refused",
                                   {"method": method, "rule": str(refusal)})
                raise refusal from None
        self.stage = AuditStage.CASES_SELECTED
        self.history.append(f"{len(self.selected)} cases selected ({method})")

    async def _request_returns(self) -> None:
        me = workflow.info().workflow_id
        async with self.lock:
            found = await workflow.execute_activity_method(
                AuditCycleActivities.request_returns,
                ReturnsRequest(self._id, f"{me}:returns-requested", self.input.nation,
                               workflow.now()), **ACTIVITY)
        self.deadlines = {"due": found.returns_due, "remind": found.reminder_on,
                          "escalate": found.escalate_on}
        self.stage = AuditStage.RETURNS_REQUESTED
        self.history.append(f"returns requested: due {found.returns_due}")

    async def _follow_returns(self) -> None:
        """Remind, chase, then escalate the agencies whose returns are still outstanding."""
        d = self.deadlines
        if not await self._all_returned_by(start_of(d["remind"])):
            await self._each_outstanding("reminder", self._remind)
        if not await self._all_returned_by(end_of(d["due"])):
            await self._each_outstanding("chase", self._chase)
        if not await self._all_returned_by(end_of(d["escalate"])):
            await self._each_outstanding("escalation", self._escalate)

    async def _all_returned_by(self, moment: datetime) -> bool:
        def returned() -> bool:
            return len(self.submitted) == len(self.agencies)

        if returned():  # a passed moment times out at once, before the condition is looked at
            return True
        try:
            await workflow.wait_condition(returned, timeout=until(workflow.now(), moment))
            return True
        except TimeoutError:
            return False

    async def _each_outstanding(self, what: str, act: Callable[[str], Any]) -> None:
        async with self.lock:
            outstanding = [a for a in self.agencies if a not in self.submitted]
            for agency in outstanding:
                await act(agency)
        self.history.append(f"{what}: {', '.join(outstanding)}")

    async def _remind(self, agency: str) -> None:
        await self._record("return reminder sent", f"reminder-{agency}", {
            "agency": agency, "to": "agency audit lead",
            "returns_due": self.deadlines["due"].isoformat()})

    async def _chase(self, agency: str) -> None:
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            AuditCycleActivities.chase_return,
            AgencyStep(self._id, f"{me}:chase-{agency}", agency, workflow.now()), **ACTIVITY)
        self.chased.append(agency)

    async def _escalate(self, agency: str) -> None:
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            AuditCycleActivities.escalate_non_compliance,
            AgencyStep(self._id, f"{me}:escalate-{agency}", agency, workflow.now()),
            **ACTIVITY)
        self.escalated.append(agency)

    async def _keep_plan_reviewed(self) -> None:
        """At each stored plan review date, remind the chair; a review sets the next date."""
        while self.stage != AuditStage.CLOSED:
            assert self.plan_review_due is not None
            await self._plan_review_falls_due(self.plan_review_due)

    async def _plan_review_falls_due(self, due: date) -> None:
        def moved_on() -> bool:
            return self.stage == AuditStage.CLOSED or self.plan_review_due != due

        try:
            await workflow.wait_condition(moved_on, timeout=until(workflow.now(), start_of(due)))
            return
        except TimeoutError:
            pass
        async with self.lock:
            if self.stage != AuditStage.CLOSED:
                await self._record("plan review due", f"plan-review-due-{due}", {
                    "to": "chair of the Practice Review Sub-Group", "due": due.isoformat()})
                self.history.append(f"plan review due {due}")
        await workflow.wait_condition(moved_on)

    async def _record(self, step: str, key: str, details: dict[str, Any]) -> None:
        me = workflow.info().workflow_id
        await workflow.execute_activity_method(
            ProcessActivities.record_step,
            Step(self._id, f"{me}:{key}", PROCESS, step, workflow.now(), details), **ACTIVITY)

    async def _command(self, activity: Any, argument: Callable[[datetime], Any]) -> None:
        """Run a person's command under the lock, timed when it runs; a broken rule fails the
        update with the rule's words."""
        async with self.lock:
            try:
                await workflow.execute_activity_method(activity, argument(workflow.now()),
                                                       **ACTIVITY)
            except ActivityError as failed:
                raise rule_of(failed) from None

    @property
    def _id(self) -> str:
        assert self.audit_id is not None
        return self.audit_id

    @workflow.query
    def status(self) -> AuditCycleStatus:
        d = self.deadlines
        return AuditCycleStatus(
            self.audit_id, self.year, str(self.stage), d.get("due"), d.get("remind"),
            d.get("escalate"), self.plan_review_due, list(self.selected),
            list(self.submitted), list(self.chased), list(self.escalated), list(self.history))

    # -- people's steps ----------------------------------------------------------------------

    @workflow.update
    async def submit_return(self, r: ReturnRequest) -> str:
        """An agency's return; answers once it is recorded on the audit."""
        me = workflow.info().workflow_id
        await self._command(AuditCycleActivities.submit_return, lambda at: ReturnSubmission(
            self._id, f"{me}:return-{r.agency}", r.agency, r.supervision_grade,
            r.oversight_grade, r.evidence, r.by, at))
        self.submitted.append(r.agency)
        self.history.append(f"return submitted: {r.agency}")
        return f"Return of {r.agency} recorded"

    @submit_return.validator
    def _validate_return(self, r: ReturnRequest) -> None:
        obey(lambda: rules.check_returns_open(self.stage))
        if r.agency not in self.agencies:
            raise ValueError("A return must refer to an agency taking part in the audit")
        if r.agency in self.submitted:
            raise ValueError("An agency submits one return to an audit")
        obey(lambda: rules.check_grades(r.supervision_grade, r.oversight_grade))
        if not rules.is_text(r.evidence):
            raise ValueError("A return needs evidence for its grades")

    @workflow.update
    async def review_plan(self, r: NotesRequest) -> str:
        """The six-monthly review of the audit plan; answers with the next review's date."""
        me, self.reviews = workflow.info().workflow_id, self.reviews + 1
        number = self.reviews
        async with self.lock:
            try:
                self.plan_review_due = await workflow.execute_activity_method(
                    AuditCycleActivities.review_plan,
                    PlanReview(self._id, f"{me}:plan-review-{number}", r.notes, r.by,
                               workflow.now()), **ACTIVITY)
            except ActivityError as failed:
                self.reviews -= 1
                raise rule_of(failed) from None
        self.history.append(f"plan reviewed; next review due {self.plan_review_due}")
        return f"Plan reviewed; next review due {self.plan_review_due}"

    @review_plan.validator
    def _validate_review(self, r: NotesRequest) -> None:
        if self.stage == AuditStage.CLOSED or self.audit_id is None:
            raise ValueError("Only a planned, open audit's plan is reviewed")
        if not rules.is_text(r.notes):
            raise ValueError("A review of an audit plan records notes")

    async def _advance(self, stage: AuditStage, step: str, by: str, **fields: Any) -> str:
        me = workflow.info().workflow_id
        await self._command(AuditCycleActivities.advance, lambda at: AuditStep(
            self._id, f"{me}:{stage}", step, by, at, **fields))
        self.stage = stage
        self.history.append(step)
        return f"Audit {step}"

    def _check_next(self, stage: AuditStage) -> None:
        obey(lambda: rules.check_next_step(self.stage, stage))

    @workflow.update
    async def moderate(self, r: NotesRequest) -> str:
        return await self._advance(AuditStage.MODERATED, "moderated", r.by, notes=r.notes)

    @moderate.validator
    def _validate_moderate(self, r: NotesRequest) -> None:
        self._check_next(AuditStage.MODERATED)
        if [a for a in self.agencies if a not in self.submitted + self.escalated]:
            raise ValueError("An audit cannot be moderated while an agency's return is neither "
                             "submitted nor escalated as non-compliant")
        if not rules.is_text(r.notes):
            raise ValueError("Moderation records notes")

    @workflow.update
    async def record_findings(self, r: FindingsRequest) -> str:
        return await self._advance(
            AuditStage.FINDINGS_RECORDED, "findings recorded", r.by,
            strengths=list(r.strengths), areas_for_development=list(r.areas_for_development))

    @record_findings.validator
    def _validate_findings(self, r: FindingsRequest) -> None:
        self._check_next(AuditStage.FINDINGS_RECORDED)
        findings = r.strengths + r.areas_for_development
        if not findings or not all(rules.is_text(f) for f in findings):
            raise ValueError("Findings name at least one strength or area for development, "
                             "each written out")

    @workflow.update
    async def report(self, r: ReportRequest) -> str:
        return await self._advance(AuditStage.REPORTED, "reported", r.by, notes=r.group)

    @report.validator
    def _validate_report(self, r: ReportRequest) -> None:
        self._check_next(AuditStage.REPORTED)
        if not rules.is_text(r.group):
            raise ValueError("An audit is reported to a named group")

    @workflow.update
    async def agree_actions(self, r: ActionsRequest) -> str:
        return await self._advance(AuditStage.ACTIONS_AGREED, "actions agreed", r.by,
                                   actions=list(r.actions))

    @agree_actions.validator
    def _validate_actions(self, r: ActionsRequest) -> None:
        self._check_next(AuditStage.ACTIONS_AGREED)
        obey(lambda: rules.check_actions([vars(a) for a in r.actions], workflow.now().date()))

    @workflow.update
    async def close(self, r: CloseAuditRequest) -> str:
        return await self._advance(AuditStage.CLOSED, "closed", r.by)

    @close.validator
    def _validate_close(self, r: CloseAuditRequest) -> None:
        self._check_next(AuditStage.CLOSED)


async def ensure_audit_schedule(
    client: Client, template: AuditCycleInput, *, month: int, day: int, hour: int = 6,
    schedule_id: str = AUDIT_SCHEDULE_ID, task_queue: str = TASK_QUEUE,
) -> ScheduleHandle:
    """Create, or bring up to date, the yearly schedule that starts each year's audit cycle.

    Each run audits the year it starts in (the template's year is cleared). Runs may overlap:
    an audit still closing must not hold up the next year's. The action's workflow id is
    `audit-cycle`; Temporal appends the scheduled time, e.g. `audit-cycle-2027-04-01T06:00:00Z`.
    """
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(AuditCycleWorkflow.run, replace(template, year=None),
                                           id=AUDIT_CYCLE, task_queue=task_queue),
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
