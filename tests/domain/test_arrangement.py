"""Supervision arrangements' rules, in memory (issue 12, item 1): how often sessions are due
for newly appointed staff, for those in contact with vulnerable families, and for a school's
safeguarding team by its half terms."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.arrangement import SupervisionArrangement
from domain.arrangement_commands import MakeArrangement, MarkSessionMissed
from domain.arrangement_values import next_session
from domain.errors import RuleBroken
from domain.policy import DEFAULT_POLICY, add_months
from workflows.common import end_of
from tests.refusals import at
from tests.workflows.arrangements import session

HALF_TERMS = [{"name": "Autumn 1", "starts_on": date(2026, 9, 3), "ends_on": date(2026, 10, 23)},
              {"name": "Autumn 2", "starts_on": date(2026, 11, 2), "ends_on": date(2026, 12, 18)},
              {"name": "Spring 1", "starts_on": date(2027, 1, 5), "ends_on": date(2027, 2, 12)}]


def due(**changes: Any) -> Any:
    fields: dict[str, Any] = {"frequency": "quarterly", "started_on": date(2019, 9, 1),
                              "made_on": date(2026, 9, 1), "sessions": [], "missed": [],
                              "half_terms": HALF_TERMS, "policy": DEFAULT_POLICY}
    return next_session(**(fields | changes))


def test_newly_appointed_staff_are_supervised_monthly_whatever_was_agreed() -> None:
    found = due(started_on=date(2026, 7, 1))  # two months in post: within the first six
    assert (found.due, found.requirement) == (date(2026, 10, 1), "monthly while newly appointed")
    settled = due(started_on=date(2026, 1, 5))  # eight months in post
    assert (settled.due, settled.requirement) == (date(2026, 12, 1), "quarterly")


def test_a_schools_session_is_due_by_the_end_of_each_half_term() -> None:
    first = due(frequency="half_termly")
    assert (first.opens, first.due, first.requirement) == (
        date(2026, 9, 1), date(2026, 10, 23), "half term Autumn 1")
    held = due(frequency="half_termly", sessions=[date(2026, 10, 1)])
    assert (held.opens, held.due) == (date(2026, 10, 24), date(2026, 12, 18))  # Autumn 2
    # A session held in the half-term break counts for the half term that follows.
    after_break = due(frequency="half_termly", sessions=[date(2026, 10, 28)])
    assert (after_break.due, after_break.requirement) == (date(2027, 2, 12),
                                                          "half term Spring 1")
    assert due(frequency="half_termly", sessions=[date(2027, 2, 1)]) is None  # dates to set


def _make(**changes: Any) -> SupervisionArrangement:
    return SupervisionArrangement.make(MakeArrangement(**({
        **MakeArrangement.example, "supervisee_started_on": date(2024, 9, 1),
        "review_on": date(2027, 3, 31), "by": "su-1", "at": at(0)} | changes)), DEFAULT_POLICY)


def test_the_period_after_a_session_opens_the_next_day_and_can_be_recorded_missed() -> None:
    """The session that begins a period is not held within it: the period after a session held
    on the 5th opens on the 6th, and, passed without one, is recorded missed; the one after
    it opens the day after that."""
    a = _make(frequency="monthly")
    a.record_session(session(a, at(0.5)))
    held = at(0.5).date()
    planned = due(frequency="monthly", made_on=at(0).date(), sessions=a.session_dates())
    assert (planned.opens, planned.due) == (held + timedelta(days=1), add_months(held, 1))
    a.mark_session_missed(MarkSessionMissed(
        record_id=a.id, period_opens_on=planned.opens, period_ends_on=planned.due,
        requirement=planned.requirement, by="process", at=end_of(planned.due)))
    after = due(frequency="monthly", made_on=at(0).date(), sessions=a.session_dates(),
                missed=[m["period_ends_on"] for m in a.missed])
    assert (after.opens, after.due) == (planned.due + timedelta(days=1),
                                        add_months(planned.due, 1))


def test_those_in_contact_with_vulnerable_families_are_supervised_at_least_quarterly() -> None:
    assert _make(contact="direct", frequency="quarterly").frequency == "quarterly"
    with pytest.raises(RuleBroken, match="supervised at least every 3 months"):
        _make(contact="direct", frequency="six_monthly")
    assert _make(contact="indirect", frequency="six_monthly").frequency == "six_monthly"


def test_half_termly_supervision_needs_a_school_term_calendar() -> None:
    with pytest.raises(RuleBroken, match="follows a school term calendar"):
        _make(frequency="half_termly")
