"""Operations: health, readiness, metrics, and the processes (with and without Temporal)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from domain.accounts import Role


def test_health_needs_no_token_and_readiness_names_what_is_down(
    client: TestClient, offline_client: TestClient
) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["checks"] == {"database": True, "temporal": True}
    ready = offline_client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": True, "temporal": False}


def test_metrics_count_requests_by_route_template_not_by_record(client: TestClient,
                                                                headers) -> None:  # type: ignore[no-untyped-def]
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    client.get(f"/safeguarders/{made['id']}", headers=headers(Role.PANEL_ADMIN))
    text = client.get("/metrics").text
    assert 'route="/safeguarders/{record_id}"' in text
    assert 'assured_projection_lag_events{projection="case_supervision"}' in text
    running = re.search(r'assured_open_workflows\{workflow_type="AppointmentWorkflow"\} (\S+)', text)
    assert running is not None and float(running.group(1)) >= 1  # the one just started, at least
    assert made["id"] not in text and "Sam" not in text


def test_process_routes_answer_503_while_temporal_is_unreachable(offline_client: TestClient,
                                                                  headers) -> None:  # type: ignore[no-untyped-def]
    answer = offline_client.get("/ops/workflows", headers=headers(Role.OPS))
    assert answer.status_code == 503
    assert answer.json()["title"] == "Temporal unreachable"


def test_only_ops_watch_processes(client: TestClient, headers) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/ops/workflows", headers=headers(Role.AUDITOR)).status_code == 403


def test_ops_list_describe_and_terminate_a_process_with_a_recorded_reason(
    client: TestClient, headers, app  # type: ignore[no-untyped-def]
) -> None:
    from domain.operations import Intervention

    made = client.post("/safeguarders", json={"name": "Sam Hidden", "contact": {},
                                              "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    ops = headers(Role.OPS)
    listed = client.get("/ops/workflows", params={"workflow_type": "AppointmentWorkflow",
                                                  "status": "running"}, headers=ops)
    assert made["workflow"] in [w["workflow_id"] for w in listed.json()]
    described = client.get(f"/ops/workflows/{made['workflow']}", headers=ops).json()
    assert described["temporal_ui"].endswith("/history") and "Sam Hidden" not in str(described)
    refused = client.post(f"/ops/workflows/{made['workflow']}/terminate", json={"reason": ""},
                          headers=ops)
    assert refused.status_code == 422
    done = client.post(f"/ops/workflows/{made['workflow']}/terminate",
                       json={"reason": "duplicate application"}, headers=ops)
    assert done.status_code == 200
    log = app.load(Intervention.create_id(made["workflow"]), Intervention)
    assert [(a["action"], a["reason"]) for a in log.actions] == [
        ("terminate", "duplicate application")]
    after = client.get(f"/ops/workflows/{made['workflow']}", headers=ops).json()
    assert after["status"] == "terminated"
