"""Activities of a Safeguarder's appointment that read the record: the term's plan (every
deadline from the policy and Scotland's working days) and the facts the process follows.
Commands go through `workflows.command_activities`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.application import Assured
from domain.policy import Policy
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import (
    FIRST_YEAR,
    SERVING,
    Status,
    appointment_year,
    mentoring_due,
    year_starts_on,
)
from workflows.appointment.types import (
    NATION,
    AppointmentFacts,
    Requirement,
    TermPlan,
    YearPlan,
)



def facts_of(s: Safeguarder) -> AppointmentFacts:
    years = sorted({*(v["year"] for v in s.sessions.values()), *s.shortfalls})
    return AppointmentFacts(
        str(s.status), s.support_manager, s.appointed_on,
        [Requirement(**s.requirement(y)) for y in years], list(s.shortfalls),
        s.status == Status.IN_REVIEW and s.recommendation is not None,
        sum(1 for m in s.mentoring_sessions if m["year"] == FIRST_YEAR))


class AppointmentActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    def _safeguarder(self, record_id: str) -> Safeguarder:
        return self.app.load(UUID(record_id), Safeguarder)

    @activity.defn(name="appointment.read")
    def read(self, record_id: str) -> AppointmentFacts:
        """What the process follows of the record."""
        return facts_of(self._safeguarder(record_id))

    @activity.defn(name="appointment.plan_term")
    def plan_term(self, record_id: str, term: int) -> TermPlan:
        """The term's dates and every deadline; empty before an appointment, and for a record
        closed before one (an applicant removed or resigned before the process first planned:
        its run then ends)."""
        s = self._safeguarder(record_id)
        found = next((t for t in s.terms if t["number"] == term), None)
        if found is None:
            if term > 1 or s.status in SERVING:
                raise ApplicationError(f"The record has no term {term}", type="NoSuchTerm",
                                       non_retryable=True)
            return TermPlan(term)
        return self._plan(s, found)

    def _plan(self, s: Safeguarder, term: dict[str, Any]) -> TermPlan:
        policy, ends_on = self.app.policy, term["ends_on"]
        assert s.first_appointed_on is not None and s.appointed_on is not None
        due = policy.recommendation_due_before_term_end.before(ends_on, NATION)
        years = _years(s.first_appointed_on, term, policy)
        return TermPlan(
            term["number"], term["starts_on"], ends_on, term["review_opens_on"], due,
            policy.reminder_lead.before(due, NATION),
            policy.allocation_reminder.after(s.appointed_on.date(), NATION),
            years,
            mentoring_due(s.first_appointed_on, policy) if years and years[0].year == 1 else [])


def _years(first: date, term: dict[str, Any], policy: Policy) -> list[YearPlan]:
    years, year = [], appointment_year(first, term["starts_on"])
    while year_starts_on(first, year) < term["ends_on"]:
        due = year_starts_on(first, year + 1) - timedelta(days=1)
        years.append(YearPlan(year, year_starts_on(first, year), due,
                              policy.support_reminder_lead.before(due, NATION)))
        year += 1
    return years

