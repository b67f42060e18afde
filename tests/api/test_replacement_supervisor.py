"""A replacement supervisor sees the previous six months of supervision records (seed 002).

The issue's words: "Supervisor: cases they supervise (a replacement supervisor sees the previous
six months of supervision records)". So after a change of supervisor, the new supervisor reads
the discussions of the six months before the change (and everything since), not older ones;
the former supervisor no longer sees the case at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from fastapi.testclient import TestClient

from domain.accounts import Role
from domain.application import Assured
from domain.case import Case
from domain.arrangement_commands import (
    ChangeArrangementSupervisor,
    MakeArrangement,
    MarkConfidentiality,
    RecordSupervisionSession,
    SessionAgenda,
)
from domain.case_commands import AgreedAction, ChangeSupervisor, OpenCase, RecordDiscussion

NOW = datetime.now(UTC)
OLD, RECENT = "needs-recorded-ten-months-ago", "needs-recorded-two-months-ago"


def _discussion(app: Assured, case_id: UUID, discussion_id: str, needs: str,
                at: datetime, *actions: AgreedAction) -> None:
    app.record_discussion(RecordDiscussion(
        record_id=case_id, discussion_id=discussion_id, supervisor="su-1", supervisee="pr-1",
        needs=needs, risks="r", engagement="e", capacity_for_change="c", plan="p", rag="A",
        actions=actions, next_discussion_on=(at + timedelta(days=20)).date(), by="su-1",
        at=at))


def _action(action_id: str, due: datetime) -> AgreedAction:
    return AgreedAction(action_id=action_id, description="Visit the school", owner="pr-1",
                        due=due.date())


def _replaced(app: Assured, child: str = "C-7001", with_actions: bool = False) -> Case:
    case_id = app.open_case(OpenCase(
        child_reference=child, agency="Health", practitioner="pr-1", supervisor="su-1",
        legal_status="early_help", risk="medium", nation="ENG", by="pr-1",
        at=NOW - timedelta(days=400))).aggregate_id
    old, recent = NOW - timedelta(days=300), NOW - timedelta(days=60)
    _discussion(app, case_id, "d-old", OLD, old,
                *([_action("a-old", old + timedelta(days=10))] if with_actions else []))
    _discussion(app, case_id, "d-recent", RECENT, recent,
                *([_action("a-recent", recent + timedelta(days=10))] if with_actions else []))
    app.change_supervisor(ChangeSupervisor(record_id=case_id, new_supervisor="su-2",
                                           reason="su-1 moved team", by="pr-1",
                                           at=NOW - timedelta(days=1)))
    return app.load(case_id, Case)


def test_the_new_supervisor_reads_only_the_last_six_months(
    client: TestClient, headers: Callable[..., dict[str, str]], app: Assured
) -> None:
    case = _replaced(app)
    new = headers(Role.SUPERVISOR, "su-2")
    read = client.get(f"/cases/{case.id}", headers=new)
    assert read.status_code == 200, read.text
    assert RECENT in read.text
    assert OLD not in read.text, "a discussion ten months before the change was shown"


def test_the_new_supervisors_replay_stops_at_six_months_too(
    client: TestClient, headers: Callable[..., dict[str, str]], app: Assured
) -> None:
    case = _replaced(app)
    replay = client.get(f"/history/case/{case.id}", headers=headers(Role.SUPERVISOR, "su-2"))
    assert replay.status_code == 200, replay.text
    assert RECENT in replay.text
    assert OLD not in replay.text, "the replay showed a discussion ten months before the change"


def test_the_former_supervisor_no_longer_sees_the_case(
    client: TestClient, headers: Callable[..., dict[str, str]], app: Assured
) -> None:
    case = _replaced(app)
    assert client.get(f"/cases/{case.id}",
                      headers=headers(Role.SUPERVISOR, "su-1")).status_code == 404
    # The practitioner and the auditor still see all of it.
    for who in (headers(Role.PRACTITIONER, "pr-1"), headers(Role.AUDITOR, "au-1")):
        whole = client.get(f"/cases/{case.id}", headers=who)
        assert whole.status_code == 200 and OLD in whole.text and RECENT in whole.text


def test_the_new_supervisors_overdue_actions_are_those_of_the_last_six_months(
    client: TestClient, headers: Callable[..., dict[str, str]], app: Assured
) -> None:
    """The list asks the same predicate as the case: an action agreed before the window stays
    out of the new supervisor's list, as its discussion stays out of the case."""
    case = _replaced(app, "C-7002", with_actions=True)

    def listed(*who: str) -> set[str]:
        found = client.get("/supervision/overdue-actions", headers=headers(*who))
        assert found.status_code == 200, found.text
        return {a["action_id"] for actions in found.json().values() for a in actions
                if a["case_id"] == str(case.id)}

    assert listed(Role.SUPERVISOR, "su-2") == {"a-recent"}
    assert listed(Role.PRACTITIONER, "pr-1") == {"a-old", "a-recent"}
    assert listed(Role.AUDITOR, "au-1") == {"a-old", "a-recent"}
    assert listed(Role.SUPERVISOR, "su-1") == set()


