"""The read models as GETs: read-after-write, pagination and filters, visibility, and views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from domain.accounts import Role
from domain.application import Assured
from domain.case_commands import OpenCase
from domain.safeguarder_commands import (
    ApplyToPanel,
    Appoint,
    Contact,
    RecordAssessment,
    RecordInterview,
)
from tests.api.conftest import views_of
from tests.api.dataset import CONTACT, NOW, Known, seed

Headers = Callable[..., dict[str, str]]


@pytest.fixture
def known(app: Assured) -> dict[str, Known]:
    """The shared data set, and a Safeguarder in the East appointed long ago and never
    allocated (so overdue), and a child-in-need case of pr-1 opened long ago (so overdue)."""
    records = seed(app)
    by, long_ago = "setup", NOW - timedelta(days=400)
    late = app.apply_to_panel(ApplyToPanel(name="Lee Late", contact=Contact(phone=CONTACT),
                                           region="East", by=by, at=long_ago)).record
    app.record_interview(RecordInterview(record_id=late.id, passed=True, notes="clear", by=by,
                                         at=long_ago + timedelta(minutes=1)))
    app.record_assessment(RecordAssessment(record_id=late.id, passed=True, notes="clear", by=by,
                                           at=long_ago + timedelta(minutes=2)))
    app.appoint(Appoint(record_id=late.id, term_starts_on=long_ago.date(), by=by,
                        at=long_ago + timedelta(minutes=3)))
    old_case = app.open_case(OpenCase(child_reference="C-0007", agency="Police",
                                      practitioner="pr-1", supervisor="su-1",
                                      legal_status="child_in_need", risk="high", nation="ENG",
                                      by=by, at=long_ago)).record
    records["late"] = Known("late", late.id, records["safeguarder (East, allocated to sm-east)"]
                            .facts)
    records["old case"] = Known("old case", old_case.id, records["case (pr-1/su-1, in no audit)"]
                                .facts)
    return records


def _ids(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [row["id"] for row in answer.json()["items"]]


def test_a_read_after_a_write_shows_it(client: TestClient, headers: Headers,
                                       app: Assured) -> None:
    admin = headers(Role.PANEL_ADMIN)
    made = client.post("/safeguarders", json={"name": "Ada Newcombe", "contact": {"phone": "1"},
                                              "region": "North"}, headers=admin).json()
    listed = client.get("/safeguarders", params={"after": made["notification_id"]},
                        headers=admin)
    assert listed.status_code == 200, listed.text
    [row] = [r for r in listed.json()["items"] if r["id"] == made["id"]]
    assert row == {"id": made["id"], "name": "Ada Newcombe", "region": "North",
                   "status": row["status"], "support_manager": None}
    noted = client.post(f"/safeguarders/{made['id']}/record-performance-evidence",
                        json={"standard": "Standard 2", "evidence": "clear report"},
                        headers=admin).json()
    file = client.get(f"/safeguarders/{made['id']}/file",
                      params={"after": noted["notification_id"]}, headers=admin)
    assert file.status_code == 200, file.text
    body = file.json()
    assert body["details"]["name"] == "Ada Newcombe" and body["details"]["contact"] == {
        "phone": "1"}
    assert [e["evidence"] for e in body["sections"]["evidence"]] == ["clear report"]
    assert len(views_of(app, made["id"])) == 1
    # The auditor reads the file too, without the contact details; that read is recorded.
    audited = client.get(f"/safeguarders/{made['id']}/file", headers=headers(Role.AUDITOR))
    assert audited.status_code == 200 and "contact" not in audited.json()["details"]
    assert len(views_of(app, made["id"])) == 2


def test_safeguarders_are_paginated_and_filtered(client: TestClient, headers: Headers,
                                                 known: dict[str, Known]) -> None:
    admin = headers(Role.PANEL_ADMIN)
    east = str(known["safeguarder (East, allocated to sm-east)"].id)
    west = str(known["safeguarder (West, unallocated)"].id)
    late = str(known["late"].id)
    everyone = client.get("/safeguarders", headers=admin)
    assert everyone.json()["total"] == 3 and set(_ids(everyone)) == {east, west, late}
    pages = [_ids(client.get("/safeguarders", params={"limit": 2, "offset": o}, headers=admin))
             for o in (0, 2)]
    assert [len(p) for p in pages] == [2, 1] and set(pages[0] + pages[1]) == {east, west, late}
    assert set(_ids(client.get("/safeguarders", params={"region": "East"},
                               headers=admin))) == {east, late}
    assert _ids(client.get("/safeguarders", params={"support_manager": "sm-east"},
                           headers=admin)) == [east]
    assert _ids(client.get("/safeguarders", params={"status": "applicant"},
                           headers=admin)) == [west]
    assert _ids(client.get("/safeguarders", params={"overdue": True}, headers=admin)) == [late]
    assert set(_ids(client.get("/safeguarders", params={"overdue": False},
                               headers=admin))) == {east, west}
    assert client.get("/safeguarders", params={"limit": 201}, headers=admin).status_code == 422


def test_a_support_manager_sees_only_their_region(client: TestClient, headers: Headers,
                                                  known: dict[str, Known]) -> None:
    east = str(known["safeguarder (East, allocated to sm-east)"].id)
    west = known["safeguarder (West, unallocated)"].id
    sm_east = headers(Role.SUPPORT_MANAGER, "sm-east", "East")
    assert set(_ids(client.get("/safeguarders", headers=sm_east))) == {east, str(known["late"].id)}
    assert client.get(f"/safeguarders/{west}/file", headers=sm_east).status_code == 404
    assert client.get("/safeguarders", headers=headers(Role.PRACTITIONER)).status_code == 403
    assert client.get("/safeguarders", headers=headers(Role.OPS)).status_code == 403
    caseload = client.get("/support-managers/sm-east/caseload", headers=sm_east)
    assert caseload.status_code == 200, caseload.text
    assert [e["safeguarder_id"] for e in caseload.json()] == [east]
    assert caseload.json()[0]["name"] == "Sam Eastwood"
    sm_west = headers(Role.SUPPORT_MANAGER, "sm-west", "West")
    assert client.get("/support-managers/sm-east/caseload", headers=sm_west).status_code == 403
    assert client.get("/support-managers/sm-east/caseload",
                      headers=headers(Role.AUDITOR)).status_code == 200


def test_the_evidence_pack_is_read_and_recorded(client: TestClient, headers: Headers,
                                                known: dict[str, Known], app: Assured) -> None:
    east = known["safeguarder (East, allocated to sm-east)"].id
    pack = client.get(f"/safeguarders/{east}/evidence-pack", headers=headers(Role.PANEL_ADMIN))
    assert pack.status_code == 200, pack.text
    assert pack.json()["name"] == "Sam Eastwood" and pack.json()["years"][0]["year"] == 1
    assert len(views_of(app, east)) == 1
    unappointed = known["safeguarder (West, unallocated)"].id
    empty = client.get(f"/safeguarders/{unappointed}/evidence-pack",
                       headers=headers(Role.PANEL_ADMIN))
    assert empty.status_code == 200 and empty.json()["years"] == []


def test_cases_are_visible_to_their_own_people_only(client: TestClient, headers: Headers,
                                                    known: dict[str, Known],
                                                    app: Assured) -> None:
    named = str(known["case (pr-1/su-1, selected by an audit)"].id)
    other = str(known["case (pr-1/su-1, in no audit)"].id)
    old = str(known["old case"].id)
    mine = headers(Role.PRACTITIONER, "pr-1")
    assert set(_ids(client.get("/cases", headers=mine))) == {named, other, old}
    assert _ids(client.get("/cases", headers=headers(Role.PRACTITIONER, "pr-2"))) == []
    assert _ids(client.get("/cases", headers=headers(Role.PRACTICE_REVIEW_MEMBER))) == [named]
    assert client.get("/cases", headers=headers(Role.PANEL_ADMIN)).status_code == 403
    assert _ids(client.get("/cases", params={"overdue": True}, headers=mine)) == [old]
    assert old not in _ids(client.get("/cases", params={"overdue": False}, headers=mine))
    assert _ids(client.get("/cases", params={"status": "looked_after"}, headers=mine)) == []
    assert len(_ids(client.get("/cases", params={"status": "child_in_need", "limit": 1,
                                                 "offset": 1}, headers=mine))) == 1

    chronology = client.get(f"/cases/{old}/chronology", headers=mine)
    assert chronology.status_code == 200, chronology.text
    assert chronology.json()[0]["event_type"] == "Opened"
    assert client.get(f"/cases/{old}/rag-trend", headers=mine).json() == []
    assert len(views_of(app, old)) == 2
    stranger = headers(Role.PRACTITIONER, "pr-2")
    assert client.get(f"/cases/{old}/chronology", headers=stranger).status_code == 404
    assert client.get(f"/cases/{old}/rag-trend", headers=stranger).status_code == 404
    assert len(views_of(app, old)) == 2


def test_supervision_lists_register_and_scorecard_are_for_reviewers(
    client: TestClient, headers: Headers, known: dict[str, Known]
) -> None:
    old = str(known["old case"].id)
    auditor, member = headers(Role.AUDITOR), headers(Role.PRACTICE_REVIEW_MEMBER)
    overdue = client.get("/supervision/children-in-need-overdue", headers=auditor)
    assert overdue.status_code == 200, overdue.text
    assert old in [o["case_id"] for o in overdue.json()]
    for path in ("/supervision/drift", "/supervision/overdue-actions", "/register",
                 "/scorecard/2026Q3"):
        assert client.get(path, headers=member).status_code == 200, path
        assert client.get(path, headers=headers(Role.OPS)).status_code == 403, path
    for path in ("/register", "/scorecard/2026Q3"):
        assert client.get(path, headers=headers(Role.PRACTITIONER)).status_code == 403, path
    register = client.get("/register", params={"start": (NOW - timedelta(days=60)).date()
                                               .isoformat(), "end": NOW.date().isoformat()},
                          headers=auditor)
    assert register.status_code == 200, register.text
    assert "PR-2026-01" in [e["reference"] for e in register.json()]
    assert len(register.json()) == 2  # the review and the audit
    card = client.get("/scorecard/2026Q3", headers=auditor).json()
    assert card["quarter"] == "2026Q3" and card["measures"]
    assert client.get("/scorecard/2026Q5", headers=auditor).status_code == 422


def test_practitioners_and_supervisors_read_their_own_cases_in_the_supervision_lists(
    client: TestClient, headers: Headers, known: dict[str, Known]
) -> None:
    old = str(known["old case"].id)
    for role, own, other in ((Role.PRACTITIONER, "pr-1", "pr-2"),
                             (Role.SUPERVISOR, "su-1", "su-2")):
        mine = client.get("/supervision/children-in-need-overdue", headers=headers(role, own))
        assert mine.status_code == 200, mine.text
        assert old in [o["case_id"] for o in mine.json()]
        theirs = client.get("/supervision/children-in-need-overdue",
                            headers=headers(role, other))
        assert theirs.status_code == 200 and theirs.json() == []
        for path in ("/supervision/drift", "/supervision/overdue-actions"):
            assert client.get(path, headers=headers(role, other)).json() in ([], {}), path
