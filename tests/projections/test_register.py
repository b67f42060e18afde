"""The register of case reviews and audits (seed 004's database), read for the fixture quarter."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
import pytest

from domain.application import Assured
from projections.register_queries import actions_due, good_outcome_reviews, register_entries
from projections.review_register import ReviewRegister
from projections.runner import Runner
from tests.projections.quarter_fixture import record_fixture_year, record_late_entries

START, END = date(2026, 7, 1), date(2026, 9, 30)


@pytest.fixture
def read(app: Assured, database_url: str) -> Any:
    record_fixture_year(app)
    Runner(app, [ReviewRegister()]).catch_up(ReviewRegister())
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn, app.mapper.cipher


def test_the_register_lists_each_review_and_audit_open_in_the_quarter(read: Any) -> None:
    entries = register_entries(*read, START, END)
    assert [(e.reference, e.kind, e.entry_type, e.status) for e in entries] == [
        ("RV0", "review", "rapid_review", "rapid_review_completed"),
        ("AU1", "audit", "multi_agency_practice", "actions_agreed"),
        ("RV1", "review", "rapid_review", "rapid_review_completed"),
        ("GO-1", "review", "good_outcome", "referred"),
        ("RV2", "review", "rapid_review", "rapid_review_completed"),
        ("AU2", "audit", "section_11", "returns_requested"),
        ("RV3", "review", "rapid_review", "referred")]
    assert entries[3].title == "Early help that worked" and entries[3].good_outcome


def test_deadlines_show_as_met_or_breached_with_the_reason(read: Any) -> None:
    by_ref = {e.reference: e for e in register_entries(*read, START, END)}
    rv0 = [(d.label, d.state, d.reason) for d in by_ref["RV0"].deadlines]
    assert rv0 == [("Panel notification", "breached", "Chair on leave"),
                   ("Rapid review", "breached", "Police file late")]
    assert [d.state for d in by_ref["RV1"].deadlines] == ["met", "met"]
    assert [d.state for d in by_ref["RV2"].deadlines] == ["breached", "met"]
    # RV3's clocks run into October: still due at the quarter's end.
    assert [d.state for d in by_ref["RV3"].deadlines] == ["due", "due"]
    assert [(d.label, d.state) for d in by_ref["AU1"].deadlines] == [
        ("Return from health", "breached"), ("Return from police", "breached"),
        ("Return from school", "met")]
    assert len(by_ref["AU1"].breaches) == 2


def test_learning_and_recommendations_are_followed_to_their_impact(read: Any) -> None:
    by_ref = {e.reference: e for e in register_entries(*read, START, END)}
    assert [(item.kind, item.text, item.on) for item in by_ref["RV1"].learning] == [
        ("findings", "Thresholds applied unevenly", date(2026, 7, 20)),
        ("learning", "Joint threshold training", date(2026, 7, 20))]
    assert [(item.kind, item.text) for item in by_ref["AU1"].learning] == [
        ("strength", "Supervision is regular"),
        ("area for development", "Oversight is not written down")]
    actions = {a.item_id: a for a in by_ref["RV1"].actions}
    assert [(f.kind, f.text) for f in actions["rec-a"].impact] == [
        ("impact", "Referrals now name the lead agency")]
    # On 30 Sep rec-b is due that very day; it was completed two days late.
    assert {k: a.state(END) for k, a in actions.items()} == {
        "rec-a": "met", "rec-b": "due", "rec-c": "overdue", "rec-d": "due"}
    assert actions["rec-b"].state(date(2026, 10, 5)) == "breached"
    assert [(a.kind, a.text, a.owner) for a in by_ref["AU1"].actions] == [
        ("agreed action", "Record oversight in every file", "health")]


def test_actions_due_lists_what_is_open_up_to_a_date(read: Any) -> None:
    due = actions_due(*read, by=date(2026, 12, 31), on=END)
    assert [(a.entry_reference, a.item_id) for a in due] == [
        ("RV1", "rec-c"), ("RV1", "rec-b"), ("AU1", "A1"), ("RV1", "rec-d")]


def test_good_outcome_reviews_are_kept_in_the_register(read: Any) -> None:
    assert [e.reference for e in good_outcome_reviews(*read, on=END)] == ["GO-1"]


def test_a_breach_withdrawn_after_a_late_entry_shows_as_withdrawn_not_standing(
    app: Assured, database_url: str
) -> None:
    record_late_entries(app)
    Runner(app, [ReviewRegister()]).catch_up(ReviewRegister())
    with psycopg.connect(database_url, autocommit=True) as conn:
        by_ref = {e.reference: e for e in register_entries(conn, app.mapper.cipher, START, END)}
        # On 10 Jul the breach recorded on 9 Jul stood: it was withdrawn on 14 Jul.
        before = {e.reference: e for e in register_entries(conn, app.mapper.cipher, START, END,
                                                           on=date(2026, 7, 10))}
    (notification, _) = by_ref["LN1"].deadlines
    assert (notification.label, notification.state, notification.done_on) == (
        "Panel notification", "met", date(2026, 7, 6))
    assert notification.withdrawn
    assert (notification.breach_recorded_on, notification.breach_withdrawn_on) == (
        date(2026, 7, 9), date(2026, 7, 14))
    assert notification.entered_late == (
        "Panel notification dated 2026-07-06, entered on 2026-07-14")
    assert notification.reason == "No notification recorded by the deadline"
    # Only the rapid review, never completed and past its 22 Jul deadline, stands as a breach.
    assert [d.label for d in by_ref["LN1"].breaches] == ["Rapid review"]
    (then, _) = before["LN1"].deadlines
    assert (then.state, then.withdrawn, then.entered_late) == ("breached", False, None)
    assert [d.label for d in before["LN1"].breaches] == ["Panel notification"]
    # The incident notified in time and entered that day was never breached.
    (prompt, _) = by_ref["LN2"].deadlines
    assert (prompt.state, prompt.withdrawn, prompt.breach_recorded_on) == ("met", False, None)
