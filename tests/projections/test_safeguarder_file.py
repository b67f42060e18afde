"""The Safeguarder's electronic file, read from the tables the runner builds (seed 000)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import psycopg
import pytest

from domain.application import Assured
from domain.panel import GroupSession, Mentor, PanelRegion, Region
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import Status, Tone
from projections.runner import Runner
from projections.safeguarder_file import SafeguarderFile, annual_requirements, safeguarder_file
from tests.integration.test_upcasting import store_version_1_feedback
from tests.refusals import START, at

LEAD, FIRST, SECOND = "team-lead", "sm-east-1", "sm-east-2"
TERM_START = date(2026, 2, 1)


def on(day: date) -> datetime:
    return START.replace(year=day.year, month=day.month, day=day.day)


@pytest.fixture
def panel(app: Assured) -> dict[str, Any]:
    region = PanelRegion.establish(Region.EAST, by=LEAD, at=at(0))
    for manager in (FIRST, SECOND):
        region.add_support_manager(manager, by=LEAD, at=at(0))
    mentor = Mentor.recruit(name="Jo", by=LEAD, at=at(0))
    mentor.record_training(by=LEAD, at=at(0))
    mentor.accredit(by=LEAD, at=at(0))
    session = GroupSession.plan(session_ref="G-1", facilitator=FIRST, held_on=date(2026, 5, 1),
                                by=LEAD, at=at(0))
    app.record(region, mentor, session)
    return {"mentor": mentor, "session": session}


def appointed(app: Assured) -> Safeguarder:
    s = Safeguarder.apply_to_panel(name="Alex Morgan", contact={"email": "alex@example.org"},
                                   region=Region.EAST, by=LEAD, at=at(0))
    s.record_interview(True, "strong", by=LEAD, at=at(1))
    s.record_assessment(True, "ready", by=LEAD, at=at(2))
    s.appoint(TERM_START, by="ministers", at=at(3))
    app.record(s)
    return s


def read(app: Assured, database_url: str) -> psycopg.Connection[Any]:
    Runner(app, [SafeguarderFile()]).catch_up(SafeguarderFile())
    return psycopg.connect(database_url, autocommit=True)


def test_the_file_holds_details_support_and_every_entry_in_order(
    app: Assured, database_url: str, panel: dict[str, Any]
) -> None:
    s = appointed(app)
    app.allocate(s.id, FIRST, "", by=LEAD, at=at(4))
    app.allocate(s.id, SECOND, "caseload balance", by=LEAD, at=at(5))
    app.attend_group_session(s.id, panel["session"].id, by=LEAD, at=at(6))
    app.assign_mentor(s.id, panel["mentor"].id, by=LEAD, at=on(date(2026, 3, 1)))
    s = app.load(s.id, Safeguarder)
    s.record_mentoring_session("check-in", by=LEAD, at=on(date(2026, 4, 1)))
    s.record_support_session("s1", "reflection", by=SECOND, at=on(date(2026, 4, 1)))
    s.record_sampled_report("R-1", "s1", "discussed", by=SECOND, at=on(date(2026, 4, 2)))
    s.record_feedback("family", "positive", "Explained the hearing", by=LEAD, at=at(100))
    s.raise_concern("c1", "behaviour", "Late to a hearing", by=LEAD, at=at(101))
    s.resolve_concern("c1", "Discussed; no further action", by=LEAD, at=at(102))
    s.record_performance_evidence("PS1", "Observed hearing", by=LEAD, at=at(103))
    app.record(s)

    with read(app, database_url) as conn:
        file = safeguarder_file(conn, s.id, date(2026, 6, 1), app.mapper.cipher)
    assert file is not None
    assert {k: file.details[k] for k in ("name", "contact", "region", "status",
                                         "support_manager", "first_appointed_on")} == {
        "name": "Alex Morgan", "contact": {"email": "alex@example.org"}, "region": "East",
        "status": Status.APPOINTED, "support_manager": SECOND, "first_appointed_on": TERM_START}
    assert file.details["mentor_id"] == panel["mentor"].id
    sections = file.sections
    assert [(t["starts_on"], t["ends_on"]) for t in sections["terms"]] == [
        (TERM_START, date(2029, 2, 1))]
    assert [a["manager"] for a in sections["allocations"]] == [FIRST, SECOND]
    assert [g["session_ref"] for g in sections["group_sessions"]] == ["G-1"]
    assert [m["kind"] for m in sections["mentoring"]] == ["mentor assigned", "mentoring session"]
    assert [(r["report_ref"], r["year"]) for r in sections["sampled_reports"]] == [("R-1", 1)]
    assert [(f["source"], f["tone"]) for f in sections["feedback"]] == [("family", "positive")]
    assert [(c["about"], c["resolution"]) for c in sections["concerns"]] == [
        ("behaviour", "Discussed; no further action")]
    assert [e["standard"] for e in sections["evidence"]] == ["PS1"]
    assert "notes" not in repr(sections) and "reflection" not in repr(sections)


def test_the_annual_requirement_is_shown_for_every_year_begun(
    app: Assured, database_url: str, panel: dict[str, Any]
) -> None:
    s = appointed(app)
    s.record_support_session("y1", "reflection", by=LEAD, at=on(date(2026, 4, 1)))
    for n in (1, 2):
        s.record_sampled_report(f"R-{n}", "y1", "discussed", by=LEAD, at=on(date(2026, 4, 1)))
    s.record_support_session("y2", "reflection", by=LEAD, at=on(date(2027, 4, 1)))
    s.record_annual_shortfall(2, by=LEAD, at=on(date(2028, 2, 2)))
    app.record(s)

    with read(app, database_url) as conn:
        years = annual_requirements(conn, s.id, on=date(2028, 3, 1))
        assert annual_requirements(conn, s.id, on=date(2026, 1, 1)) == []
    assert [(y.year, y.starts_on, y.sessions, y.sampled_reports, y.met, y.shortfall_recorded)
            for y in years] == [
        (1, date(2026, 2, 1), 1, 2, True, False),
        (2, date(2027, 2, 1), 1, 0, False, True),
        (3, date(2028, 2, 1), 0, 0, False, False)]


def test_a_reappointment_adds_a_term_and_a_resignation_closes_the_file(
    app: Assured, database_url: str, panel: dict[str, Any]
) -> None:
    s = appointed(app)
    app.allocate(s.id, FIRST, "", by=LEAD, at=at(4))
    s = app.load(s.id, Safeguarder)
    s.open_reappointment_review(by=LEAD, at=on(date(2028, 8, 1)))
    s.recommend(True, "Strong practice", "Year 2 shortfall explained", by=FIRST,
                at=on(date(2028, 9, 1)))
    s.record_ministers_decision(True, by="ministers", at=on(date(2028, 10, 1)))
    s.resign("Moving away", by=LEAD, at=on(date(2029, 6, 1)))
    app.record(s)

    with read(app, database_url) as conn:
        file = safeguarder_file(conn, s.id, date(2029, 6, 1), app.mapper.cipher)
    assert file is not None
    assert [t["starts_on"] for t in file.sections["terms"]] == [TERM_START, date(2029, 2, 1)]
    assert file.details["status"] == Status.RESIGNED
    assert file.details["left_on"] == on(date(2029, 6, 1))


def test_feedback_stored_by_the_first_release_reads_with_tone_not_recorded(
    app: Assured, database_url: str
) -> None:
    s = appointed(app)
    store_version_1_feedback(app, s)
    with read(app, database_url) as conn:
        file = safeguarder_file(conn, s.id, date(2026, 6, 1), app.mapper.cipher)
    assert file is not None
    assert [f["tone"] for f in file.sections["feedback"]] == [Tone.NOT_RECORDED]
