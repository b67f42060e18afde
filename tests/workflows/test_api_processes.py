"""Through the HTTP API, a person's action reaches the running workflow as an update: the
answer says what the workflow did, and a refusal names the rule (409), changing nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Principal, issue_token
from api.settings import Settings
from domain.accounts import Role
from tests.workflows.conftest import TEST_KEY, Running
from tests.workflows.test_appointment import applicant, start
from workflows.appointment import AppointmentWorkflow


@pytest.fixture
def api(running: Running, tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    address = running.client.service_client.config.target_host
    settings = Settings(data_dir=tmp_path, temporal_address=address, encryption_key=TEST_KEY,
                        database_url="postgresql://unused/assured")
    with TestClient(create_app(settings, running.app), raise_server_exceptions=False) as client:
        yield client, settings


def bearer(settings: Settings, role: Role, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(Principal(name, role), settings)}"}


async def test_an_interview_recorded_through_the_api_goes_to_the_appointment_workflow(
    running: Running, api: tuple[TestClient, Settings]
) -> None:
    client, settings = api
    safeguarder = applicant(running.app)
    handle = await start(running, safeguarder)
    admin = bearer(settings, Role.PANEL_ADMIN, "panel-admin-1")

    # The worker runs on this test's event loop: requests go from another thread.
    answer = await asyncio.to_thread(
        client.post, f"/safeguarders/{safeguarder.id}/record-interview",
        json={"passed": True, "notes": "clear motivation"}, headers=admin)
    assert answer.status_code == 200, answer.text
    assert answer.json()["workflow"] == handle.id and answer.json()["answer"]
    assert (await handle.query(AppointmentWorkflow.status)).stage == "interviewed"

    before = len(running.app.stored_events(safeguarder.id))
    refused = await asyncio.to_thread(
        client.post, f"/safeguarders/{safeguarder.id}/appoint",
        json={"term_starts_on": "2027-01-04"}, headers=admin)
    assert refused.status_code == 409
    assert "pre-appointment assessment" in refused.json()["detail"]
    assert len(running.app.stored_events(safeguarder.id)) == before
    await handle.terminate("test over")


def test_commands_on_a_record_without_a_process_run_directly(
    running: Running, api: tuple[TestClient, Settings]
) -> None:
    client, settings = api
    safeguarder = applicant(running.app)
    answer = client.post(f"/safeguarders/{safeguarder.id}/record-interview",
                         json={"passed": True, "notes": ""},
                         headers=bearer(settings, Role.PANEL_ADMIN, "panel-admin-1"))
    assert answer.status_code == 200 and answer.json()["workflow"] is None
    assert answer.json()["version"] == 2
