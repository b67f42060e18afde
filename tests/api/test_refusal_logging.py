"""A refusal is one log line, without a traceback; a real fault keeps its traceback.

Against a real uvicorn with a worker running: a rule the record refuses directly (409), one a
running process refuses (409), malformed input (422), a policy's denial (403) and a hidden
record (404) each leave exactly one line, naming the method, the route's template, the status
and the rule's title, with nothing the caller typed and no traceback. A store that has lost its
tables (a real fault) answers 500 and logs its traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from domain.accounts import Role
from domain.application import Assured
from infra.settings import Settings
from infra.store import event_store_env
from tests.servers import background_worker, web_server

Headers = Callable[..., dict[str, str]]
QUIET = ("httpx", "httpcore")  # the test's own client


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    yield caplog
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.NOTSET)


def _lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.INFO
            and not r.name.startswith(QUIET)]


def test_each_refusal_is_one_line_without_a_traceback(
        settings: Settings, app: Assured, headers: Headers,
        logged: pytest.LogCaptureFixture) -> None:
    admin = headers(Role.PANEL_ADMIN, "pa-1")
    typed = "Ms <Secret> O'Hara"
    with background_worker(settings, app) as with_worker, web_server(with_worker, app) as url, \
            httpx.Client(base_url=url, timeout=30) as http:
        applicant = http.post("/safeguarders", json={"name": typed, "contact": {},
                                                     "region": "East"}, headers=admin).json()
        region = http.post("/regions", json={"region": "East"}, headers=admin).json()["id"]
        for manager in ("sm-1", "sm-2"):
            http.post(f"/regions/{region}/add-support-manager", json={"manager": manager},
                      headers=admin)
        refusals = [
            ("POST", f"/safeguarders/{applicant['id']}/appoint",
             {"term_starts_on": "2025-01-01"}, admin, 409,
             "POST /safeguarders/{record_id}/appoint 409 A Safeguarder cannot be appointed "
             "without passing both interview and pre-appointment assessment"),
            ("POST", f"/regions/{region}/add-support-manager", {"manager": typed}, admin, 409,
             "POST /regions/{record_id}/add-support-manager 409 A region has at most two "
             "support managers"),
            ("POST", f"/regions/{region}/add-support-manager", {"manager": typed, "x": typed},
             admin, 422, "POST /regions/{record_id}/add-support-manager 422 Malformed input "
             "(1 field)"),
            ("POST", f"/regions/{region}/add-support-manager", {"manager": typed},
             headers(Role.AUDITOR, "au-1"), 403,
             f"role=auditor action=write kind=region record={region} decision=forbidden "
             "(POST /regions/{record_id}/add-support-manager 403)"),
            ("GET", f"/cases/{uuid.uuid4()}", None, admin, 404,
             "GET /cases/{record_id} 404 Not found"),
        ]
        for method, path, body, who, status, line in refusals:
            logged.clear()
            answer = http.request(method, path, json=body, headers=who)
            assert answer.status_code == status, answer.text
            lines = _lines(logged)
            assert [r.getMessage() for r in lines] == [
                f"{'Denied' if status == 403 else 'Refused'}: {line}"], (status, lines)
            assert not any(r.exc_info for r in logged.records), f"a traceback for {status}"
            assert typed not in logged.text and "Secret" not in logged.text


def test_a_real_fault_answers_500_and_logs_its_traceback(
        settings: Settings, app: Assured, headers: Headers, postgres: tuple[str, Path],
        cipher_key: str, logged: pytest.LogCaptureFixture) -> None:
    """A store whose tables are missing: reading a record fails inside the application."""
    admin_url, _ = postgres
    empty = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{empty}"')
    broken = Assured({**event_store_env(admin_url.replace("/postgres?", f"/{empty}?"),
                                        cipher_key, 0), "CREATE_TABLE": "n"})
    try:
        with web_server(settings, broken) as url, httpx.Client(base_url=url) as http:
            logged.clear()
            answer = http.get(f"/safeguarders/{uuid.uuid4()}",
                              headers=headers(Role.PANEL_ADMIN, "pa-1"))
    finally:
        broken.close()
    assert answer.status_code == 500
    assert "Traceback" not in answer.text and "UndefinedTable" not in answer.text
    faults = [r for r in _lines(logged) if r.exc_info]
    assert faults and faults[0].levelno == logging.ERROR
    assert faults[0].getMessage() == "Unexpected error on GET /safeguarders/{record_id}"
    assert not [r for r in _lines(logged) if r.getMessage().startswith("Refused")]
