"""One data set for the API tests that need every kind of record, on a database of its own.

- a Safeguarder in the East allocated to support manager `sm-east`; another in the West,
  allocated to nobody (both with the phone number `CONTACT`);
- two cases of practitioner `pr-1` and supervisor `su-1`, the first selected by an audit;
- a review, the audit, the East and West regions (with `sm-east` and `sm-west`), a group
  session and a mentor.
Each record comes with the facts the policy needs, written here rather than read back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from eventsourcing.cryptography import AESCipher

from api.policy import Facts
from infra.settings import Settings
from infra.migrations import prepare_embedded
from infra.store import event_store_env
from tests.servers import free_port, temporal_dev_server  # noqa: F401 (used by tests)
from domain.application import Assured
from domain.arrangement_commands import MakeArrangement
from domain.assurance_commands import EvidenceRequest, PlanAssuranceCycle
from domain.audit_commands import PlanAudit, SelectCasesAtRandom
from domain.forward_plan_commands import AddPlanItem, OpenForwardPlan
from domain.self_evaluation_commands import StartSelfEvaluation
from domain.term_calendar_commands import SetUpTermCalendar
from domain.case_commands import OpenCase
from domain.panel_commands import (
    AddSupportManager,
    EstablishRegion,
    LaunchMentoringProgramme,
    PlanGroupSession,
    RecruitMentor,
)
from domain.review_commands import Refer
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    Contact,
    RecordAssessment,
    RecordInterview,
)

NOW = datetime.now(UTC)
OPENED = NOW - timedelta(days=30)
CONTACT = "07700 900461"  # a Safeguarder's phone number: only the panel team may see it


@contextmanager
def own_database(admin_url: str, data_dir: Path, **settings: object
                 ) -> Iterator[tuple[Assured, Settings]]:
    """A fresh database with an application and settings on it (for module-scoped fixtures)."""
    url = prepare_embedded(admin_url, f"t_{uuid.uuid4().hex[:12]}", None).app
    key = AESCipher.create_key(num_bytes=32)
    app = Assured(event_store_env(url, key, 0))
    options = {"temporal_address": "127.0.0.1:1", **settings}
    try:
        yield app, Settings(database_url=url, encryption_key=key, data_dir=data_dir, **options)
    finally:
        app.close()


@dataclass(frozen=True)
class Known:
    """A record of the data set and what the policy needs to know of it (written here)."""

    name: str
    id: uuid.UUID
    facts: Facts



def seed(app: Assured) -> dict[str, Known]:
    by, at = "setup", OPENED

    def later(minutes: int) -> datetime:
        return at + timedelta(minutes=minutes)

    east = app.establish_region(EstablishRegion(region="East", by=by, at=at)).record
    west = app.establish_region(EstablishRegion(region="West", by=by, at=at)).record
    app.add_support_manager(AddSupportManager(record_id=east.id, manager="sm-east", by=by,
                                              at=later(1)))
    app.add_support_manager(AddSupportManager(record_id=west.id, manager="sm-west", by=by,
                                              at=later(1)))

    sg_east = app.apply_to_panel(ApplyToPanel(name="Sam Eastwood", contact=Contact(phone=CONTACT),
                                              region="East", by=by, at=at)).record
    app.record_interview(RecordInterview(record_id=sg_east.id, passed=True, notes="clear",
                                         by=by, at=later(2)))
    app.record_assessment(RecordAssessment(record_id=sg_east.id, passed=True, notes="clear",
                                           by=by, at=later(3)))
    app.appoint(Appoint(record_id=sg_east.id, term_starts_on=OPENED.date(), by=by, at=later(4)))
    app.allocate(Allocate(record_id=sg_east.id, manager="sm-east", by=by, at=later(5)))
    sg_west = app.apply_to_panel(ApplyToPanel(name="Kim Westley", contact=Contact(phone=CONTACT),
                                              region="West", by=by, at=at)).record

    cases = [app.open_case(OpenCase(child_reference=f"C-000{n}", agency="Health",
                                    practitioner="pr-1", supervisor="su-1",
                                    legal_status="child_in_need", risk="medium", nation="ENG",
                                    by=by, at=at)).record for n in (1, 2)]
    audit = app.plan_audit(PlanAudit(reference="audit-2026-supervision", theme="Supervision",
                                     dimension="multi_agency",
                                     audit_type="multi_agency_practice", year=OPENED.year,
                                     agencies=["Health"], sample_size=1,
                                     returns_due=NOW.date() + timedelta(days=60), by=by,
                                     at=at)).record
    app.select_cases_at_random(SelectCasesAtRandom(record_id=audit.id,
                                                   population=[str(cases[0].id)], seed=1, by=by,
                                                   at=later(1)))
    review = app.refer(Refer(reference="PR-2026-01", referrer="Health",
                             category="practice_concern", summary="Learning about drift",
                             nation="ENG", review_type="thematic", by=by, at=at)).record
    session = app.plan_group_session(PlanGroupSession(
        session_ref="GS-1", facilitator="sm-east", held_on=NOW.date() + timedelta(days=7),
        by=by, at=at)).record
    mentor = app.recruit_mentor(RecruitMentor(name="Morgan Mentor", by=by, at=at)).record
    assurance = _assurance_records(app, by, at)

    known = [
        Known("safeguarder (East, allocated to sm-east)", sg_east.id,
              Facts("safeguarder", region="East", support_manager="sm-east")),
        Known("safeguarder (West, unallocated)", sg_west.id,
              Facts("safeguarder", region="West", support_manager=None)),
        Known("case (pr-1/su-1, selected by an audit)", cases[0].id,
              Facts("case", practitioner="pr-1", supervisor="su-1", named_in_review=True)),
        Known("case (pr-1/su-1, in no audit)", cases[1].id,
              Facts("case", practitioner="pr-1", supervisor="su-1", named_in_review=False)),
        Known("review", review.id, Facts("review")),
        Known("audit", audit.id, Facts("audit")),
        Known("region (East)", east.id, Facts("region")),
        Known("group-session", session.id, Facts("group-session")),
        Known("mentor", mentor.id, Facts("mentor")),
        *assurance,
    ]
    return {k.name: k for k in known}


def _assurance_records(app: Assured, by: str, at: datetime) -> list[Known]:
    """Issue 12's records: an arrangement (su-1 supervises pr-1), a quarter's cycle and the
    forward plan (leads and owners who are none of the callers), a self-evaluation of dcs-1,
    the schools' term calendar."""
    arrangement = app.make_arrangement(MakeArrangement(
        supervisor="su-1", supervisee="pr-1", agency="Health", contact="direct",
        frequency="monthly", duration_minutes=60, supervisor_responsibilities="Notes",
        supervisee_responsibilities="Cases", changes_notice="A week", agenda_setting="At start",
        workload_escalation="Line manager", differences_of_opinion="In the session",
        line_manager="lm-1", safeguarding_lead="dsl-1", supervisee_started_on=date(2020, 9, 1),
        review_on=NOW.date() + timedelta(days=200), nation="ENG", by="su-1", at=at)).record
    cycle = app.plan_assurance_cycle(PlanAssuranceCycle(
        quarter="2026Q3", sub_group_meets_on=NOW.date() + timedelta(days=40),
        partnership_meets_on=NOW.date() + timedelta(days=60),
        requests=(EvidenceRequest(item="drift_cases", kind="measure", lead="lead-1"),),
        by="bu-1", at=at)).record
    plan = app.open_forward_plan(OpenForwardPlan(name="Forward plan", by="bu-1", at=at)).record
    app.add_plan_item(AddPlanItem(record_id=plan.id, activity="peer_challenge", owner="owner-1",
                                  first_due_on=NOW.date() + timedelta(days=90), by="bu-1",
                                  at=at))
    evaluation = app.start_self_evaluation(StartSelfEvaluation(
        audience="dcs", year=NOW.year, by="dcs-1", at=at)).record
    programme = app.launch_mentoring_programme(LaunchMentoringProgramme(
        starts_on=OPENED.date(), by="pa-1", at=at)).record
    calendar = app.set_up_term_calendar(SetUpTermCalendar(name="Schools", nation="ENG",
                                                          by="bu-1", at=at)).record
    return [
        Known("arrangement (su-1 supervises pr-1)", arrangement.id,
              Facts("arrangement", parties=("su-1", "pr-1"), contributors=("lm-1", "dsl-1"))),
        Known("assurance-cycle", cycle.id,
              Facts("assurance-cycle", contributors=("lead-1",))),
        Known("forward-plan", plan.id, Facts("forward-plan", contributors=("owner-1",))),
        Known("self-evaluation (dcs-1)", evaluation.id,
              Facts("self-evaluation", parties=("dcs-1",))),
        Known("term-calendar", calendar.id, Facts("term-calendar")),
        Known("mentoring-programme", programme.id, Facts("mentoring-programme")),
    ]
