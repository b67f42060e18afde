"""The API's basic promises: sign-in, commands and their answers, problems for bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyotp
from fastapi.testclient import TestClient

from domain.accounts import Role
from domain.application import Assured
from tests.api.conftest import PASSWORD, views_of

OPEN_ROUTES = {"/healthz", "/readyz", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc",
               "/openapi.json", "/auth/token", "/auth/login", "/auth/logout",
               "/auth/second-factor", "/auth/second-factor/confirm"}


def test_every_route_but_health_docs_and_sign_in_needs_a_token(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        if path in OPEN_ROUTES:
            continue
        concrete = path.replace("{record_id}", "00000000-0000-0000-0000-000000000001") \
                       .replace("{kind}", "case")
        for method in operations:
            answer = client.request(method.upper(), concrete)
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.headers["content-type"] == "application/problem+json"
            checked += 1
    assert checked > 70


def test_sign_in_with_a_local_account_gives_a_working_token(
    client: TestClient, account: Callable[..., Any]
) -> None:
    alex = account("alex", Role.PANEL_ADMIN)
    wrong = client.post("/auth/token", data={"username": "alex", "password": "nope"})
    assert wrong.status_code == 401 and "password" not in wrong.text.lower().replace(
        "the name or password is wrong", "")
    signed = client.post("/auth/token", data={"username": "alex", "password": PASSWORD,
                                              "totp": pyotp.TOTP(alex.second_factor).now()})
    assert signed.status_code == 200
    token = signed.json()["access_token"]
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "East"},
                       headers={"Authorization": f"Bearer {token}"})
    assert made.status_code == 201, made.text


def test_the_web_sign_in_sets_an_http_only_cookie(client: TestClient,
                                                  account: Callable[..., Any]) -> None:
    alex = account("alex", Role.PANEL_ADMIN)
    answer = client.post("/auth/login", data={"username": "alex", "password": PASSWORD,
                                              "totp": pyotp.TOTP(alex.second_factor).now()})
    assert answer.status_code == 204
    assert "httponly" in answer.headers["set-cookie"].lower()
    assert client.post("/safeguarders", json={"name": "Sam", "contact": {},
                                              "region": "East"}).status_code == 201


def test_failed_sign_ins_are_rate_limited(client: TestClient,
                                          account: Callable[..., object]) -> None:
    account("alex", Role.PRACTITIONER)
    codes = [client.post("/auth/token", data={"username": "alex", "password": "x"}).status_code
             for _ in range(6)]
    assert codes == [401] * 5 + [429]
    blocked = client.post("/auth/token", data={"username": "alex", "password": PASSWORD})
    assert blocked.status_code == 429


def test_a_command_answers_with_version_and_notification(client: TestClient, headers) -> None:  # type: ignore[no-untyped-def]
    admin = headers(Role.PANEL_ADMIN)
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {"phone": "1"},
                                              "region": "North"}, headers=admin)
    body = made.json()
    assert body["version"] == 1 and body["notification_id"] >= 1
    noted = client.post(f"/safeguarders/{body['id']}/record-performance-evidence",
                        json={"standard": "Standard 2", "evidence": "clear report"}, headers=admin)
    assert noted.status_code == 200 and noted.json()["version"] == 2


def test_a_broken_rule_is_409_naming_it_and_records_nothing(client: TestClient, headers,  # type: ignore[no-untyped-def]
                                                            app: Assured) -> None:
    admin = headers(Role.PANEL_ADMIN)
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=admin).json()
    refused = client.post(f"/safeguarders/{made['id']}/record-feedback",
                          json={"source": "family", "tone": "positive", "summary": " "},
                          headers=admin)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Feedback carries a summary"
    assert len(app.stored_events(made["id"])) == 1


def test_malformed_input_is_422_naming_the_field(client: TestClient, headers) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "South"},
                         headers=headers(Role.PANEL_ADMIN))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["region"]


def test_a_stale_if_match_is_409(client: TestClient, headers) -> None:  # type: ignore[no-untyped-def]
    admin = headers(Role.PANEL_ADMIN)
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=admin).json()
    stale = client.post(f"/safeguarders/{made['id']}/record-performance-evidence",
                        json={"standard": "S1", "evidence": "e"}, headers={**admin, "If-Match": "7"})
    assert stale.status_code == 409


def test_an_action_a_process_may_take_answers_503_while_temporal_is_unreachable(
    client: TestClient, offline_client: TestClient, headers, app: Assured  # type: ignore[no-untyped-def]
) -> None:
    admin = headers(Role.PANEL_ADMIN)
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=admin).json()
    answer = offline_client.post(f"/safeguarders/{made['id']}/record-interview",
                                 json={"passed": True, "notes": ""}, headers=admin)
    assert answer.status_code == 503 and answer.json()["title"] == "Temporal unreachable"
    assert len(app.stored_events(made["id"])) == 1
    refused = offline_client.post("/safeguarders", json={"name": "Kim", "contact": {},
                                                         "region": "West"}, headers=admin)
    assert refused.status_code == 503, "no record is created without its process"


def test_a_new_applicant_starts_their_appointment_process(client: TestClient, headers) -> None:  # type: ignore[no-untyped-def]
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    assert made["workflow"] == f"appointment-{made['id']}"


def test_an_idempotency_key_repeat_returns_the_first_answer_and_records_nothing(
    client: TestClient, headers, app: Assured  # type: ignore[no-untyped-def]
) -> None:
    admin = {**headers(Role.PANEL_ADMIN), "Idempotency-Key": "k-123"}
    body = {"name": "Sam", "contact": {}, "region": "West"}
    first = client.post("/safeguarders", json=body, headers=admin)
    again = client.post("/safeguarders", json=body, headers=admin)
    assert first.json() == again.json()
    assert app.recorder.max_notification_id() == first.json()["notification_id"]
    other = client.post("/safeguarders", json={**body, "name": "Kim"}, headers=admin)
    assert other.status_code == 409


def test_a_read_of_a_file_is_logged_without_its_content(client: TestClient, headers,  # type: ignore[no-untyped-def]
                                                        app: Assured) -> None:
    admin = headers(Role.PANEL_ADMIN, "alex")
    made = client.post("/safeguarders", json={"name": "Sam Secret", "contact": {},
                                              "region": "West"}, headers=admin).json()
    assert client.get(f"/safeguarders/{made['id']}", headers=admin).json()["name"] == "Sam Secret"
    events = views_of(app, made["id"])
    assert [(e.actor, e.route) for e in events] == [("alex", "/safeguarders/{record_id}")]
    assert "Sam Secret" not in repr(events)
    listed = client.get(f"/safeguarders/{made['id']}/viewers", headers=admin).json()
    assert [v["by"] for v in listed] == ["alex"]


def test_a_record_the_caller_may_not_see_is_404_like_a_missing_one(client: TestClient,  # type: ignore[no-untyped-def]
                                                                    headers) -> None:
    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    practitioner = headers(Role.PRACTITIONER)
    hidden = client.get(f"/safeguarders/{made['id']}", headers=practitioner)
    missing = client.get("/safeguarders/00000000-0000-0000-0000-000000000009",
                         headers=practitioner)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
