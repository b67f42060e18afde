"""A Safeguarder's status is one rule (`domain.safeguarder_values.status_after`): on any life a
Safeguarder can have, the record's own status, the record rebuilt from the store, the
safeguarder directory, the caseload and the evidence pack all say the same."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, time, timedelta
from typing import Any

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import Assured
from domain.errors import RuleBroken
from domain.panel import PanelRegion
from domain.panel_commands import AddSupportManager, EstablishRegion
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    OpenReappointmentReview,
    Recommend,
    RecordAssessment,
    RecordInterview,
    RecordMinistersDecision,
    RemoveFromPanel,
    Resign,
)
from domain.safeguarder_values import SERVING, Status
from projections.caseload import SupportCaseload, caseload
from projections.evidence_pack import ReappointmentEvidence, evidence_pack, in_review
from projections.runner import Runner
from projections.safeguarder_file import DIRECTORY, SafeguarderFile
from tests.commands import Commands

LEAD, MANAGER = "panel-lead", "sm-1"
START = datetime(2008, 1, 7, 9, 0, tzinfo=UTC)  # long past: three terms end before today
cmd = Commands(by=LEAD)

# What can happen to a Safeguarder, in any order; what the record refuses is left out.
STEPS = ("interview passed", "interview failed", "assessment passed", "assessment failed",
         "appointed", "allocated", "review opened", "recommended to re-appoint",
         "recommended not to re-appoint", "re-appointed", "not re-appointed", "resigned",
         "removed")


def region() -> PanelRegion:
    east = PanelRegion.establish(EstablishRegion(region="East", by=LEAD, at=START))
    east.add_support_manager(cmd(AddSupportManager, east, manager=MANAGER, at=START))
    return east


def take(s: Safeguarder, step: str, now: datetime, east: PanelRegion) -> datetime:
    """Try `step` at `now` (or when it can first happen); the time after it."""
    if step == "review opened" and s.current_term is not None:
        now = max(now, datetime.combine(s.current_term["review_opens_on"], time(9), START.tzinfo))
    actions: dict[str, Any] = {
        "interview passed": lambda: s.record_interview(cmd(RecordInterview, s, passed=True,
                                                           notes="n", at=now)),
        "interview failed": lambda: s.record_interview(cmd(RecordInterview, s, passed=False,
                                                           notes="n", at=now)),
        "assessment passed": lambda: s.record_assessment(cmd(RecordAssessment, s, passed=True,
                                                             notes="n", at=now)),
        "assessment failed": lambda: s.record_assessment(cmd(RecordAssessment, s, passed=False,
                                                             notes="n", at=now)),
        "appointed": lambda: s.appoint(cmd(Appoint, s, term_starts_on=now.date(),
                                           by="ministers", at=now)),
        "allocated": lambda: s.allocate(cmd(Allocate, s, manager=MANAGER, at=now), east),
        "review opened": lambda: s.open_reappointment_review(cmd(
            OpenReappointmentReview, s, by="process:appointment", at=now)),
        "recommended to re-appoint": lambda: s.recommend(cmd(
            Recommend, s, reappoint=True, rationale="r", exception_reason="e", by=MANAGER,
            at=now)),
        "recommended not to re-appoint": lambda: s.recommend(cmd(
            Recommend, s, reappoint=False, rationale="r", by=MANAGER, at=now)),
        "re-appointed": lambda: s.record_ministers_decision(cmd(
            RecordMinistersDecision, s, reappoint=True, by="ministers", at=now)),
        "not re-appointed": lambda: s.record_ministers_decision(cmd(
            RecordMinistersDecision, s, reappoint=False, by="ministers", at=now)),
        "resigned": lambda: s.resign(cmd(Resign, s, reason="moving", at=now)),
        "removed": lambda: s.remove(cmd(RemoveFromPanel, s, reason="conduct", at=now)),
    }
    with contextlib.suppress(RuleBroken):  # the record refuses it: the life goes on without it
        actions[step]()
    return now + timedelta(days=3)


def live(steps: list[str], n: int, east: PanelRegion) -> Safeguarder:
    now = START + timedelta(days=n)
    s = Safeguarder.apply_to_panel(ApplyToPanel(name=f"Status Person {n}",
                                                contact={"email": "p@example.org"},
                                                region="East", by=LEAD, at=now))
    for step in steps:
        now = take(s, step, now + timedelta(days=1), east)
    return s


# Lives that mostly get far: the steps of the usual path are drawn more often.
usual = st.sampled_from(["interview passed", "assessment passed", "appointed", "allocated",
                         "review opened"])
lives = st.lists(st.one_of(usual, usual, st.sampled_from(STEPS)), max_size=14)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(lives, min_size=1, max_size=6))
def test_the_record_the_directory_the_caseload_and_the_evidence_pack_agree_on_status(
    app: Assured, database_url: str, specs: list[list[str]],
) -> None:
    east = region()
    people = [live(steps, n, east) for n, steps in enumerate(specs)]
    app.record(*people)
    chosen = [SafeguarderFile(), SupportCaseload(), ReappointmentEvidence()]
    runner = Runner(app, chosen)
    for projection in chosen:
        runner.catch_up(projection)
    mine = {s.id for s in people}
    status = {s.id: s.status for s in people}
    assert {s.id: app.repository.get(s.id).status for s in people} == status
    with psycopg.connect(database_url, autocommit=True) as conn:
        directory = dict(conn.execute(f"SELECT safeguarder_id, status FROM {DIRECTORY} "
                                      "WHERE safeguarder_id = ANY(%s)", (list(mine),)))
        book = caseload(conn, START.date() + timedelta(days=4000), app.mapper.cipher)
        serving = {e.safeguarder_id: e.status for entries in book.values() for e in entries
                   if e.safeguarder_id in mine}
        reviewing = set(in_review(conn)) & mine
        packs = {s.id: evidence_pack(conn, s.id, START.date(), app.mapper.cipher)
                 for s in people}
    assert directory == status
    assert serving == {i: s for i, s in status.items() if s in SERVING}
    assert reviewing == {i for i, s in status.items() if s == Status.IN_REVIEW}
    assert {i: p.status for i, p in packs.items() if p is not None} == {
        s.id: s.status for s in people if s.first_appointed_on is not None}
