"""The Safeguarder's electronic file, read from the tables the runner builds (seed 000)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from domain.application import Assured
from domain.panel import GroupSession, Mentor, PanelRegion, Region
from domain.panel_commands import (
    AccreditMentor,
    AddSupportManager,
    EstablishRegion,
    PlanGroupSession,
    RecordMentorTraining,
    RecruitMentor,
)
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    AssignMentor,
    AttendGroupSession,
    OpenReappointmentReview,
    RaiseSafeguarderConcern,
    Recommend,
    RecordAnnualShortfall,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordMentoringSession,
    RecordMinistersDecision,
    RecordPerformanceEvidence,
    RecordSampledReport,
    RecordSupportSession,
    Resign,
    ResolveSafeguarderConcern,
    WithdrawAnnualShortfall,
)
from domain.safeguarder_values import Status, Tone
from projections.runner import Runner
from projections.safeguarder_file import SafeguarderFile, annual_requirements, safeguarder_file
from tests.commands import Commands
from tests.integration.test_upcasting import store_version_1_feedback
from tests.refusals import START, at

LEAD, FIRST, SECOND = "team-lead", "sm-east-1", "sm-east-2"
TERM_START = date(2026, 2, 1)

cmd = Commands(by=LEAD)


def on(day: date) -> datetime:
    return START.replace(year=day.year, month=day.month, day=day.day)


FIRST_DAY = on(TERM_START)  # the first day a fact of the appointment can be dated


@pytest.fixture
def panel(app: Assured) -> dict[str, Any]:
    region = PanelRegion.establish(EstablishRegion(region=Region.EAST, by=LEAD, at=at(0)))
    for manager in (FIRST, SECOND):
        region.add_support_manager(cmd(AddSupportManager, region, manager=manager, at=at(0)))
    mentor = Mentor.recruit(RecruitMentor(name="Jo", by=LEAD, at=at(0)))
    mentor.record_training(cmd(RecordMentorTraining, mentor, at=at(0)))
    mentor.accredit(cmd(AccreditMentor, mentor, at=at(0)))
    session = GroupSession.plan(PlanGroupSession(session_ref="G-1", facilitator=FIRST,
                                                 held_on=date(2026, 5, 1), by=LEAD, at=at(0)))
    app.record(region, mentor, session)
    return {"mentor": mentor, "session": session}


def appointed(app: Assured) -> Safeguarder:
    s = Safeguarder.apply_to_panel(ApplyToPanel(
        name="Alex Morgan", contact={"email": "alex@example.org"}, region=Region.EAST, by=LEAD,
        at=at(0)))
    s.record_interview(cmd(RecordInterview, s, passed=True, notes="strong", at=at(1)))
    s.record_assessment(cmd(RecordAssessment, s, passed=True, notes="ready", at=at(2)))
    s.appoint(cmd(Appoint, s, term_starts_on=TERM_START, by="ministers", at=at(3)))
    app.record(s)
    return s


def support_session(s: Safeguarder, session_id: str, when: datetime) -> None:
    s.record_support_session(cmd(RecordSupportSession, s, session_id=session_id,
                                 notes="reflection", at=when))


def sampled_report(s: Safeguarder, report_ref: str, session_id: str, when: datetime) -> None:
    s.record_sampled_report(cmd(RecordSampledReport, s, report_ref=report_ref,
                                session_id=session_id, discussion="discussed", at=when))


def read(app: Assured, database_url: str) -> psycopg.Connection[Any]:
    Runner(app, [SafeguarderFile()]).catch_up(SafeguarderFile())
    return psycopg.connect(database_url, autocommit=True)


def test_the_file_holds_details_support_and_every_entry_in_order(
    app: Assured, database_url: str, panel: dict[str, Any]
) -> None:
    s = appointed(app)
    # The first term starts on 1 February: allocation and attendance count from then.
    app.allocate(cmd(Allocate, s, manager=FIRST, at=FIRST_DAY))
    app.allocate(cmd(Allocate, s, manager=SECOND, reason="caseload balance",
                     at=FIRST_DAY + timedelta(days=1)))
    app.attend_group_session(cmd(AttendGroupSession, s, session_id=panel["session"].id,
                                 at=FIRST_DAY + timedelta(days=2)))
    app.assign_mentor(cmd(AssignMentor, s, mentor_id=panel["mentor"].id,
                          at=on(date(2026, 3, 1))))
    s = app.load(s.id, Safeguarder)
    s.record_mentoring_session(cmd(RecordMentoringSession, s, notes="check-in",
                                   at=on(date(2026, 4, 1))))
    s.record_support_session(cmd(RecordSupportSession, s, session_id="s1", notes="reflection",
                                 by=SECOND, at=on(date(2026, 4, 1))))
    s.record_sampled_report(cmd(RecordSampledReport, s, report_ref="R-1", session_id="s1",
                                discussion="discussed", by=SECOND, at=on(date(2026, 4, 2))))
    s.record_feedback(cmd(RecordFeedback, s, source="family", tone="positive",
                          summary="Explained the hearing", at=at(100)))
    s.raise_concern(cmd(RaiseSafeguarderConcern, s, concern_id="c1", about="behaviour",
                        summary="Late to a hearing", at=at(101)))
    s.resolve_concern(cmd(ResolveSafeguarderConcern, s, concern_id="c1",
                          resolution="Discussed; no further action", at=at(102)))
    s.record_performance_evidence(cmd(RecordPerformanceEvidence, s, standard="PS1",
                                      evidence="Observed hearing", at=at(103)))
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
    support_session(s, "y1", on(date(2026, 4, 1)))
    for n in (1, 2):
        sampled_report(s, f"R-{n}", "y1", on(date(2026, 4, 1)))
    support_session(s, "y2", on(date(2027, 4, 1)))
    s.record_annual_shortfall(cmd(RecordAnnualShortfall, s, year=2, at=on(date(2028, 2, 2))))
    app.record(s)

    with read(app, database_url) as conn:
        years = annual_requirements(conn, s.id, on=date(2028, 3, 1))
        assert annual_requirements(conn, s.id, on=date(2026, 1, 1)) == []
    assert [(y.year, y.starts_on, y.sessions, y.sampled_reports, y.met, y.shortfall_recorded)
            for y in years] == [
        (1, date(2026, 2, 1), 1, 2, True, False),
        (2, date(2027, 2, 1), 1, 0, False, True),
        (3, date(2028, 2, 1), 0, 0, False, False)]


def test_a_withdrawn_shortfall_no_longer_stands_and_the_file_keeps_its_history(
    app: Assured, database_url: str, panel: dict[str, Any]
) -> None:
    s = appointed(app)
    process = Commands(by="process:appointment")
    # Year 1 (1 Feb 2026 - 31 Jan 2027) ends with nothing recorded: the process records it.
    s.record_annual_shortfall(process(RecordAnnualShortfall, s, year=1,
                                      at=on(date(2027, 2, 1))))
    # Then the session held in December and its two reports are entered: the year is met.
    support_session(s, "y1", on(date(2026, 12, 1)))
    for n in (1, 2):
        sampled_report(s, f"R-{n}", "y1", on(date(2026, 12, 1)))
    late = "Support session y1 dated 2026-12-01, entered on 2027-02-20"
    s.withdraw_annual_shortfall(process(WithdrawAnnualShortfall, s, year=1, entered_late=late,
                                        at=on(date(2027, 2, 20))))
    app.record(s)

    with read(app, database_url) as conn:
        years = annual_requirements(conn, s.id, on=date(2027, 3, 1))
        file = safeguarder_file(conn, s.id, date(2027, 3, 1), app.mapper.cipher)
    assert [(y.year, y.sessions, y.sampled_reports, y.met, y.shortfall_recorded,
             y.shortfall_withdrawn, y.shortfall) for y in years] == [
        (1, 1, 2, True, True, True, False),
        (2, 0, 0, False, False, False, False)]
    assert file is not None
    assert [(f["year"], f["sessions"], f["sampled_reports"], f["recorded_on"])
            for f in file.sections["shortfalls"]] == [(1, 0, 0, on(date(2027, 2, 1)))]
    assert [(w["year"], w["withdrawn_on"], w["entered_late"])
            for w in file.sections["shortfall_withdrawals"]] == [
        (1, on(date(2027, 2, 20)), late)]


def test_a_reappointment_adds_a_term_and_a_resignation_closes_the_file(
    app: Assured, database_url: str, panel: dict[str, Any]
) -> None:
    s = appointed(app)
    app.allocate(cmd(Allocate, s, manager=FIRST, at=FIRST_DAY))
    s = app.load(s.id, Safeguarder)
    s.open_reappointment_review(cmd(OpenReappointmentReview, s, at=on(date(2028, 8, 1))))
    s.recommend(cmd(Recommend, s, reappoint=True, rationale="Strong practice",
                    exception_reason="Year 2 shortfall explained", by=FIRST,
                    at=on(date(2028, 9, 1))))
    s.record_ministers_decision(cmd(RecordMinistersDecision, s, reappoint=True,
                                    by="ministers", at=on(date(2028, 10, 1))))
    s.resign(cmd(Resign, s, reason="Moving away", at=on(date(2029, 6, 1))))
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
