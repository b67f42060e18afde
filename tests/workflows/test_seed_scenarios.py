"""Issue 12's processes, one scenario each, through HTTP: the API (TestClient) on the test's
PostgreSQL, the Temporal dev server with time skipping, and a worker on the API's task queue.

People act through HTTP, dated now (the API refuses a fact dated ahead of its clock); the
processes their records started are then fast-forwarded past their deadlines, and what the
processes recorded, and what each role reads through HTTP, is checked. Reads catch the read
models up inline (`api/reads.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from temporalio.service import RPCError

from api.app import create_app
from api.auth import Principal
from domain.accounts import Role
from domain.audit import select_at_random
from domain.evaluation_values import STATEMENTS
from domain.policy import DEFAULT_POLICY, add_months
from domain.self_evaluation import questions, themes
from infra.settings import Settings
from tests.accounts import signed_in
from projections.quarters import Quarter
from tests.workflows.arrangements import academic_year, half_terms_around
from tests.workflows.conftest import TEST_KEY, Running, eventually, keep_history, steps
from domain.assurance_commands import (
    CycleAction,
    CycleRecommendation,
    PublishAssuranceReport,
    RecommendationDecision,
    RecordPartnershipDecisions,
    RecordSubGroupDiscussion,
)
from workflows.arrangement.workflow import SupervisionArrangementWorkflow as Arrangement
from workflows.assurance_cycle.workflow import AssuranceCycleWorkflow as Cycle
from workflows.common import end_of

LINE_MANAGER, DSL, BU, LEAD, LATE_LEAD = "lm-1", "dsl-1", "bu-1", "lead-1", "police-1"


@dataclass
class Api:
    client: TestClient
    settings: Settings
    running: Running

    def who(self, role: Role, username: str, region: str | None = None) -> dict[str, str]:
        """Authorization headers of a person with an account of `role` (made on first use)."""
        return signed_in(self.running.app, self.settings, Principal(username, role, region))

    async def post(self, path: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
        """A command through HTTP (in a thread: the worker shares this test's event loop)."""
        answer = await asyncio.to_thread(self.client.post, path, headers=headers,
                                         json=_json(body))
        assert answer.status_code in (200, 201), answer.text
        return answer.json()  # type: ignore[no-any-return]

    async def get(self, path: str, headers: dict[str, str], status: int = 200,
                  **params: Any) -> Any:
        answer = await asyncio.to_thread(self.client.get, path, headers=headers, params=params)
        assert answer.status_code == status, answer.text
        return answer.json() if status == 200 and "json" in answer.headers.get(
            "content-type", "") else answer

    def handle(self, workflow_id: str) -> Any:
        return self.running.client.get_workflow_handle(workflow_id)

    def events(self, record_id: Any, kind: str) -> list[Any]:
        return [e for e in self.running.app.stored_events(UUID(str(record_id)))
                if type(e).__name__ == kind]


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


@pytest.fixture
async def api(running: Running, database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    address = running.client.service_client.config.target_host
    settings = Settings(database_url=database_url, encryption_key=TEST_KEY, data_dir=tmp_path,
                        temporal_address=address, task_queue=running.task_queue)
    with TestClient(create_app(settings, running.app), raise_server_exceptions=False) as client:
        yield Api(client, settings, running)


def today() -> date:
    return datetime.now(UTC).date()


def arrangement(**changes: Any) -> dict[str, Any]:
    return {"supervisor": "su-1", "supervisee": "pr-1", "agency": "Loxdale Primary",
            "contact": "direct", "frequency": "monthly", "duration_minutes": 60,
            "supervisor_responsibilities": "Keep notes; circulate them",
            "supervisee_responsibilities": "Bring the cases that concern me",
            "changes_notice": "Two days' notice", "agenda_setting": "Agreed at the start",
            "workload_escalation": "Raised with the line manager",
            "differences_of_opinion": "Raised in the session, then the line manager",
            "line_manager": LINE_MANAGER, "safeguarding_lead": DSL,
            "supervisee_started_on": date(2019, 9, 1),
            "review_on": today() + timedelta(days=300), "nation": "ENG"} | changes


SESSION = {"attendees": ["su-1", "pr-1"], "matters_arising": "Actions done",
           "successes": "Two families stepped down", "frustrations": [],
           "concerns_to_escalate": [], "trends": "More neglect referrals",
           "training": "Neglect toolkit attended"}

SUPERVISOR, SUPERVISEE = Role.SUPERVISOR, Role.PRACTITIONER


# --- 1. supervision arrangements and contracts ----------------------------------------------


async def test_a_school_half_term_missed_is_escalated_to_the_line_manager(api: Api) -> None:
    bu, su = api.who(Role.BUSINESS_UNIT, BU), api.who(SUPERVISOR, "su-1")
    calendar = await api.post("/term-calendars", bu, name="Salford schools", nation="ENG")
    halves = half_terms_around(today(), [(-3, 9), (16, 45)])
    for year in sorted({academic_year(h.starts_on) for h in halves}):
        await api.post(f"/term-calendars/{calendar['id']}/set-term-dates", bu,
                       academic_year=year, half_terms=[
                           {"name": h.name, "starts_on": h.starts_on, "ends_on": h.ends_on}
                           for h in halves if academic_year(h.starts_on) == year])
    made = await api.post("/arrangements", su, **arrangement(
        frequency="half_termly", term_calendar_id=calendar["id"]))
    handle = api.handle(made["workflow"])
    await eventually(lambda: _deadline(handle, "next session", halves[0].ends_on))

    await api.running.env.fast_forward(handle, timedelta(days=11))  # past the half term's end
    [missed] = await eventually(lambda: _async(api.events(made["id"], "SessionMissed")))
    assert missed.period_ends_on == halves[0].ends_on
    assert missed.occurred_on == end_of(halves[0].ends_on)  # dated when the half term ended
    assert missed.escalated_to == LINE_MANAGER
    assert [s.details["to"] for s in steps(api.running.app, UUID(made["id"]),
                                           "session reminder sent")] == ["supervisor and supervisee"]

    managers = await api.get(f"/arrangements/{made['id']}", api.who(SUPERVISOR, LINE_MANAGER))
    assert managers["missed"][0]["period_ends_on"] == halves[0].ends_on.isoformat()
    await api.get(f"/arrangements/{made['id']}", api.who(SUPERVISOR, "su-other"), status=404)
    await keep_history(handle, "SupervisionArrangementWorkflow-half-term-missed")
    await handle.terminate("scenario over")


async def test_a_quarter_missed_after_a_session_entered_late_is_escalated_once(api: Api) -> None:
    """A quarterly arrangement made a month ago, and a session entered late, held four weeks
    ago: the quarter after it opens the day after the session. When it passes without one, the
    process records it missed, dated when it ended, once, and waits for the quarter that follows
    (the record once counted the session as held within the quarter it began, refused it as
    missed, and the process planned the same quarter again, for ever)."""
    su = api.who(SUPERVISOR, "su-1")
    held_on = today() - timedelta(days=28)
    made = await api.post("/arrangements", su, **arrangement(frequency="quarterly"),
                          at=datetime.combine(held_on - timedelta(days=2), time(9), UTC))
    rid, handle = made["id"], api.handle(made["workflow"])
    await api.post(f"/arrangements/{rid}/record-supervision-session", su, session_id="S-1",
                   agenda=SESSION, next_session_on=held_on + timedelta(days=60),
                   at=datetime.combine(held_on, time(10), UTC))
    quarter = add_months(held_on, 3)
    await eventually(lambda: _deadline(handle, "next session", quarter))

    await api.running.env.fast_forward(handle, timedelta(days=70))  # past the quarter's end
    [missed] = await eventually(lambda: _async(api.events(rid, "SessionMissed")))
    assert (missed.period_opens_on, missed.period_ends_on) == (held_on + timedelta(days=1),
                                                                quarter)
    assert missed.occurred_on == end_of(quarter) and missed.escalated_to == LINE_MANAGER
    await eventually(lambda: _deadline(handle, "next session", add_months(quarter, 3)))
    status = await handle.query(Arrangement.status)
    assert status.missed == [f"quarterly (due {quarter})"]
    assert not [line for line in status.history if line.startswith("step refused")]
    assert len(api.events(rid, "SessionMissed")) == 1
    await keep_history(handle, "SupervisionArrangementWorkflow-quarter-missed-after-a-session")
    await handle.terminate("scenario over")


async def test_a_contract_review_overdue_is_recorded_and_reminded_first(api: Api) -> None:
    su = api.who(SUPERVISOR, "su-1")
    review_on = today() + timedelta(days=10)
    made = await api.post("/arrangements", su, **arrangement(review_on=review_on))
    await api.post(f"/arrangements/{made['id']}/sign-arrangement", su, party="su-1")
    await api.post(f"/arrangements/{made['id']}/sign-arrangement",
                   api.who(SUPERVISEE, "pr-1"), party="pr-1")
    handle = api.handle(made["workflow"])
    await eventually(lambda: _deadline(handle, "arrangement review", review_on))
    await api.running.env.fast_forward(handle, timedelta(days=12))
    [overdue] = await eventually(lambda: _async(api.events(made["id"], "ReviewOverdue")))
    assert overdue.review_on == review_on and overdue.occurred_on == end_of(review_on)
    record = UUID(made["id"])
    assert steps(api.running.app, record, "review reminder sent")
    assert [s.details["to"] for s in steps(api.running.app, record, "evaluation invited")] == [
        "supervisee"]
    mine = await api.get(f"/arrangements/{made['id']}", api.who(SUPERVISEE, "pr-1"))
    assert mine["overdue_reviews"] == [review_on.isoformat()]
    assert set(mine["signed"]) == {"su-1", "pr-1"}  # both parties signed
    await handle.terminate("scenario over")


# --- 3 and 4. confidentiality levels and the session agenda ---------------------------------


async def test_a_level_1_matter_unreported_after_a_working_day_is_escalated(api: Api) -> None:
    su = api.who(SUPERVISOR, "su-1")
    opened = []
    for n in range(3):  # the supervisee's open cases, for the session's case-file audit
        case = await api.post("/cases", api.who(SUPERVISEE, "pr-1"), child_reference=f"CF-{n}",
                              agency="Loxdale Primary", practitioner="pr-1", supervisor="su-1",
                              legal_status="child_in_need", risk="medium", nation="ENG")
        opened.append(case["id"])
        await api.handle(case["workflow"]).terminate("scenario over")
    made = await api.post("/arrangements", su, **arrangement())
    rid, handle = made["id"], api.handle(made["workflow"])
    await eventually(lambda: _deadline(handle, "next session", None))
    session = await api.post(f"/arrangements/{rid}/record-supervision-session", su,
                             session_id="S-1", agenda=SESSION,
                             next_session_on=today() + timedelta(days=30))
    assert "case-file audit of:" in session["answer"]
    [chosen] = api.events(rid, "CaseFileAuditSelected")
    assert chosen.population == sorted(opened)  # the supervisee's open cases
    assert chosen.selection == select_at_random(chosen.population, chosen.seed, 2)  # rerun
    await api.post(f"/arrangements/{rid}/record-case-file-audit", su, session_id="S-1",
                   case_id=chosen.selection[0], strengths="Chronology up to date",
                   learning_points="Record the child's voice <b>first</b>")
    marked = await api.post(f"/arrangements/{rid}/mark-confidentiality", su, marking_id="M-1",
                            session_id="S-1", level="duty_to_report",
                            issue="A pupil disclosed harm at home")
    due = DEFAULT_POLICY.confidentiality_report.after(today(), "ENG")
    assert marked["answer"] == f"Marked duty_to_report: to be recorded as reported by {due}"
    await api.post(f"/arrangements/{rid}/mark-confidentiality", su, marking_id="M-2",
                   session_id="S-1", level="line_management", issue="Capability: late records")

    await api.running.env.fast_forward(handle, timedelta(days=5))
    [escalated] = await eventually(lambda: _async(api.events(rid, "UnreportedEscalated")))
    assert escalated.occurred_on == end_of(due) and escalated.escalated_to == DSL

    leads = await api.get("/my-work", api.who(SUPERVISOR, DSL))
    assert [(w["kind"], w["record_id"], w["what"], w["due_on"]) for w in leads] == [
        ("arrangement", rid, "Report confidentiality matter M-1 (escalated)", due.isoformat())]
    mine = await api.get("/my-work", su)
    assert "Report confidentiality matter M-1" in [w["what"] for w in mine]
    managers = await api.get("/my-work", api.who(SUPERVISOR, LINE_MANAGER))
    assert [w["what"] for w in managers] == ["Act on line-management matter M-2"]
    seen_by_dsl = await api.get(f"/arrangements/{rid}", api.who(SUPERVISOR, DSL))
    assert set(seen_by_dsl["markings"]) == {"M-1"}  # level 1 only: the safeguarding lead's
    assert "agenda" not in seen_by_dsl["sessions"]["S-1"]
    seen_by_lm = await api.get(f"/arrangements/{rid}", api.who(SUPERVISOR, LINE_MANAGER))
    assert set(seen_by_lm["markings"]) == {"M-2"}
    own = await api.get(f"/arrangements/{rid}", su)
    assert own["sessions"]["S-1"]["agenda"]["trends"] == "More neglect referrals"
    audit = own["sessions"]["S-1"]["audit"]
    assert audit["seed"] == chosen.seed and audit["selection"] == chosen.selection
    assert audit["findings"][chosen.selection[0]]["learning_points"] == (
        "Record the child's voice <b>first</b>")
    supervisee = await api.get(f"/arrangements/{rid}", api.who(SUPERVISEE, "pr-1"))
    assert supervisee["sessions"]["S-1"]["audit"] == audit
    await handle.terminate("scenario over")


# --- 2. the supervision evaluation tool -----------------------------------------------------


async def test_an_agency_with_fewer_than_five_evaluations_is_suppressed(api: Api) -> None:
    able = {name: "yes" for name, _ in STATEMENTS}
    unable = able | {"speak_about_cases": "no"}  # not happy to speak about cases of concern
    for n, agency in enumerate(["Health"] * 5 + ["Police"] * 4):
        supervisee = f"pr-{n}"
        made = await api.post("/arrangements", api.who(SUPERVISOR, "su-1"), **arrangement(
            supervisee=supervisee, agency=agency))
        await api.post(f"/arrangements/{made['id']}/submit-evaluation",
                       api.who(SUPERVISEE, supervisee), answers=unable if n == 0 else able,
                       more_of="Reflection", less_of="Reading back old actions")
        await api.handle(made["workflow"]).terminate("scenario over")
    quarter = _quarter(today())
    counts = await api.get(f"/evaluation-counts/{quarter}", api.who(Role.BUSINESS_UNIT, BU))
    by_agency = {c["agency"]: c for c in counts}
    assert by_agency["Police"]["suppressed"] and by_agency["Police"]["answered"] is None
    assert by_agency["Police"]["statements"] == []
    assert by_agency["Health"]["answered"] == 5
    assert by_agency["Health"]["able_to_raise_concerns"] == 4
    await api.get(f"/evaluation-counts/{quarter}", api.who(SUPERVISOR, "su-1"), status=403)
    card = await api.get(f"/scorecard/{quarter}", api.who(Role.BUSINESS_UNIT, BU))
    [able] = [m for m in card["measures"] if m["key"] == "able_to_raise_concerns"]
    assert (able["figure"]["numerator"], able["figure"]["denominator"]) == (4, 5)  # Police out
    assert able["figure"]["detail"] == "1 agency with fewer than 5 answers left out"


# --- 5. the quarterly assurance cycle --------------------------------------------------------


async def test_a_quarterly_cycle_chases_a_late_lead_and_its_report_records_the_cycle(
        api: Api) -> None:
    bu = api.who(Role.BUSINESS_UNIT, BU)
    meets = today() + timedelta(days=20)
    quarter = _quarter(today())
    made = await api.post("/assurance-cycles", bu, quarter=quarter, sub_group_meets_on=meets,
                          partnership_meets_on=meets + timedelta(days=21), requests=[
                              {"item": "drift_cases", "kind": "measure", "lead": LEAD},
                              {"item": "Police", "kind": "agency", "lead": LATE_LEAD}])
    rid, handle = made["id"], api.handle(made["workflow"])
    due = DEFAULT_POLICY.evidence_due_before_meeting.before(meets)
    await api.post(f"/assurance-cycles/{rid}/submit-evidence", api.who(Role.SUPERVISOR, LEAD),
                   item="drift_cases", data="2 of 6 cases", narrative="Drift is falling")
    owed = await api.get("/my-work", api.who(Role.SUPERVISOR, LATE_LEAD))
    assert [(o["kind"], o["what"], o["due_on"], o["state"]) for o in owed] == [
        ("assurance-cycle", "Evidence: Police", due.isoformat(), "due")]
    assert await api.get("/my-work", api.who(Role.SUPERVISOR, LEAD)) == []  # given in time

    await api.running.env.fast_forward(handle, timedelta(days=12))  # past the due date
    [chased] = await eventually(lambda: _async(api.events(rid, "EvidenceChased")))
    assert chased.item == "Police" and chased.occurred_on == end_of(due)
    assert not [e for e in api.events(rid, "EvidenceChased") if e.item == "drift_cases"]
    assert steps(api.running.app, UUID(rid), "evidence reminder sent")
    escalate_on = DEFAULT_POLICY.evidence_non_compliance.after(due, "ENG")
    await api.running.env.fast_forward(handle, timedelta(days=10))
    [escalated] = await eventually(lambda: _async(api.events(rid, "EvidenceEscalated")))
    assert escalated.item == "Police" and escalated.occurred_on == end_of(escalate_on)

    shown = await api.get(f"/assurance-cycles/{rid}", api.who(Role.LEADER, "dcs-1"))
    assert shown["evidence"]["Police"]["escalated_on"] == end_of(escalate_on).isoformat()
    await api.get(f"/assurance-cycles/{rid}", api.who(SUPERVISOR, "su-9"), status=404)

    # The later steps fall on the workflow's clock, ahead of the API's: they go to the process
    # as the updates the API would send, dated when they happened.
    running = api.running
    await running.env.fast_forward(handle, timedelta(days=1))  # the sub-group meets
    discussed = await running.env.get_current_time(handle)
    await handle.execute_update(Cycle.record_discussion, RecordSubGroupDiscussion(
        record_id=UUID(rid), summary="Drift is falling; Police evidence missing",
        recommendations=(CycleRecommendation(recommendation_id="R-1",
                                             text="Audit drift in child protection cases"),
                         CycleRecommendation(recommendation_id="R-2", text="Weekly drift list")),
        by=BU, at=discussed))
    await running.env.fast_forward(handle, timedelta(days=21))  # the partnership meets
    decided = await running.env.get_current_time(handle)
    await handle.execute_update(Cycle.record_decisions, RecordPartnershipDecisions(
        record_id=UUID(rid), decisions=(
            RecommendationDecision(recommendation_id="R-1", decision="accepted"),
            RecommendationDecision(recommendation_id="R-2", decision="amended",
                                   note="Monthly, not weekly")), by=BU, at=decided))
    await handle.execute_update(Cycle.publish, PublishAssuranceReport(
        record_id=UUID(rid), audiences=("executive", "other_boards", "sub_group_members"),
        next_actions=(CycleAction(action_id="N-1", action="Repeat the drift audit",
                                  owner=LEAD, due_on=decided.date() + timedelta(days=90)),),
        by=BU, at=(published := decided + timedelta(hours=2))))
    final = await handle.result()
    assert final["state"] == "published"
    await keep_history(handle, "AssuranceCycleWorkflow-late-lead-chased-then-published")
    assert steps(running.app, UUID(rid), "forward plan update requested")

    report = (await api.get(f"/reports/quarterly/{quarter}", bu)).text
    for shown_date in (due, meets, published.date()):  # the cycle's dates (published the
        assert shown_date.strftime("%d %b %Y") in report  # next day when decided after 22:00)
    assert f"decided {decided.strftime('%d %b')}" in report
    assert "Monthly, not weekly" in report and "amended" in report and "accepted" in report
    assert f"escalated {end_of(escalate_on).strftime('%d %b')}" in report  # the late lead's
    assert "Repeat the drift audit" in report
    pdf = await api.get(f"/reports/quarterly/{quarter}", bu, format="pdf")
    assert pdf.content.startswith(b"%PDF")  # rendered from the same HTML
    await api.get(f"/reports/quarterly/{quarter}", api.who(SUPERVISOR, "su-1"), status=403)


# --- 6. the forward plan ---------------------------------------------------------------------


async def test_a_forward_plan_item_coming_due_is_started_then_overdue(api: Api) -> None:
    bu = api.who(Role.BUSINESS_UNIT, BU)
    plan = await api.post("/forward-plans", bu, name="Safeguarding Effectiveness forward plan")
    first_due = today() + timedelta(days=20)
    await api.post(f"/forward-plans/{plan['id']}/add-plan-item", bu, activity="peer_challenge",
                   owner=LEAD, first_due_on=first_due)
    item = api.handle(f"plan-item-{plan['id']}-peer_challenge")
    await eventually(lambda: _async(api.events(plan["id"], "ActivityStarted")))
    [started] = api.events(plan["id"], "ActivityStarted")
    assert started.due_on == first_due  # within two months of its due date: started at once
    lines = await api.get(f"/forward-plans/{plan['id']}/items", bu)
    assert [(line["activity"], line["next_due_on"], line["started"], line["overdue"])
            for line in lines] == [("peer_challenge", first_due.isoformat(), True, False)]

    await eventually(lambda: _running(item))
    await api.running.env.fast_forward(item, timedelta(days=22))
    [overdue] = await eventually(lambda: _async(api.events(plan["id"], "ActivityOverdue")))
    assert overdue.due_on == first_due and overdue.occurred_on == end_of(first_due)
    assert steps(api.running.app, UUID(plan["id"]), "activity reminder sent")
    await api.get(f"/forward-plans/{plan['id']}", api.who(Role.SUPERVISOR, LEAD))  # owner reads
    await api.get(f"/forward-plans/{plan['id']}", api.who(Role.SUPERVISOR, "su-9"), status=404)

    # An activity last done over two years ago: its process finds it overdue at once, dated
    # when it fell due, and it is on its owner's My work and on the scorecard.
    last_done = today() - timedelta(days=2 * 365 + 12)
    await api.post(f"/forward-plans/{plan['id']}/add-plan-item", bu,
                   activity="section_11_audit", owner=LEAD, last_done_on=last_done)
    late = await eventually(lambda: _async([e for e in api.events(plan["id"], "ActivityOverdue")
                                            if e.activity == "section_11_audit"]))
    due = DEFAULT_POLICY.activity_frequency["section_11_audit"].after(last_done)
    [added] = [e for e in api.events(plan["id"], "ItemAdded") if e.activity == "section_11_audit"]
    # Put on the plan after it fell due: recorded then, naming the date it was due (as a
    # referral entered after its deadlines records its breaches at the referral).
    assert late[0].due_on == due and late[0].occurred_on == added.occurred_on > end_of(due)
    work = await api.get("/my-work", api.who(Role.SUPERVISOR, LEAD))
    assert [(w["what"], w["due_on"], w["state"]) for w in work] == [
        ("Assurance activity: section_11_audit", due.isoformat(), "overdue"),
        ("Assurance activity: peer_challenge", first_due.isoformat(), "due")]
    watched = await api.get("/ops/workflows", api.who(Role.OPS, "op-1"))
    [line] = [w for w in watched if w["workflow_id"] == plan["workflow"]]
    assert line["overdue"] == [f"Assurance activity: section_11_audit (due {due})"]
    quarter = Quarter.of(today())
    figure = (await _measure(api, bu, str(quarter), "forward_plan_overdue"))["figure"]
    overdue_by_quarter_end = 1 + (first_due < quarter.end)  # the first, if due by then
    assert (figure["numerator"], figure["denominator"]) == (overdue_by_quarter_end, 2)
    await keep_history(item, "PlanItemWorkflow-started-then-overdue")
    await keep_history(api.handle(plan["workflow"]), "ForwardPlanWorkflow-two-activities")
    for workflow_id in (f"plan-item-{plan['id']}-section_11_audit", plan["workflow"]):
        await api.handle(workflow_id).terminate("scenario over")
    await item.terminate("scenario over")


# --- 7. self-evaluation for leaders ----------------------------------------------------------


async def test_a_leaders_self_evaluation_is_set_beside_the_scorecard(api: Api) -> None:
    leader = api.who(Role.LEADER, "dcs-1")
    # The scorecard's evidence for the workforce theme: a mentoring programme with no mentor
    # accredited yet (red).
    await api.post("/mentoring-programmes", api.who(Role.PANEL_ADMIN, "pa-1"),
                   starts_on=today() - timedelta(days=10))
    made = await api.post("/self-evaluations", leader, audience="dcs", year=today().year)
    asked = questions("dcs")
    for n, question in enumerate(asked):
        await api.post(f"/self-evaluations/{made['id']}/answer-question", leader,
                       question_id=question.question_id, answer=f"We do {n} <b>things</b>",
                       rating="G", evidence=[{"note": "Board minutes"}])
    await api.post(f"/self-evaluations/{made['id']}/complete", leader)
    report = await api.get(f"/self-evaluations/{made['id']}/beside-scorecard", leader,
                           quarter=_quarter(today()))
    assert [t["theme"] for t in report["themes"]] == [t.key for t in themes()]
    leadership = report["themes"][0]
    assert {m["key"] for m in leadership["measures"]} == set(themes()[0].measures)
    assert leadership["answers"][0]["answer"].startswith("We do 0")
    assert all(a["rating"] == "G" for t in report["themes"] for a in t["answers"])
    assert sum(len(t["answers"]) for t in report["themes"]) == len(asked)
    by_theme = {t["theme"]: t for t in report["themes"]}
    workforce = by_theme["workforce"]
    assert {m["key"]: m["light"] for m in workforce["measures"]}["mentors_accredited"] == "red"
    assert (workforce["self_rating"], workforce["evidence_rating"], workforce["verdict"]) == (
        "G", "R", "rated higher than the evidence shows")
    assert by_theme["leadership_and_accountability"]["verdict"] == (
        "no scorecard evidence maps to this theme")  # nothing yet to count for its measures
    await api.get(f"/self-evaluations/{made['id']}/beside-scorecard",
                  api.who(Role.LEADER, "dcs-2"), status=404, quarter=_quarter(today()))
    await eventually(lambda: _closed(api.handle(made["workflow"])))
    await keep_history(api.handle(made["workflow"]), "SelfEvaluationWorkflow-answered-completed")


# --- 8. the peer-mentoring programme ---------------------------------------------------------


async def test_the_mentor_target_is_shown_missed_then_met(api: Api) -> None:
    admin = api.who(Role.PANEL_ADMIN, "pa-1")
    starts = today() - timedelta(days=30)
    await api.post("/mentoring-programmes", admin, starts_on=starts)
    quarter = _quarter(today())
    mentors = []
    for n in range(6):
        made = await api.post("/mentors", admin, name=f"Mentor {n}")
        await api.post(f"/mentors/{made['id']}/record-training", admin)
        mentors.append(made["id"])
    for mentor in mentors[:5]:
        await api.post(f"/mentors/{mentor}/accredit", admin)
    reader = api.who(Role.PRACTICE_REVIEW_MEMBER, "prm-1")
    missed = await _measure(api, reader, quarter, "mentors_accredited")
    assert missed["light"] == "red" and "(missed)" in missed["figure"]["detail"]
    assert (missed["figure"]["numerator"], missed["figure"]["denominator"]) == (5, 6)
    await api.post(f"/mentors/{mentors[5]}/accredit", admin)
    met = await _measure(api, reader, quarter, "mentors_accredited")
    assert met["light"] == "green" and "(met)" in met["figure"]["detail"]
    assert "programme year 1" in met["figure"]["detail"]
    await api.get(f"/scorecard/{quarter}", api.who(SUPERVISOR, "su-1"), status=403)

    # A new Safeguarder is mentored; the support manager records the mentoring's impact, and
    # the evidence pack shows it.
    region = await api.post("/regions", admin, region="East")
    await api.post(f"/regions/{region['id']}/add-support-manager", admin, manager="sm-east")
    applied = await api.post("/safeguarders", admin, name="Robin <Newcomer>",
                             contact={"email": "robin@example.org"}, region="East")
    sid = applied["id"]
    await api.post(f"/safeguarders/{sid}/record-interview", admin, passed=True, notes="clear")
    await api.post(f"/safeguarders/{sid}/record-assessment", admin, passed=True, notes="ready")
    await api.post(f"/safeguarders/{sid}/appoint", admin, term_starts_on=today())
    await api.post(f"/safeguarders/{sid}/allocate", admin, manager="sm-east",
                   reason="East region")
    coordinator = api.who(Role.MENTORING_COORDINATOR, "mc-1")
    await api.post(f"/safeguarders/{sid}/assign-mentor", coordinator, mentor_id=mentors[0])
    await api.post(f"/safeguarders/{sid}/record-mentoring-session", coordinator,
                   notes="First check-in")
    manager = api.who(Role.SUPPORT_MANAGER, "sm-east", "East")
    await api.post(f"/safeguarders/{sid}/record-mentoring-impact", manager,
                   evidence="Reports now set out the child's views first")
    pack = await api.get(f"/safeguarders/{sid}/evidence-pack", manager)
    [impact] = pack["years"][0]["evidence"]["mentoring impact"]
    assert impact["detail"] == "Reports now set out the child's views first"
    assert impact["code"] == "sm-east"
    assert len(pack["years"][0]["evidence"]["mentoring session"]) == 1
    refused = await asyncio.to_thread(
        api.client.post, f"/safeguarders/{sid}/record-mentoring-impact", headers=coordinator,
        json={"evidence": "Not mine to record"})
    assert refused.status_code == 403, refused.text  # the support manager's to record
    await api.get(f"/safeguarders/{sid}/evidence-pack", api.who(SUPERVISOR, "su-1"),
                  status=404)
    await api.handle(applied["workflow"]).terminate("scenario over")


# --- helpers -----------------------------------------------------------------------------------


async def _measure(api: Api, who: dict[str, str], quarter: str, key: str) -> dict[str, Any]:
    card = await api.get(f"/scorecard/{quarter}", who)
    [found] = [m for m in card["measures"] if m["key"] == key]
    return found  # type: ignore[no-any-return]


def _quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


async def _async(value: Any) -> Any:
    return value


async def _deadline(handle: Any, name: str, due: date | None) -> bool:
    """Whether the arrangement's process waits on deadline `name` (due on `due`)."""
    return any(d.name == name and (due is None or d.due == due)
               for d in await handle.query(Arrangement.deadlines))


async def _running(handle: Any) -> bool:
    try:
        await handle.describe()
    except RPCError:  # not started yet
        return False
    return True


async def _closed(handle: Any) -> bool:
    from temporalio.client import WorkflowExecutionStatus

    return (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
