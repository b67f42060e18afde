"""Values of the Safeguarder record (seed 000), and the appointment-year arithmetic."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from domain.policy import Policy, add_months


class Status(StrEnum):
    APPLICANT = "applicant"
    INTERVIEWED = "interviewed"
    ASSESSED = "pre-appointment assessed"
    NOT_APPOINTED = "not appointed"
    APPOINTED = "appointed"
    IN_REVIEW = "in re-appointment review"
    ENDED = "appointment ended"
    RESIGNED = "resigned"
    REMOVED = "removed"


CLOSED = (Status.NOT_APPOINTED, Status.ENDED, Status.RESIGNED, Status.REMOVED)
SERVING = (Status.APPOINTED, Status.IN_REVIEW)


class FeedbackSource(StrEnum):
    CHILD_OR_YOUNG_PERSON = "child or young person"
    FAMILY = "family"
    PROFESSIONAL = "professional"
    PANEL_MEMBER = "panel member"
    REPORTER = "reporter"


class Tone(StrEnum):
    POSITIVE = "positive"
    MIXED = "mixed"
    NEGATIVE = "negative"
    NOT_RECORDED = "not recorded"


class ConcernAbout(StrEnum):
    WORK = "work"
    ACTIONS = "actions"
    BEHAVIOUR = "behaviour"


FIRST_YEAR = 1  # peer mentoring runs through it (seed 000)

# The annual requirement, seed 000 'Individual and Group Support'.
SESSIONS_REQUIRED_PER_YEAR = 1
SAMPLED_REPORTS_REQUIRED_PER_YEAR = 2


def year_starts_on(first_appointed_on: date, year: int) -> date:
    """Appointment years count on from the first appointment, across terms (year 4 is term 2's first)."""
    return add_months(first_appointed_on, 12 * (year - 1))


def appointment_year(first_appointed_on: date, on: date) -> int:
    """Which appointment year `on` falls in (1 for the first twelve months)."""
    year = 1
    while year_starts_on(first_appointed_on, year + 1) <= on:
        year += 1
    return year


def mentoring_due(first_appointed_on: date, policy: Policy) -> list[date]:
    """The days by which each peer mentoring session of the first year is due (seed 000:
    sessions "over the first year of their appointment"): the last day of each
    `mentoring_interval` of it."""
    due, start, second_year = [], first_appointed_on, year_starts_on(first_appointed_on, 2)
    while (start := policy.mentoring_interval.after(start)) <= second_year:
        due.append(start - timedelta(days=1))
    return due
