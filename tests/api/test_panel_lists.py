"""Finding the panel's small records over HTTP: regions, group sessions and mentors listed, so
nobody computes an id by hand; each list read in the access log; who may list them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from domain.accounts import Role, list_id
from domain.application import Assured
from domain.safeguarder_commands import (
    ApplyToPanel,
    Appoint,
    Contact,
    RecordAssessment,
    RecordInterview,
)
from tests.api.conftest import views_of

Headers = Callable[..., dict[str, str]]
AT = "2025-03-03T10:00:00+00:00"  # a past morning: every fact is dated by the person


def _ok(answer: Any, status: int = 200) -> Any:
    assert answer.status_code == status, answer.text
    return answer.json()


def test_a_panel_admin_finds_a_region_by_listing_them_and_adds_its_manager(
        client: TestClient, headers: Headers, app: Assured) -> None:
    admin = headers(Role.PANEL_ADMIN, "pa-1")
    for region in ("West", "East", "North"):
        _ok(client.post("/regions", json={"region": region, "at": AT}, headers=admin), 201)
    regions = _ok(client.get("/regions", headers=admin))
    assert [r["region"] for r in regions] == ["East", "North", "West"]
    east = next(r for r in regions if r["region"] == "East")
    assert east["support_managers"] == []
    added = _ok(client.post(f"/regions/{east['id']}/add-support-manager",
                            json={"manager": "sm-east", "at": AT}, headers=admin))
    _ok(client.post(f"/regions/{east['id']}/add-support-manager",
                    json={"manager": "sm-2", "at": AT}, headers=admin))
    removed = _ok(client.post(f"/regions/{east['id']}/remove-support-manager",
                              json={"manager": "sm-2", "reason": "moved to the West",
                                    "at": AT}, headers=admin))
    assert added["id"] == east["id"]
    again = _ok(client.get("/regions", params={"after": removed["notification_id"]},
                           headers=admin))
    assert next(r for r in again if r["region"] == "East")["support_managers"] == ["sm-east"]
    # A support manager and the auditor read the same list; the read of each is on record.
    auditor = headers(Role.AUDITOR, "au-1")
    assert _ok(client.get("/regions", headers=auditor)) == again
    _ok(client.get("/regions", headers=headers(Role.SUPPORT_MANAGER, "sm-east", "East")))
    readers = [v.actor for v in views_of(app, list_id("/regions"))]  # type: ignore[attr-defined]
    assert readers == ["pa-1", "pa-1", "au-1", "sm-east"]
    assert all(v.route == "/regions"  # type: ignore[attr-defined]
               for v in views_of(app, list_id("/regions")))


def _appointed(app: Assured, name: str) -> str:
    by, on = "setup", datetime(2025, 3, 4, 9, tzinfo=UTC)
    made = app.apply_to_panel(ApplyToPanel(name=name, contact=Contact(phone="0131 496 0000"),
                                           region="East", by=by, at=on)).record
    app.record_interview(RecordInterview(record_id=made.id, passed=True, notes="clear", by=by,
                                         at=on))
    app.record_assessment(RecordAssessment(record_id=made.id, passed=True, notes="clear", by=by,
                                           at=on))
    app.appoint(Appoint(record_id=made.id, term_starts_on=on.date(), by=by, at=on))
    return str(made.id)


def test_group_sessions_are_listed_with_attendance_and_filtered_by_facilitator_and_date(
        client: TestClient, headers: Headers, app: Assured) -> None:
    admin = headers(Role.PANEL_ADMIN, "pa-1")
    manager = headers(Role.SUPPORT_MANAGER, "sm-east", "East")
    spring = _ok(client.post("/group-sessions", json={
        "session_ref": "GS-2025-SPRING", "facilitator": "sm-east", "held_on": "2025-04-10",
        "at": AT}, headers=manager), 201)
    _ok(client.post("/group-sessions", json={
        "session_ref": "GS-2025-AUTUMN <b>", "facilitator": "sm-west", "held_on": "2025-10-02",
        "at": AT}, headers=admin), 201)
    sid = _appointed(app, "Ailsa O'Neill")  # no worker runs here: set up without its process
    attended = _ok(client.post(f"/safeguarders/{sid}/attend-group-session",
                               json={"session_id": spring["id"],
                                     "at": "2025-04-10T15:00:00+00:00"}, headers=admin))

    listed = _ok(client.get("/group-sessions", params={"after": attended["notification_id"]},
                            headers=manager))
    assert listed["total"] == 2
    assert [(s["session_ref"], s["facilitator"], s["held_on"], s["attendees"])
            for s in listed["items"]] == [
        ("GS-2025-SPRING", "sm-east", "2025-04-10", 1),
        ("GS-2025-AUTUMN <b>", "sm-west", "2025-10-02", 0)]
    assert listed["items"][0]["id"] == spring["id"]
    theirs = _ok(client.get("/group-sessions", params={"facilitator": "sm-east"},
                            headers=manager))
    assert [s["session_ref"] for s in theirs["items"]] == ["GS-2025-SPRING"]
    autumn = _ok(client.get("/group-sessions", params={"start": "2025-06-01",
                                                       "end": "2025-12-31"}, headers=admin))
    assert [s["session_ref"] for s in autumn["items"]] == ["GS-2025-AUTUMN <b>"]
    paged = _ok(client.get("/group-sessions", params={"limit": 1, "offset": 1},
                           headers=admin))
    assert (paged["total"], len(paged["items"])) == (2, 1)
    assert len(views_of(app, list_id("/group-sessions"))) == 4


def test_mentors_are_listed_by_stage_so_a_coordinator_finds_whom_to_assign(
        client: TestClient, headers: Headers, app: Assured) -> None:
    coordinator = headers(Role.MENTORING_COORDINATOR, "mc-1")
    names = ("Morag Mentor", "Ruairidh Ross", "Zoë <script>alert(1)</script>")
    made = [_ok(client.post("/mentors", json={"name": name, "at": f"2025-01-0{day}T09:00:00Z"},
                            headers=coordinator), 201)["id"]
            for day, name in enumerate(names, start=1)]
    done = None
    for verb in ("record-training", "accredit"):
        done = _ok(client.post(f"/mentors/{made[0]}/{verb}", json={"at": AT},
                               headers=coordinator))
    done = _ok(client.post(f"/mentors/{made[1]}/withdraw",
                           json={"reason": "moved away", "at": AT}, headers=coordinator))
    everyone = _ok(client.get("/mentors", params={"after": done["notification_id"]},
                              headers=coordinator))
    assert [(m["id"], m["stage"]) for m in everyone["items"]] == [
        (made[0], "accredited"), (made[1], "withdrawn"), (made[2], "recruited")]
    assert [m["name"] for m in everyone["items"]] == list(names)
    accredited = _ok(client.get("/mentors", params={"stage": "accredited"},
                                headers=headers(Role.AUDITOR, "au-1")))
    assert [m["id"] for m in accredited["items"]] == [made[0]]
    unknown = client.get("/mentors", params={"stage": "retired"}, headers=coordinator)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "stage"
    assert [v.actor for v in views_of(app, list_id("/mentors"))] == [  # type: ignore[attr-defined]
        "mc-1", "au-1"]


def test_people_outside_the_panel_may_not_list_its_records(
        client: TestClient, headers: Headers, app: Assured) -> None:
    for role in (Role.PRACTITIONER, Role.SUPERVISOR, Role.PRACTICE_REVIEW_MEMBER, Role.OPS):
        for path in ("/regions", "/group-sessions", "/mentors"):
            answer = client.get(path, headers=headers(role))
            assert answer.status_code == 403, (role, path, answer.text)
            assert answer.json()["detail"].endswith(f"may not read the list of {path[1:]}"
                                                    .replace("-", " ") + ".")
    assert views_of(app, list_id("/regions")) == []
