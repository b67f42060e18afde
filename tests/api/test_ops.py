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
    assert re.search(r'assured_overdue_deadlines\{kind="case"\} \d', text)
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


def test_retry_refuses_a_healthy_process_and_leaves_it_the_same_run(
    client: TestClient, headers  # type: ignore[no-untyped-def]
) -> None:
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    ops = headers(Role.OPS)
    before = client.get(f"/ops/workflows/{made['workflow']}", headers=ops).json()
    refused = client.post(f"/ops/workflows/{made['workflow']}/retry",
                          json={"reason": "looked stuck"}, headers=ops)
    assert refused.status_code == 409, refused.text
    assert "only for a failing step" in refused.json()["detail"]
    after = client.get(f"/ops/workflows/{made['workflow']}", headers=ops).json()
    assert (after["run_id"], after["status"]) == (before["run_id"], "running")


def test_cancel_and_terminate_refuse_a_process_that_has_ended(
    client: TestClient, headers, app  # type: ignore[no-untyped-def]
) -> None:
    from domain.operations import Intervention

    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    ops, wid = headers(Role.OPS), made["workflow"]
    assert client.post(f"/ops/workflows/{wid}/terminate", json={"reason": "duplicate"},
                       headers=ops).status_code == 200
    for action in ("cancel", "terminate"):
        again = client.post(f"/ops/workflows/{wid}/{action}", json={"reason": "again"},
                            headers=ops)
        assert again.status_code == 409, again.text
        assert "terminated" in again.json()["detail"]
    log = app.load(Intervention.create_id(wid), Intervention)
    assert [a["action"] for a in log.actions] == ["terminate"]  # refusals record nothing


def test_retry_retries_a_failing_step_now_on_the_same_run(
    settings, app, postgres, cipher_key, headers  # type: ignore[no-untyped-def]
) -> None:
    """A worker whose store has no tables: a case's cadence process reads the case's next
    discussion in an activity, which fails and is retried with backoff. An operator's retry runs
    it again at once, on the same run."""
    import time
    import uuid

    import psycopg

    from api.app import create_app
    from domain.application import Assured
    from infra.store import event_store_env
    from tests.servers import background_worker

    admin_url, _ = postgres
    empty = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{empty}"')
    broken = Assured({**event_store_env(admin_url.replace("/postgres?", f"/{empty}?"),
                                        cipher_key, 0), "CREATE_TABLE": "n"})
    try:
        with background_worker(settings, broken) as failing, \
                TestClient(create_app(failing, app)) as api:
            made = api.post("/cases", json={
                "child_reference": f"C-{uuid.uuid4().hex[:6]}", "agency": "Health",
                "practitioner": "pr-1", "supervisor": "su-1", "legal_status": "child_in_need",
                "risk": "medium", "nation": "ENG"}, headers=headers(Role.PRACTITIONER, "pr-1"))
            assert made.status_code == 201, made.text
            made = made.json()
            ops, wid = headers(Role.OPS), made["workflow"]
            deadline = time.monotonic() + 30
            while True:
                line = api.get(f"/ops/workflows/{wid}", headers=ops).json()
                if any(p["attempt"] > 1 for p in line["pending_activities"]):
                    break
                assert time.monotonic() < deadline, str(line)[:3000]
                time.sleep(0.3)
            listed = api.get("/ops/workflows", params={"status": "running"}, headers=ops).json()
            assert [w["failing_activities"] for w in listed if w["workflow_id"] == wid] == [1]
            retried = api.post(f"/ops/workflows/{wid}/retry", json={"reason": "store fixed"},
                               headers=ops)
            assert retried.status_code == 200, retried.text
            assert retried.json()["status"] == "1 failing step(s) retried"
            after = api.get(f"/ops/workflows/{wid}", headers=ops).json()
            assert after["run_id"] == line["run_id"] and after["status"] == "running"
    finally:
        broken.close()
