"""Values of a supervision arrangement (seed 003, Appendix IV; seed 002, 'Practicalities',
'Confidentiality', 'Agenda') and the pure rules the record, its process and the read side share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from domain.errors import require
from domain.policy import Period, Policy, Unit

APPENDIX_IV = "the supervision arrangement's agreed frequency (seed 003, Appendix IV)"
MIN_SESSION_MINUTES, MAX_SESSION_MINUTES = 15, 480
CASE_FILE_AUDIT_SIZE = 2  # seed 002, 'Agenda': "Case file audit of two selected pupils"


class Contact(StrEnum):
    """Seed 003, Appendix IV: the two contract examples."""

    DIRECT = "direct"  # employees having direct contact with children or families
    INDIRECT = "indirect"


class Frequency(StrEnum):
    MONTHLY = "monthly"
    HALF_TERMLY = "half_termly"  # by the school's term calendar (seed 002)
    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"


INTERVAL_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.SIX_MONTHLY: 6}


class Level(StrEnum):
    """Seed 002, 'Confidentiality': the three levels at which confidentiality gives way."""

    DUTY_TO_REPORT = "duty_to_report"  # 1: harm, illegal activity, gross misconduct, CP
    LINE_MANAGEMENT = "line_management"  # 2: disciplinary or capability matters
    MAY_NEED_REPORTING = "may_need_reporting"  # 3: significant impact on the organisation


LEVEL_NUMBER = {Level.DUTY_TO_REPORT: 1, Level.LINE_MANAGEMENT: 2, Level.MAY_NEED_REPORTING: 3}
LEVEL_MEANING = {
    Level.DUTY_TO_REPORT: "a duty as an employee to report through the appropriate channels "
                          "(harm, illegal activity, gross misconduct, child protection)",
    Level.LINE_MANAGEMENT: "to be reported via line management (disciplinary action, "
                           "performance and capability putting children's safety at risk)",
    Level.MAY_NEED_REPORTING: "may need reporting via line management (significant impact on "
                              "the organisation)",
}


def interval_of(frequency: Frequency | str) -> Period:
    """The agreed interval of an interval frequency (not of half-termly sessions)."""
    return Period(INTERVAL_MONTHS[Frequency(frequency)], Unit.MONTHS, APPENDIX_IV)


def check_frequency(frequency: Frequency, contact: Contact, school: bool, policy: Policy) -> None:
    """The agreed frequency meets the minimum the sources set for the supervisee's work."""
    require(frequency != Frequency.HALF_TERMLY or school,
            "Half-termly supervision follows a school term calendar: name one")
    require(not school or frequency in (Frequency.HALF_TERMLY, Frequency.MONTHLY),
            "A school's safeguarding team is supervised at least once a half term (seed 002)")
    minimum = policy.direct_contact_supervision
    if contact == Contact.DIRECT and frequency in INTERVAL_MONTHS:
        require(INTERVAL_MONTHS[frequency] <= minimum.amount,
                f"Those in contact with vulnerable families are supervised at least every "
                f"{minimum} (seed 003)")


def newly_appointed(started_on: date, on: date, policy: Policy) -> bool:
    """Whether a supervisee who started in post on `started_on` is newly appointed on `on`."""
    return on < policy.new_staff_period.after(started_on)


@dataclass(frozen=True)
class SessionDue:
    """The next session the arrangement requires: held from `opens` to `due`, inclusive."""

    opens: date
    due: date
    requirement: str  # e.g. "half term Autumn 1", "quarterly", "monthly while newly appointed"


def next_session(*, frequency: Frequency | str, started_on: date, made_on: date,
                 sessions: Iterable[date], missed: Iterable[date],
                 half_terms: Sequence[Mapping[str, Any]], policy: Policy) -> SessionDue | None:
    """The session the arrangement requires next, from its record alone: the cycle after the
    last session held and the last period recorded missed. None when a half-termly arrangement
    has no half term ahead in its calendar (the term dates are still to be set).

    - newly appointed (seed 003): `new_staff_supervision` from the last session or period;
    - half-termly (seed 002): a session in each half term; one held in a break counts for the
      half term that follows;
    - otherwise the agreed interval from the last session or period.
    """
    held, passed = sorted(sessions), sorted(missed)
    since = max([made_on, *held[-1:], *passed[-1:]])
    # A period that follows a session or a missed period opens the day after it: that day
    # belongs to the period before, so a session held on it is not counted twice (once as the
    # start of this period, once as held within it, which would forbid recording it missed).
    opens = since if since not in held[-1:] + passed[-1:] else _day_after(since)
    if newly_appointed(started_on, since, policy):
        return SessionDue(opens, policy.new_staff_supervision.after(since),
                          "monthly while newly appointed")
    if Frequency(frequency) != Frequency.HALF_TERMLY:
        return SessionDue(opens, interval_of(frequency).after(since), str(frequency))
    before_making = date.fromordinal(made_on.toordinal() - 1)
    covered = max([before_making, *passed[-1:],
                   *(_half_term_end(half_terms, d) for d in held[-1:])])
    ahead = [h for h in half_terms if h["ends_on"] > covered]
    if not ahead:
        return None
    half = ahead[0]
    earlier = [h["ends_on"] for h in half_terms if h["ends_on"] < half["starts_on"]]
    opens = max([made_on, *(_day_after(e) for e in earlier[-1:])])
    return SessionDue(opens, half["ends_on"], f"half term {half['name']}")


def _day_after(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def _half_term_end(half_terms: Sequence[Mapping[str, Any]], day: date) -> date:
    """The last day of the half term a session held on `day` counts for (itself, if none)."""
    return next((h["ends_on"] for h in half_terms if h["ends_on"] >= day), day)


def held_within(sessions: Iterable[date], opens: date, due: date) -> bool:
    return any(opens <= held <= due for held in sessions)


REPORTED_TO: dict[str, tuple[str, ...]] = {
    Level.DUTY_TO_REPORT: ("safeguarding_lead",),
    Level.LINE_MANAGEMENT: ("line_manager",),
    Level.MAY_NEED_REPORTING: ("line_manager",),
}
"""Seed 002's response to each level, as the arrangement's roles: level 1 through the
appropriate channels (the safeguarding lead), levels 2 and 3 via line management. Besides the
two parties, only these see a marking."""