# --- the same rule for a supervision arrangement (issue 12) ------------------------------------

OLD_TRENDS, RECENT_TRENDS = "trends-recorded-ten-months-ago", "trends-recorded-two-months-ago"


def _session(app: Assured, arrangement_id: UUID, session_id: str, trends: str,
             at: datetime) -> None:
    app.record_supervision_session(RecordSupervisionSession(
        record_id=arrangement_id, session_id=session_id, agenda=SessionAgenda(
            attendees=("su-1", "pr-1"), matters_arising="m", successes="s", frustrations=(),
            concerns_to_escalate=(), trends=trends, training="t"),
        next_session_on=(at + timedelta(days=30)).date(), by="su-1", at=at))


def _arrangement_replaced(app: Assured) -> UUID:
    arrangement_id = app.make_arrangement(MakeArrangement(
        supervisor="su-1", supervisee="pr-1", agency="Health", contact="indirect",
        frequency="quarterly", duration_minutes=60, supervisor_responsibilities="Notes",
        supervisee_responsibilities="Cases", changes_notice="A week", agenda_setting="At start",
        workload_escalation="Line manager", differences_of_opinion="In the session",
        line_manager="lm-1", safeguarding_lead="dsl-1", supervisee_started_on=date(2019, 9, 1),
        review_on=(NOW + timedelta(days=100)).date(), nation="ENG", by="su-1",
        at=NOW - timedelta(days=400))).aggregate_id
    _session(app, arrangement_id, "S-old", OLD_TRENDS, NOW - timedelta(days=300))
    app.mark_confidentiality(MarkConfidentiality(
        record_id=arrangement_id, marking_id="M-old", session_id="S-old",
        level="may_need_reporting", issue="old-marking-issue", by="su-1",
        at=NOW - timedelta(days=300)))
    _session(app, arrangement_id, "S-recent", RECENT_TRENDS, NOW - timedelta(days=60))
    app.change_arrangement_supervisor(ChangeArrangementSupervisor(
        record_id=arrangement_id, new_supervisor="su-2", reason="su-1 moved team", by="pr-1",
        at=NOW - timedelta(days=1)))
    return arrangement_id


def test_a_replacement_supervisor_reads_six_months_of_an_arrangements_sessions(
    client: TestClient, headers: Callable[..., dict[str, str]], app: Assured
) -> None:
    arrangement_id = _arrangement_replaced(app)
    new = headers(Role.SUPERVISOR, "su-2")
    for path in (f"/arrangements/{arrangement_id}", f"/history/arrangement/{arrangement_id}"):
        read = client.get(path, headers=new)
        assert read.status_code == 200, read.text
        assert RECENT_TRENDS in read.text, path
        assert OLD_TRENDS not in read.text, f"{path} showed a session ten months old"
        assert "old-marking-issue" not in read.text, f"{path} showed an old session's marking"
    # The supervisee, whose own record it is, and the auditor see all of it.
    for who in (headers(Role.PRACTITIONER, "pr-1"), headers(Role.AUDITOR, "au-1")):
        whole = client.get(f"/arrangements/{arrangement_id}", headers=who)
        assert whole.status_code == 200 and OLD_TRENDS in whole.text
    assert client.get(f"/arrangements/{arrangement_id}",
                      headers=headers(Role.SUPERVISOR, "su-1")).status_code == 404
