"""The support manager's caseload and the re-appointment evidence pack (seed 000)."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
import pytest

from domain.application import Assured
from domain.handling import Step
from domain.panel import GroupSession, Mentor, PanelRegion
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
    RecordPerformanceEvidence,
    RecordSampledReport,
    RecordSupportSession,
    Resign,
    ResolveSafeguarderConcern,
    WithdrawAnnualShortfall,
)
from projections.caseload import UNALLOCATED, SupportCaseload, caseload
from projections.evidence_pack import (
    ReappointmentEvidence,
    evidence_pack,
    evidence_packs,
    in_review,
)
from projections.runner import Runner
from projections.safeguarder_file import SafeguarderFile
from tests.commands import Commands
from tests.projections.quarter_fixture import d, on

LEAD = "panel-lead"

cmd = Commands(by=LEAD)
process = Commands(by="process:appointment")


@pytest.fixture
def panel(app: Assured) -> PanelRegion:
    region = PanelRegion.establish(EstablishRegion(region="East", by=LEAD,
                                                   at=on(d("2023-01-02"))))
    for manager in ("sm-1", "sm-2"):
        region.add_support_manager(cmd(AddSupportManager, region, manager=manager,
                                       at=on(d("2023-01-02"))))
    app.record(region)
    return region


def appointed(name: str, starts: str) -> Safeguarder:
    s = Safeguarder.apply_to_panel(ApplyToPanel(name=name, contact={"email": "x@example.org"},
                                                region="East", by=LEAD, at=on(d(starts), 7)))
    s.record_interview(cmd(RecordInterview, s, passed=True, notes="ok", at=on(d(starts), 8)))
    s.record_assessment(cmd(RecordAssessment, s, passed=True, notes="ok", at=on(d(starts), 9)))
    s.appoint(cmd(Appoint, s, term_starts_on=d(starts), by="ministers", at=on(d(starts), 10)))
    return s


def allocate(s: Safeguarder, region: PanelRegion, manager: str, day: str) -> None:
    s.allocate(cmd(Allocate, s, manager=manager, at=on(d(day))), region)


def session(s: Safeguarder, session_id: str, day: str, by: str) -> None:
    s.record_support_session(cmd(RecordSupportSession, s, session_id=session_id, notes="notes",
                                 by=by, at=on(d(day))))


def sampled(s: Safeguarder, report_ref: str, session_id: str, day: str, by: str) -> None:
    s.record_sampled_report(cmd(RecordSampledReport, s, report_ref=report_ref,
                                session_id=session_id, discussion="notes", by=by,
                                at=on(d(day))))


def step(app: Assured, s: Safeguarder, key: str, name: str, day: str, **details: Any) -> None:
    """A step the appointment workflow records on its own, dated when it fell due."""
    app.note_step(s.id, Step(f"appointment-{s.id}:{key}", "appointment", name, details),
                  at=on(d(day), 12))


def read(app: Assured, database_url: str, *projections: Any) -> psycopg.Connection[Any]:
    """Catch up the given read models and the safeguarder directory they read."""
    chosen = [SafeguarderFile(), *projections]
    runner = Runner(app, chosen)
    for projection in chosen:
        runner.catch_up(projection)
    return psycopg.connect(database_url, autocommit=True)


def test_each_manager_sees_what_is_due_and_overdue_and_the_workflow_stage(
    app: Assured, database_url: str, panel: PanelRegion
) -> None:
    ann = appointed("Ann Allocated", "2026-02-01")
    allocate(ann, panel, "sm-1", "2026-02-02")
    session(ann, "a1", "2026-05-01", by="sm-1")
    sampled(ann, "R-1", "a1", "2026-05-02", by="sm-1")
    bea = appointed("Bea Waiting", "2026-01-10")
    cal = appointed("Cal Review", "2023-11-01")
    allocate(cal, panel, "sm-2", "2023-11-02")
    for year, held in ((1, "2024-03-01"), (2, "2025-03-01")):
        session(cal, f"c{year}", held, by="sm-2")
        for n in (1, 2):
            sampled(cal, f"R-{year}-{n}", f"c{year}", held, by="sm-2")
    cal.open_reappointment_review(process(OpenReappointmentReview, cal, at=on(d("2026-05-05"))))
    gone = appointed("Dee Gone", "2025-01-01")
    gone.resign(cmd(Resign, gone, reason="moving", at=on(d("2025-06-01"))))
    app.record(ann, bea, cal, gone)
    step(app, bea, "allocation", "allocation requested", "2026-01-10", remind_on="2026-01-24")
    step(app, ann, "year-1", "support due dates set", "2026-02-01", year=1,
         support_session_due="2027-01-31")
    step(app, ann, "mentoring", "peer mentoring due dates set", "2026-02-01", year=1,
         due=["2026-04-30", "2026-07-31", "2026-10-31", "2027-01-31"])

    with read(app, database_url, SupportCaseload()) as conn:
        book = caseload(conn, date(2026, 9, 1), app.mapper.cipher)
    assert {manager: [e.name for e in entries] for manager, entries in book.items()} == {
        "sm-1": ["Ann Allocated"], "sm-2": ["Cal Review"], UNALLOCATED: ["Bea Waiting"]}
    (a,) = book["sm-1"]
    assert (a.year, a.stage, a.stage_on) == (1, "peer mentoring due dates set (year 1)",
                                             date(2026, 2, 1))
    assert [(i.what, i.due_on.isoformat(), i.state) for i in a.items] == [
        ("Peer mentoring session 1", "2026-04-30", "overdue"),
        ("Peer mentoring session 2", "2026-07-31", "overdue"),
        ("Peer mentoring session 3", "2026-10-31", "due"),
        ("Peer mentoring session 4", "2027-01-31", "due"),
        ("Sampled reports, year 1 (1 of 2)", "2027-01-31", "due"),
        ("Support session, year 1 (1 of 1)", "2027-01-31", "met")]
    (b,) = book[UNALLOCATED]
    assert [(i.what, i.due_on, i.state) for i in b.items[:1]] == [
        ("Support manager allocated", date(2026, 1, 24), "overdue")]
    (c,) = book["sm-2"]
    # Years 1 and 2 were met, so only year 3 shows; the recommendation is due three months
    # before the term ends on 1 Nov 2026 (no workflow step recorded it: the policy's date).
    assert [(i.what, i.due_on.isoformat(), i.state) for i in c.items] == [
        ("Recommendation to Ministers", "2026-08-01", "overdue"),
        ("Sampled reports, year 3 (0 of 2)", "2026-10-31", "due"),
        ("Support session, year 3 (0 of 1)", "2026-10-31", "due")]
    assert len(c.overdue) == 1 and len(c.due) == 2


def test_the_evidence_pack_sets_out_each_year_of_the_term_with_its_shortfalls(
    app: Assured, database_url: str, panel: PanelRegion
) -> None:
    mentor = Mentor.recruit(RecruitMentor(name="Jo", by=LEAD, at=on(d("2023-01-02"))))
    mentor.record_training(cmd(RecordMentorTraining, mentor, at=on(d("2023-01-03"))))
    mentor.accredit(cmd(AccreditMentor, mentor, at=on(d("2023-01-04"))))
    group = GroupSession.plan(PlanGroupSession(session_ref="G-1", facilitator="sm-1",
                                               held_on=d("2024-06-01"), by=LEAD,
                                               at=on(d("2024-01-02"))))
    eve = appointed("Eve Evidence", "2023-11-01")
    allocate(eve, panel, "sm-1", "2023-11-02")
    eve.assign_mentor(cmd(AssignMentor, eve, mentor_id=mentor.id, at=on(d("2023-12-01"))),
                      mentor)
    eve.record_mentoring_session(cmd(RecordMentoringSession, eve, notes="check-in",
                                     at=on(d("2024-01-15"))))
    session(eve, "y1", "2024-03-01", by="sm-1")
    for ref in ("R-1", "R-2"):
        sampled(eve, ref, "y1", "2024-03-02", by="sm-1")
    eve.attend_group_session(cmd(AttendGroupSession, eve, session_id=group.id,
                                 at=on(d("2024-06-01"))), group)
    eve.record_feedback(cmd(RecordFeedback, eve, source="family", tone="positive",
                            summary="Explained the hearing", at=on(d("2024-05-01"))))
    session(eve, "y2", "2025-02-01", by="sm-1")
    sampled(eve, "R-3", "y2", "2025-02-01", by="sm-1")
    eve.raise_concern(cmd(RaiseSafeguarderConcern, eve, concern_id="c1", about="behaviour",
                          summary="Late to a hearing", at=on(d("2025-03-01"))))
    eve.resolve_concern(cmd(ResolveSafeguarderConcern, eve, concern_id="c1",
                            resolution="Discussed; no further action", at=on(d("2025-04-01"))))
    eve.record_performance_evidence(cmd(RecordPerformanceEvidence, eve, standard="PS1",
                                        evidence="Observed hearing", at=on(d("2025-06-01"))))
    eve.record_annual_shortfall(process(RecordAnnualShortfall, eve, year=2,
                                        at=on(d("2025-11-05"))))
    session(eve, "y3", "2026-02-01", by="sm-1")
    for ref in ("R-4", "R-5"):
        sampled(eve, ref, "y3", "2026-02-01", by="sm-1")
    eve.raise_concern(cmd(RaiseSafeguarderConcern, eve, concern_id="c2", about="behaviour",
                          summary="Missed a hearing", at=on(d("2026-04-01"))))
    eve.open_reappointment_review(process(OpenReappointmentReview, eve, at=on(d("2026-05-05"))))
    eve.recommend(cmd(Recommend, eve, reappoint=True, rationale="Strong practice",
                      exception_reason="Year 2: one report, illness", by="sm-1",
                      at=on(d("2026-07-01"))))
    app.record(mentor, group, eve)

    with read(app, database_url, ReappointmentEvidence()) as conn:
        assert in_review(conn) == [eve.id]
        (pack,) = evidence_packs(conn, date(2026, 9, 1), app.mapper.cipher)
    assert (pack.name, pack.support_manager, pack.term_ends_on) == (
        "Eve Evidence", "sm-1", date(2026, 11, 1))
    counts = [{kind: year.count(kind) for kind in ("support session", "sampled report",
                                                   "group session", "mentoring session",
                                                   "feedback", "PSMF evidence")}
              for year in pack.years]
    assert counts == [
        {"support session": 1, "sampled report": 2, "group session": 1, "mentoring session": 1,
         "feedback": 1, "PSMF evidence": 0},
        {"support session": 1, "sampled report": 1, "group session": 0, "mentoring session": 0,
         "feedback": 0, "PSMF evidence": 1},
        {"support session": 1, "sampled report": 2, "group session": 0, "mentoring session": 0,
         "feedback": 0, "PSMF evidence": 0}]
    assert pack.years[0].evidence["feedback"][0].detail == "Explained the hearing"
    assert [(c.concern_id, c.resolution) for c in pack.years[1].concerns] == [
        ("c1", "Discussed; no further action")]
    assert [y.ended for y in pack.years] == [True, True, False]
    assert pack.shortfalls == ["Year 2: 1 sampled report(s) of 2",
                               "Year 2: shortfall recorded on 2025-11-05",
                               "Year 3: concern c2 (behaviour) unresolved"]
    assert pack.recommendation is not None
    assert (pack.recommendation.reappoint, pack.recommendation.exception_reason,
            pack.recommendation.unmet_years) == (True, "Year 2: one report, illness", [2])


def late_year(app: Assured, panel: PanelRegion) -> Safeguarder:
    """Fay's first year (1 Mar 2024 - 28 Feb 2025) ends unmet, as the appointment workflow
    records it; in June the session and reports held in February are entered, and the
    workflow withdraws the shortfall."""
    fay = appointed("Fay Late", "2024-03-01")
    allocate(fay, panel, "sm-1", "2024-03-01")
    app.record(fay)
    step(app, fay, "year-1:due-dates", "support due dates set", "2024-03-01", year=1,
         support_session_due="2025-02-28", sampled_reports_due="2025-02-28",
         reminder_on="2024-12-28", support_sessions_required=1, sampled_reports_required=2)
    step(app, fay, "year-1:support-reminder", "support reminder sent", "2024-12-28",
         to="support manager", year=1, due_on="2025-02-28")
    year_end = on(d("2025-03-01"), 0)  # the next midnight: the year's due date has passed
    app.record_annual_shortfall(
        process(RecordAnnualShortfall, fay, year=1, at=year_end),
        step=Step(f"appointment-{fay.id}:year-1:closed", "appointment",
                  "annual shortfall recorded",
                  {"command": "RecordAnnualShortfall", "year": 1, "due_on": "2025-02-28"}))
    step(app, fay, "year-1:shortfall-escalated", "shortfall escalated to panel team lead",
         "2025-03-01", to="panel team lead", year=1)
    step(app, fay, "year-2:due-dates", "support due dates set", "2025-03-01", year=2,
         support_session_due="2026-02-28", sampled_reports_due="2026-02-28",
         reminder_on="2025-12-28", support_sessions_required=1, sampled_reports_required=2)
    return fay


def enter_late(app: Assured, fay: Safeguarder) -> str:
    """The session and reports held in February 2025, entered in June, with the workflow's
    steps; the shortfall withdrawn. Returns what the withdrawal names."""
    manager = Commands(by="sm-1")
    held = on(d("2025-02-10"))
    app.record_support_session(
        manager(RecordSupportSession, fay, session_id="f1", notes="notes", at=held),
        step=Step(f"appointment-{fay.id}:session-f1", "appointment", "support session recorded",
                  {"command": "RecordSupportSession"}))
    for ref in ("R-F1", "R-F2"):
        app.record_sampled_report(
            manager(RecordSampledReport, fay, report_ref=ref, session_id="f1",
                    discussion="notes", at=held),
            step=Step(f"appointment-{fay.id}:report-{ref}", "appointment",
                      "sampled report recorded", {"command": "RecordSampledReport"}))
    late = "sampled report R-F2 dated 2025-02-10, entered on 2025-06-10, met year 1's requirement"
    app.withdraw_annual_shortfall(
        process(WithdrawAnnualShortfall, fay, year=1, entered_late=late,
                at=on(d("2025-06-10"))),
        step=Step(f"appointment-{fay.id}:year-1:shortfall-withdrawn", "appointment",
                  "annual shortfall withdrawn",
                  {"command": "WithdrawAnnualShortfall", "year": 1}))
    return late


def test_the_caseload_reads_the_workflow_steps_and_drops_a_withdrawn_shortfall(
    app: Assured, database_url: str, panel: PanelRegion
) -> None:
    fay = late_year(app, panel)
    gil = appointed("Gil Unallocated", "2025-05-01")
    app.record(gil)
    # Only the reminder's step is on Gil's record: it names the allocation's due date.
    step(app, gil, "term-1:allocation-reminder", "allocation reminder sent", "2025-05-16",
         to="panel team lead", allocation_due="2025-05-15")
    with read(app, database_url, SupportCaseload()) as conn:
        before = caseload(conn, date(2025, 6, 1), app.mapper.cipher)
        enter_late(app, fay)
        read(app, database_url, SupportCaseload()).close()
        after = caseload(conn, date(2025, 6, 11), app.mapper.cipher)
        outcome = conn.execute("SELECT outcome FROM caseload_year WHERE safeguarder_id = %s "
                               "AND year = 1", (fay.id,)).fetchone()

    (f,) = before["sm-1"]
    assert (f.year, f.stage, f.stage_on, f.shortfalls) == (
        2, "support due dates set (year 2)", date(2025, 3, 1), [1])
    assert [(i.what, i.due_on.isoformat(), i.state) for i in f.items] == [
        ("Sampled reports, year 1 (0 of 2)", "2025-02-28", "overdue"),
        ("Support session, year 1 (0 of 1)", "2025-02-28", "overdue"),
        ("Sampled reports, year 2 (0 of 2)", "2026-02-28", "due"),
        ("Support session, year 2 (0 of 1)", "2026-02-28", "due")]
    (g,) = before[UNALLOCATED]
    assert [(i.what, i.due_on, i.state) for i in g.items[:1]] == [
        ("Support manager allocated", date(2025, 5, 15), "overdue")]
    (f,) = after["sm-1"]
    # Year 1 is met after all: it leaves the list, and its shortfall no longer stands.
    assert (f.stage, f.stage_on, f.shortfalls) == (
        "annual shortfall withdrawn (year 1)", date(2025, 6, 10), [])
    assert [i.what for i in f.items] == ["Sampled reports, year 2 (0 of 2)",
                                         "Support session, year 2 (0 of 1)"]
    assert outcome == ("shortfall withdrawn",)


def test_the_evidence_pack_keeps_a_withdrawn_shortfall_as_history_not_as_a_shortfall(
    app: Assured, database_url: str, panel: PanelRegion
) -> None:
    fay = late_year(app, panel)
    with read(app, database_url, ReappointmentEvidence()) as conn:
        pack = evidence_pack(conn, fay.id, date(2025, 6, 1), app.mapper.cipher)
    assert pack is not None
    so_far = ["Year 2: 0 individual support session(s) of 1 so far",
              "Year 2: 0 sampled report(s) of 2 so far"]  # year 2 runs to 28 Feb 2026
    assert pack.shortfalls == ["Year 1: 0 individual support session(s) of 1",
                               "Year 1: 0 sampled report(s) of 2",
                               "Year 1: shortfall recorded on 2025-03-01",
                               "Year 1: no peer mentor assigned in the first year", *so_far]

    late = enter_late(app, fay)
    with read(app, database_url, ReappointmentEvidence()) as conn:
        pack = evidence_pack(conn, fay.id, date(2025, 6, 11), app.mapper.cipher)
    assert pack is not None
    first = pack.years[0]
    assert (first.count("support session"), first.count("sampled report")) == (1, 2)
    assert [(e.on, e.code) for e in first.evidence["shortfall recorded"]] == [
        (date(2025, 3, 1), "0 session(s), 0 sampled report(s)")]
    assert [(e.on, e.detail) for e in first.evidence["shortfall withdrawn"]] == [
        (date(2025, 6, 10), late)]
    assert pack.shortfalls == ["Year 1: no peer mentor assigned in the first year", *so_far]


@pytest.mark.parametrize("one_page", [True, False])
def test_a_step_recorded_late_does_not_hide_a_later_stage(
        app: Assured, database_url: str, panel: PanelRegion, one_page: bool) -> None:
    """The appointment process catches up on an older step after a newer one was recorded:
    the caseload's stage stays the newer one, whether both land in one page or two."""
    eve = appointed("Eve Later", "2025-01-06")
    app.record(eve)
    step(app, eve, "review", "recommendation recorded", "2026-03-09")
    if not one_page:
        with read(app, database_url, SupportCaseload()):
            pass
    step(app, eve, "year-3", "shortfall escalated to panel team lead", "2026-03-01", year=3)
    with read(app, database_url, SupportCaseload()) as conn:
        book = caseload(conn, date(2026, 9, 1), app.mapper.cipher)
    (entry,) = book[UNALLOCATED]
    assert (entry.stage, entry.stage_on) == ("recommendation recorded", date(2026, 3, 9))
