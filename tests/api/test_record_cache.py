"""Through HTTP, an API process whose cached record is behind what another process recorded:
the command is decided on the record as stored, never refused or lost on the stale copy."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from domain.accounts import Role
from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk
from infra.settings import Settings
from tests.integration.test_store import open_case
from tests.refusals import at


@pytest.fixture
def api_process(make_app) -> Assured:  # type: ignore[no-untyped-def]
    return make_app(cache_size=100)


@pytest.fixture
def cached_client(settings: Settings, api_process: Assured) -> Iterator[TestClient]:
    with TestClient(create_app(settings, api_process), raise_server_exceptions=False) as client:
        yield client


def test_a_command_refused_on_a_stale_copy_is_decided_on_the_stored_record(
        cached_client: TestClient, api_process: Assured, app: Assured,
        headers: Callable[..., dict[str, str]]) -> None:
    case = open_case(app)
    api_process.load(case.id, Case)  # the API process caches it at medium risk
    app.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    # "medium" is no change on the stale copy, but a change on the record as it stands.
    answer = cached_client.post(f"/cases/{case.id}/change-risk",
                                json={"new_risk": "medium", "at": at(2).isoformat()},
                                headers=headers(Role.SUPERVISOR, "sam"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 3
    assert [e.new_risk for e in app.stored_events(case.id)[1:]] == ["high", "medium"]


def test_a_command_on_a_stale_copy_is_saved_after_the_other_process_s_change(
        cached_client: TestClient, api_process: Assured, app: Assured,
        headers: Callable[..., dict[str, str]]) -> None:
    case = open_case(app)
    api_process.load(case.id, Case)
    app.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    answer = cached_client.post(f"/cases/{case.id}/change-risk",
                                json={"new_risk": "low", "at": at(2).isoformat()},
                                headers=headers(Role.SUPERVISOR, "sam"))
    assert answer.status_code == 200, answer.text
    assert [e.originator_version for e in app.stored_events(case.id)] == [1, 2, 3]
    shown = cached_client.get(f"/cases/{case.id}", headers=headers(Role.SUPERVISOR, "sam"))
    assert shown.json()["risk"] == "low"


def test_a_named_version_is_checked_against_the_stored_record(
        cached_client: TestClient, api_process: Assured, app: Assured,
        headers: Callable[..., dict[str, str]]) -> None:
    case = open_case(app)
    api_process.load(case.id, Case)  # cached at version 1
    app.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    answer = cached_client.post(f"/cases/{case.id}/change-risk",
                                json={"new_risk": "low", "at": at(2).isoformat()},
                                headers={**headers(Role.SUPERVISOR, "sam"), "If-Match": '"2"'})
    assert answer.status_code == 200, answer.text
    stale = cached_client.post(f"/cases/{case.id}/change-risk",
                               json={"new_risk": "high", "at": at(3).isoformat()},
                               headers={**headers(Role.SUPERVISOR, "sam"), "If-Match": '"2"'})
    assert stale.status_code == 409 and "version 3" in stale.json()["detail"]
