"""Case chronology and supervision compliance, read from the tables the runner builds."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
import pytest
from psycopg import sql

from domain.application import Assured
from domain.audit_commands import PlanAudit, SelectCasesAtRandom
from domain.case import Case
from domain.case_commands import (
    AgreedAction,
    CloseCase,
    CompleteAction,
    EscalateDisagreement,
    MarkActionOverdue,
    OpenCase,
    RaiseCaseConcern,
    RaiseDisagreement,
    RecordDiscussion,
    SignDiscussion,
)
from domain.case_values import LegalStatus, Rag
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import ApplyToPanel
from projections.case_supervision import (
    CaseSupervision,
    children_in_need_overdue,
    chronology,
    drift_list,
    overdue_actions_by_owner,
    rag_trend,
)
from projections.runner import Runner
from tests.commands import Commands
from tests.projections.conftest import read_tables
from tests.refusals import at

SUPERVISOR, PRACTITIONER = "dsl-1", "teacher-1"
CHILD = "CH-CANARY-7731"
NEEDS = "Needs-canary: lives with grandmother"

cmd = Commands(by=SUPERVISOR)


def day(n: int) -> date:
    return at(n).date()


def open_case(legal_status: LegalStatus = LegalStatus.CHILD_IN_NEED, **changes: Any) -> Case:
    fields: dict[str, Any] = {
        "child_reference": CHILD, "agency": "school", "practitioner": PRACTITIONER,
        "supervisor": SUPERVISOR, "legal_status": legal_status, "risk": "medium",
        "nation": "ENG", "by": SUPERVISOR, "at": at(0)}
    return Case.open(OpenCase(**(fields | changes)))


def discuss(case: Case, n: int, on_day: int, rag: Rag = Rag.A,
            actions: list[AgreedAction] | None = None) -> None:
    case.record_discussion(cmd(
        RecordDiscussion, case, discussion_id=f"d{n}", supervisor=case.supervisor,
        supervisee=PRACTITIONER, needs=NEEDS, risks="Risk-canary", engagement="engages",
        capacity_for_change="some", plan="plan", rag=rag, actions=actions or [],
        next_discussion_on=day(on_day + 30), by=case.supervisor, at=at(on_day)))


def action(action_id: str, owner: str, due_day: int) -> AgreedAction:
    return AgreedAction(action_id=action_id, description="Visit-canary", owner=owner,
                        due=day(due_day))


def close(case: Case, reason: str, on_day: int) -> None:
    case.close(cmd(CloseCase, case, reason=reason, at=at(on_day)))


@pytest.fixture
def project(app: Assured, database_url: str):  # type: ignore[no-untyped-def]
    """Record the given records, catch the projection up, and return a connection to read."""
    runner = Runner(app, [CaseSupervision()])
    connections: list[psycopg.Connection[Any]] = []

    def record_and_read(*records: Any) -> psycopg.Connection[Any]:
        for record in records:
            app.record(record)
        runner.catch_up(CaseSupervision())
        connections.append(psycopg.connect(database_url, autocommit=True))
        return connections[-1]

    yield record_and_read
    for connection in connections:
        connection.close()


def test_the_chronology_lists_every_event_of_a_case_with_no_child_reference_or_free_text(
    project: Any,
) -> None:
    case = open_case()
    discuss(case, 1, 5, actions=[action("a1", PRACTITIONER, 10)])
    case.sign_discussion(cmd(SignDiscussion, case, discussion_id="d1", party=SUPERVISOR,
                             at=at(5)))
    case.raise_concern(cmd(RaiseCaseConcern, case, concern_id="c1",
                           summary="Concern-canary: bruising", by=PRACTITIONER, at=at(6)))
    close(case, "Closure-canary reason", 7)
    conn = project(case)

    entries = chronology(conn, case.id)
    assert [e.version for e in entries] == list(range(1, case.version + 1))
    assert [e.event_type for e in entries] == [
        "Opened", "DiscussionRecorded", "DiscussionSigned", "ConcernRaised", "Closed"]
    assert entries[1].summary == ("Supervision discussion d1 held by dsl-1 with teacher-1: RAG A, "
                                  f"1 action(s) agreed, next discussion on {day(35)}")
    assert entries[0].occurred == at(0) and entries[0].actor == SUPERVISOR
    everything = repr(read_tables(conn, "case_supervision"))
    assert "canary" not in everything.lower()


def test_a_child_in_need_is_overdue_once_three_months_pass_without_a_discussion(
    project: Any,
) -> None:
    discussed, late = open_case(), open_case()
    discuss(discussed, 1, 10)  # 15 January
    discuss(late, 1, 105)  # 20 April
    protection = open_case(LegalStatus.CHILD_PROTECTION)
    closed = open_case()
    close(closed, "moved away", 20)
    conn = project(discussed, late, protection, closed)

    # Until its discussion, `late` ran from its opening on 5 January: due by 5 April.
    [waiting] = children_in_need_overdue(conn, date(2026, 4, 15))
    assert (waiting.case_id, waiting.since, waiting.due) == (late.id, day(0), date(2026, 4, 5))
    overdue = {o.case_id: o for o in children_in_need_overdue(conn, date(2026, 4, 16))}
    assert set(overdue) == {discussed.id, late.id}
    assert (overdue[discussed.id].since, overdue[discussed.id].due) == (
        day(10), date(2026, 4, 15))
    assert [o.case_id for o in children_in_need_overdue(conn, date(2026, 4, 20))] == [
        discussed.id]


def test_the_rag_trend_follows_the_discussions_in_the_order_they_were_held(
    project: Any,
) -> None:
    case = open_case()
    for n, rag in enumerate((Rag.R, Rag.A, Rag.G), start=1):
        discuss(case, n, 10 * n, rag)
    conn = project(case)
    assert [(p.discussion_id, p.rag) for p in rag_trend(conn, case.id)] == [
        ("d1", "R"), ("d2", "A"), ("d3", "G")]


def test_the_drift_list_holds_the_open_cases_drifting_on_the_day_asked(project: Any) -> None:
    improving, same_twice, worse, undiscussed, closed = (open_case() for _ in range(5))
    for case, rags in ((improving, "AG"), (same_twice, "GAA"), (worse, "GR"), (closed, "R")):
        for n, rag in enumerate(rags, start=1):
            discuss(case, n, 10 * n, Rag(rag))
    close(closed, "moved away", 40)
    conn = project(improving, same_twice, worse, undiscussed, closed)

    drifting = {d.case_id: d for d in drift_list(conn, day(45))}
    assert set(drifting) == {same_twice.id, worse.id}
    assert drifting[same_twice.id].reasons == same_twice.drift_reasons(day(45))
    assert drifting[worse.id].latest_rag == "R"
    # Three months on, a child in need never discussed drifts too (and so has every other).
    later = {d.case_id: d for d in drift_list(conn, day(100))}
    assert undiscussed.id in later
    assert later[undiscussed.id].reasons == undiscussed.drift_reasons(day(100))


def test_overdue_actions_are_listed_by_owner_as_of_a_date(project: Any) -> None:
    case = open_case()
    discuss(case, 1, 1, actions=[action("a1", "pat", 10), action("a2", "pat", 20),
                                 action("a3", "sam", 15)])
    case.complete_action(cmd(CompleteAction, case, action_id="a1", by="pat", at=at(12)))
    case.mark_action_overdue(cmd(MarkActionOverdue, case, action_id="a3", on=day(16),
                                 at=at(16)))
    conn = project(case)

    on_day_11 = overdue_actions_by_owner(conn, day(11))
    assert {owner: [a.action_id for a in actions] for owner, actions in on_day_11.items()} == {
        "pat": ["a1"]}  # due on day 10 and completed only on day 12
    on_day_30 = overdue_actions_by_owner(conn, day(30))
    assert {owner: [a.action_id for a in actions] for owner, actions in on_day_30.items()} == {
        "pat": ["a2"], "sam": ["a3"]}
    assert on_day_30["sam"][0].status == "overdue"


def test_process_steps_of_other_records_stay_out_of_the_case_chronology(
    project: Any, app: Assured
) -> None:
    case = open_case()
    case.record_process_step("r1", "supervision", "reminder sent", {}, by="process:x", at=at(1))
    safeguarder = Safeguarder.apply_to_panel(ApplyToPanel(name="Alex", region="East",
                                                          by="lead", at=at(0)))
    safeguarder.record_process_step("r1", "appointment", "reminder sent", {}, by="process:y",
                                    at=at(1))
    conn = project(case, safeguarder)
    assert [e.summary for e in chronology(conn, case.id)][-1] == (
        "Process supervision: reminder sent")
    count = conn.execute(sql.SQL("SELECT count(*) FROM case_chronology WHERE case_id = %s"),
                         (safeguarder.id,)).fetchone()
    assert count == (0,)


def test_an_escalated_disagreement_and_an_audits_selection_are_in_the_chronology(
    project: Any, app: Assured
) -> None:
    case = open_case()
    case.raise_disagreement(cmd(RaiseDisagreement, case, disagreement_id="g1",
                                between=["school", "social care"], summary="Threshold",
                                at=at(3)))
    case.escalate_disagreement(cmd(EscalateDisagreement, case, disagreement_id="g1",
                                   reason="No agreement", at=at(4)))
    app.record(case)
    audit = app.plan_audit(PlanAudit(
        reference="A-chronology", theme="Supervision of children in need",
        dimension="multi_agency", audit_type="multi_agency_practice", year=2026,
        agencies=["school"], sample_size=1, returns_due=day(40), by="auditor", at=at(5))).record
    app.select_cases_at_random(SelectCasesAtRandom(record_id=audit.id, population=[str(case.id)],
                                                   seed=1, by="auditor", at=at(6)))
    conn = project()

    assert [e.summary for e in chronology(conn, case.id)][-2:] == [
        "Professional disagreement g1 escalated to stage 2 (manager)",
        f"Selected for audit {audit.id}"]
    assert conn.execute("SELECT audits FROM case_state WHERE case_id = %s",
                        (case.id,)).fetchone() == (1,)
