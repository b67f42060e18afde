"""Operations: health, readiness, metrics, and the processes (with and without Temporal)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from domain.accounts import Role


def test_health_needs_no_token_and_readiness_names_what_is_down(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"database": True, "temporal": False}


def test_metrics_count_requests_by_route_template_not_by_record(client: TestClient,
                                                                headers) -> None:  # type: ignore[no-untyped-def]
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    client.get(f"/safeguarders/{made['id']}", headers=headers(Role.PANEL_ADMIN))
    text = client.get("/metrics").text
    assert 'route="/safeguarders/{record_id}"' in text
    assert made["id"] not in text and "Sam" not in text


def test_process_routes_answer_503_while_temporal_is_unreachable(client: TestClient,
                                                                  headers) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/ops/workflows", headers=headers(Role.OPS))
    assert answer.status_code == 503
    assert answer.json()["title"] == "Temporal unreachable"


def test_only_ops_watch_processes(client: TestClient, headers) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/ops/workflows", headers=headers(Role.AUDITOR)).status_code == 403
