"""The support manager's caseload and the re-appointment evidence pack (seed 000)."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
import pytest

from domain.application import Assured
from domain.panel import GroupSession, Mentor, PanelRegion
from domain.safeguarder import Safeguarder
from projections.caseload import UNALLOCATED, SupportCaseload, caseload
from projections.evidence_pack import ReappointmentEvidence, evidence_packs, in_review
from projections.runner import Runner
from tests.projections.quarter_fixture import d, on

LEAD = "panel-lead"


@pytest.fixture
def panel(app: Assured) -> PanelRegion:
    region = PanelRegion.establish("East", by=LEAD, at=on(d("2023-01-02")))
    for manager in ("sm-1", "sm-2"):
        region.add_support_manager(manager, by=LEAD, at=on(d("2023-01-02")))
    app.record(region)
    return region


def appointed(name: str, starts: str) -> Safeguarder:
    s = Safeguarder.apply_to_panel(name=name, contact={"email": "x@example.org"},
                                   region="East", by=LEAD, at=on(d(starts), 7))
    s.record_interview(True, "ok", by=LEAD, at=on(d(starts), 8))
    s.record_assessment(True, "ok", by=LEAD, at=on(d(starts), 9))
    s.appoint(d(starts), by="ministers", at=on(d(starts), 10))
    return s


def step(app: Assured, s: Safeguarder, key: str, name: str, day: str, **details: Any) -> None:
    app.run_step(s.id, f"appointment-{s.id}:{key}", "appointment", name, details,
                 at=on(d(day), 12))


def read(app: Assured, database_url: str, *projections: Any) -> psycopg.Connection[Any]:
    runner = Runner(app, list(projections))
    for projection in projections:
        runner.catch_up(projection)
    return psycopg.connect(database_url, autocommit=True)


def test_each_manager_sees_what_is_due_and_overdue_and_the_workflow_stage(
    app: Assured, database_url: str, panel: PanelRegion
) -> None:
    ann = appointed("Ann Allocated", "2026-02-01")
    ann.allocate(panel, "sm-1", "", by=LEAD, at=on(d("2026-02-02")))
    ann.record_support_session("a1", "notes", by="sm-1", at=on(d("2026-05-01")))
    ann.record_sampled_report("R-1", "a1", "notes", by="sm-1", at=on(d("2026-05-02")))
    bea = appointed("Bea Waiting", "2026-01-10")
    cal = appointed("Cal Review", "2023-11-01")
    cal.allocate(panel, "sm-2", "", by=LEAD, at=on(d("2023-11-02")))
    for year, held in ((1, "2024-03-01"), (2, "2025-03-01")):
        cal.record_support_session(f"c{year}", "notes", by="sm-2", at=on(d(held)))
        for n in (1, 2):
            cal.record_sampled_report(f"R-{year}-{n}", f"c{year}", "notes", by="sm-2",
                                      at=on(d(held)))
    cal.open_reappointment_review(by="process:appointment", at=on(d("2026-05-05")))
    gone = appointed("Dee Gone", "2025-01-01")
    gone.resign("moving", by=LEAD, at=on(d("2025-06-01")))
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
    mentor = Mentor.recruit(name="Jo", by=LEAD, at=on(d("2023-01-02")))
    mentor.record_training(by=LEAD, at=on(d("2023-01-03")))
    mentor.accredit(by=LEAD, at=on(d("2023-01-04")))
    group = GroupSession.plan(session_ref="G-1", facilitator="sm-1", held_on=d("2024-06-01"),
                              by=LEAD, at=on(d("2024-01-02")))
    eve = appointed("Eve Evidence", "2023-11-01")
    eve.allocate(panel, "sm-1", "", by=LEAD, at=on(d("2023-11-02")))
    eve.assign_mentor(mentor, by=LEAD, at=on(d("2023-12-01")))
    eve.record_mentoring_session("check-in", by=LEAD, at=on(d("2024-01-15")))
    eve.record_support_session("y1", "notes", by="sm-1", at=on(d("2024-03-01")))
    for ref in ("R-1", "R-2"):
        eve.record_sampled_report(ref, "y1", "notes", by="sm-1", at=on(d("2024-03-02")))
    eve.attend_group_session(group, by=LEAD, at=on(d("2024-06-01")))
    eve.record_feedback("family", "positive", "Explained the hearing", by=LEAD,
                        at=on(d("2024-05-01")))
    eve.record_support_session("y2", "notes", by="sm-1", at=on(d("2025-02-01")))
    eve.record_sampled_report("R-3", "y2", "notes", by="sm-1", at=on(d("2025-02-01")))
    eve.raise_concern("c1", "behaviour", "Late to a hearing", by=LEAD, at=on(d("2025-03-01")))
    eve.resolve_concern("c1", "Discussed; no further action", by=LEAD, at=on(d("2025-04-01")))
    eve.record_performance_evidence("PS1", "Observed hearing", by=LEAD, at=on(d("2025-06-01")))
    eve.record_annual_shortfall(2, by="process:appointment", at=on(d("2025-11-05")))
    eve.record_support_session("y3", "notes", by="sm-1", at=on(d("2026-02-01")))
    for ref in ("R-4", "R-5"):
        eve.record_sampled_report(ref, "y3", "notes", by="sm-1", at=on(d("2026-02-01")))
    eve.raise_concern("c2", "behaviour", "Missed a hearing", by=LEAD, at=on(d("2026-04-01")))
    eve.open_reappointment_review(by="process:appointment", at=on(d("2026-05-05")))
    eve.recommend(True, "Strong practice", "Year 2: one report, illness", by="sm-1",
                  at=on(d("2026-07-01")))
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
