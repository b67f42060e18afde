"""Values of the Safeguarder record (seed 000), and the appointment-year arithmetic."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from enum import StrEnum

from domain.errors import require
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

STATUS_EVENTS = ("Applied", "Interviewed", "Assessed", "Appointed", "ReappointmentReviewOpened",
                 "MinistersDecided", "Resigned", "Removed")
"""The events of a Safeguarder's record that set its status; every other event leaves it."""


def status_after(event: str, *, passed: bool | None = None,
                 reappoint: bool | None = None) -> Status:
    """A Safeguarder's status once `event` (one of STATUS_EVENTS) has happened, given what the
    event says: whether the interview or assessment was passed, whether Ministers re-appointed.

    The one statement of the rule: the aggregate sets its status by it, and the safeguarder
    directory (projections/safeguarder_file.py) writes it, so no read table restates it.
    """
    match event:
        case "Applied":
            return Status.APPLICANT
        case "Interviewed":
            return Status.INTERVIEWED if passed else Status.NOT_APPOINTED
        case "Assessed":
            return Status.ASSESSED if passed else Status.NOT_APPOINTED
        case "Appointed":
            return Status.APPOINTED
        case "ReappointmentReviewOpened":
            return Status.IN_REVIEW
        case "MinistersDecided":
            return Status.APPOINTED if reappoint else Status.ENDED
        case "Resigned":
            return Status.RESIGNED
        case "Removed":
            return Status.REMOVED
    raise ValueError(f"{event} leaves a Safeguarder's status as it was")


def check_record_open(status: Status) -> None:
    """A closed record (not appointed, ended, resigned, removed) takes no further changes; the
    aggregate and its appointment process both ask this."""
    require(status not in CLOSED,
            f"A Safeguarder whose record is closed ({status}) takes no further changes")


def check_new_concern_id(concern_id: str, used: Collection[str]) -> None:
    """A concern on a Safeguarder's record has an id of its own (its escalation ladder's id)."""
    require(bool(concern_id.strip()) and concern_id not in used, "A concern id is used once")


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


def years_in_words(years: list[int]) -> str:
    """"year 2", "years 1, 2 and 3": each appointment year once, in order."""
    ordered = sorted(set(years))
    if len(ordered) <= 1:
        return f"year {ordered[0]}" if ordered else "no year"
    return "years " + ", ".join(map(str, ordered[:-1])) + f" and {ordered[-1]}"
