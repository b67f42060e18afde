"""A replacement supervisor sees the previous six months of supervision records (seed 002).

The issue's words: "Supervisor: cases they supervise (a replacement supervisor sees the previous
six months of supervision records)". So after a change of supervisor, the new supervisor reads
the discussions of the six months before the change (and everything since), not older ones;
the former supervisor no longer sees the case at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from domain.accounts import Role
from domain.application import Assured
from domain.case import Case

NOW = datetime.now(UTC)
OLD, RECENT = "needs-recorded-ten-months-ago", "needs-recorded-two-months-ago"


def _discussion(case: Case, discussion_id: str, needs: str, at: datetime) -> None:
    case.record_discussion(discussion_id, supervisor="su-1", supervisee="pr-1", needs=needs,
                           risks="r", engagement="e", capacity_for_change="c", plan="p",
                           rag="A", actions=[], next_discussion_on=(at + timedelta(days=20)).date(),
                           by="su-1", at=at)


def _replaced(app: Assured) -> Case:
    case = Case.open(child_reference="C-7001", agency="Health", practitioner="pr-1",
                     supervisor="su-1", legal_status="early_help", risk="medium", nation="ENG",
                     by="pr-1", at=NOW - timedelta(days=400))
    _discussion(case, "d-old", OLD, NOW - timedelta(days=300))
    _discussion(case, "d-recent", RECENT, NOW - timedelta(days=60))
    case.change_supervisor("su-2", "su-1 moved team", by="pr-1", at=NOW - timedelta(days=1))
    app.record(case)
    return case


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
