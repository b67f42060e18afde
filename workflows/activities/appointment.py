"""Activities of a Safeguarder's appointment (workflows/appointment.py).

`plan_term` reads the term's dates from the record and computes every deadline from the policy
and Scotland's working days; the others run one Safeguarder command or record one step, each
with the workflow's step in the same save (idempotent by step id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.panel import PanelRegion
from domain.policy import Policy
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import Status, appointment_year, year_starts_on
from workflows.activities import WithApplication

PROCESS = "appointment"


def met_years(s: Safeguarder) -> list[int]:
    """The appointment years whose support session and sampled reports are all recorded."""
    return sorted(y for y in {session["year"] for session in s.sessions.values()}
                  if s.requirement_met(y))


@dataclass
class TermQuery:
    record_id: str
    term: int
    nation: str
    on: date


@dataclass
class YearPlan:
    year: int  # counted from the first appointment, across terms
    starts_on: date
    due_on: date  # the year's last day: its support session and two sampled reports are due
    reminder_on: date


@dataclass
class TermPlan:
    status: str
    support_manager: str | None
    term: int
    starts_on: date | None = None
    ends_on: date | None = None
    review_opens_on: date | None = None
    recommendation_due: date | None = None
    recommendation_reminder_on: date | None = None
    years: list[YearPlan] = field(default_factory=list)
    mentoring_due: list[date] = field(default_factory=list)
    unmet_years: list[int] = field(default_factory=list)
    met_years: list[int] = field(default_factory=list)
    recommended: bool = False


@dataclass
class Command:
    """A person's action on the record, from one of the workflow's updates."""

    record_id: str
    step_id: str
    step: str
    name: str  # a key of COMMANDS
    args: dict[str, Any]  # JSON values; dates as ISO strings
    by: str
    at: datetime


@dataclass
class CommandResult:
    status: str
    support_manager: str | None
    met_years: list[int] = field(default_factory=list)


@dataclass
class AllocationRequest:
    record_id: str
    step_id: str
    appointed_on: date
    nation: str
    at: datetime


@dataclass
class YearCheck:
    record_id: str
    step_id: str
    year: int
    due_on: date
    at: datetime


@dataclass
class YearOutcome:
    year: int
    sessions: int
    sampled_reports: int
    met: bool


@dataclass
class ReviewOpening:
    record_id: str
    step_id: str
    recommendation_due: date
    reminder_on: date
    at: datetime


Apply = Callable[[Safeguarder, dict[str, Any], str, datetime, "AppointmentActivities"], None]

COMMANDS: dict[str, Apply] = {
    "record_interview": lambda s, a, by, at, _: s.record_interview(
        a["passed"], a["notes"], by=by, at=at),
    "record_assessment": lambda s, a, by, at, _: s.record_assessment(
        a["passed"], a["notes"], by=by, at=at),
    "appoint": lambda s, a, by, at, acts: s.appoint(
        date.fromisoformat(a["term_starts_on"]), by=by, at=at, policy=acts.app.policy),
    "allocate": lambda s, a, by, at, acts: s.allocate(
        acts.region_of(s), a["manager"], a["reason"], by=by, at=at),
    "record_support_session": lambda s, a, by, at, _: s.record_support_session(
        a["session_id"], a["notes"], by=by, at=at),
    "record_sampled_report": lambda s, a, by, at, _: s.record_sampled_report(
        a["report_ref"], a["session_id"], a["discussion"], by=by, at=at),
    "recommend": lambda s, a, by, at, _: s.recommend(
        a["reappoint"], a["rationale"], a["exception_reason"], by=by, at=at),
    "record_ministers_decision": lambda s, a, by, at, acts: s.record_ministers_decision(
        a["reappoint"], by=by, at=at, policy=acts.app.policy),
    "raise_concern": lambda s, a, by, at, _: s.raise_concern(
        a["concern_id"], a["about"], a["summary"], by=by, at=at),
    "resign": lambda s, a, by, at, _: s.resign(a["reason"], by=by, at=at),
    "remove": lambda s, a, by, at, _: s.remove(a["reason"], by=by, at=at),
}

# What of each command's arguments goes into the step's details (no free text, no names).
DETAILS = {"passed", "term_starts_on", "session_id", "report_ref", "reappoint",
           "concern_id", "about"}


class AppointmentActivities(WithApplication):
    def safeguarder(self, record_id: str) -> Safeguarder:
        return self.app.load(UUID(record_id), Safeguarder)

    def region_of(self, safeguarder: Safeguarder) -> PanelRegion:
        """The Safeguarder's region with its support managers (read, not changed)."""
        return self.app.load(PanelRegion.create_id(safeguarder.region), PanelRegion)

    @activity.defn(name="appointment.plan_term")
    def plan_term(self, query: TermQuery) -> TermPlan:
        """The record's stage and, once appointed, the term's dates and every deadline."""
        s = self.safeguarder(query.record_id)
        plan = TermPlan(str(s.status), s.support_manager, query.term)
        term = next((t for t in s.terms if t["number"] == query.term), None)
        if term is None:
            if query.term > 1 or s.status not in (Status.APPLICANT, Status.INTERVIEWED,
                                                   Status.ASSESSED, Status.NOT_APPOINTED):
                raise ApplicationError(f"The record has no term {query.term}",
                                       type="NoSuchTerm", non_retryable=True)
            return plan
        self._dates(plan, s, term, query.nation)
        years = {y.year for y in plan.years}
        plan.unmet_years = [y for y in s.unmet_years(query.on) if y in years]
        plan.met_years = met_years(s)
        plan.recommended = s.status == Status.IN_REVIEW and s.recommendation is not None
        return plan

    def _dates(self, plan: TermPlan, s: Safeguarder, term: dict[str, Any], nation: str) -> None:
        policy = self.app.policy
        plan.starts_on, plan.ends_on = term["starts_on"], term["ends_on"]
        plan.review_opens_on = term["review_opens_on"]
        plan.recommendation_due = policy.recommendation_due_before_term_end.before(
            term["ends_on"], nation)
        plan.recommendation_reminder_on = policy.reminder_lead.before(plan.recommendation_due,
                                                                      nation)
        plan.years = self._years(s.first_appointed_on, term, policy, nation)
        if plan.years and plan.years[0].year == 1:
            plan.mentoring_due = self._mentoring(s.first_appointed_on, policy, nation)

    @staticmethod
    def _years(first: date | None, term: dict[str, Any], policy: Policy,
               nation: str) -> list[YearPlan]:
        assert first is not None
        years, year = [], appointment_year(first, term["starts_on"])
        while year_starts_on(first, year) < term["ends_on"]:
            due = year_starts_on(first, year + 1) - timedelta(days=1)
            years.append(YearPlan(year, year_starts_on(first, year), due,
                                  policy.support_reminder_lead.before(due, nation)))
            year += 1
        return years

    @staticmethod
    def _mentoring(first: date | None, policy: Policy, nation: str) -> list[date]:
        """A peer mentoring session due by the end of each interval of the first year."""
        assert first is not None
        due, start, second_year = [], first, year_starts_on(first, 2)
        while (start := policy.mentoring_interval.after(start, nation)) <= second_year:
            due.append(start - timedelta(days=1))
        return due

    @activity.defn(name="appointment.command")
    def command(self, c: Command) -> CommandResult:
        """Run a person's action on the record (a broken rule fails it for good)."""
        apply = COMMANDS[c.name]
        details = {k: v for k, v in c.args.items() if k in DETAILS}
        self.step(c.record_id, c.step_id, PROCESS, c.step, details,
                  lambda s: apply(s, c.args, c.by, c.at, self), at=c.at)
        s = self.safeguarder(c.record_id)
        return CommandResult(str(s.status), s.support_manager, met_years(s))

    @activity.defn(name="appointment.request_allocation")
    def request_allocation(self, request: AllocationRequest) -> date:
        """Ask the panel team lead to allocate a support manager; the reminder date is returned."""
        remind = self.app.policy.allocation_reminder.after(request.appointed_on, request.nation)
        self.step(request.record_id, request.step_id, PROCESS, "allocation requested",
                  {"to": "panel team lead", "remind_on": remind.isoformat()}, at=request.at)
        return remind

    @activity.defn(name="appointment.remind_of_support")
    def remind_of_support(self, check: YearCheck) -> bool:
        """Remind the support manager of the year's requirement, unless it is already met."""
        requirement = self.safeguarder(check.record_id).requirement(check.year)
        if requirement["met"]:
            return False
        self.step(check.record_id, check.step_id, PROCESS, "support reminder sent",
                  {"to": "support manager", "year": check.year, "due_on": check.due_on.isoformat(),
                   "sessions": requirement["sessions"],
                   "sampled_reports": requirement["sampled_reports"]}, at=check.at)
        return True

    @activity.defn(name="appointment.close_year")
    def close_year(self, check: YearCheck) -> YearOutcome:
        """Check the ended year's requirement; an unmet one records the shortfall."""
        s = self.safeguarder(check.record_id)
        outcome = YearOutcome(**s.requirement(check.year))
        details = {"year": check.year, "sessions": outcome.sessions,
                   "sampled_reports": outcome.sampled_reports, "due_on": check.due_on.isoformat()}
        if outcome.met:
            self.step(check.record_id, check.step_id, PROCESS, "annual requirement met", details,
                      at=check.at)
        elif check.year in s.ended_years(check.at.date()) and check.year not in s.shortfalls:
            def shortfall(record: Safeguarder) -> None:
                record.record_annual_shortfall(check.year, by=f"process:{PROCESS}", at=check.at)

            self.step(check.record_id, check.step_id, PROCESS, "annual shortfall recorded",
                      details, shortfall, at=check.at)
        else:
            self.step(check.record_id, check.step_id, PROCESS, "annual requirement unmet",
                      details, at=check.at)
        return outcome

    @activity.defn(name="appointment.open_review")
    def open_review(self, opening: ReviewOpening) -> None:
        o = opening
        self.step(o.record_id, o.step_id, PROCESS, "re-appointment review opened",
                  {"recommendation_due": o.recommendation_due.isoformat(),
                   "reminder_on": o.reminder_on.isoformat()},
                  lambda s: s.open_reappointment_review(by=f"process:{PROCESS}", at=o.at),
                  at=o.at)
