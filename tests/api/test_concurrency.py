"""Fifty callers at once on one record, through a real server (uvicorn, with a Temporal dev
server behind it) on the loopback.

Every answer is a success or a 409; every success is exactly one stored event; the versions
run without a gap; nothing refused leaves a trace.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from api.auth import Principal
from infra.settings import Settings
from domain.accounts import Role
from tests.api.conftest import views_of
from domain.application import Assured
from tests.accounts import signed_in
from tests.servers import background_worker, temporal_dev_server, web_server

CALLERS = 50
ANSWER_WITHIN = 30  # seconds; fifty commands take a few seconds in all


@dataclass
class Server:
    url: str
    settings: Settings
    app: Assured

    def headers(self, role: Role = Role.PANEL_ADMIN, username: str = "pa-1") -> dict[str, str]:
        return signed_in(self.app, self.settings, Principal(username, role))


@pytest.fixture(scope="module")
def temporal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """Commands that may belong to a process need Temporal (503 without): a dev server."""
    with temporal_dev_server(tmp_path_factory.mktemp("temporal")) as overrides:
        yield overrides


@pytest.fixture
def server(settings: Settings, app: Assured, temporal: dict[str, object]) -> Iterator[Server]:
    settings = settings.model_copy(update=temporal)
    with background_worker(settings, app) as with_worker, web_server(with_worker, app) as url:
        yield Server(url, with_worker, app)


def _all_at_once(calls: list[Any], server: Server) -> list[httpx.Response]:
    """Run the calls in as many threads, released together; every one must be answered."""
    start = threading.Barrier(len(calls))

    def run(call: Any) -> httpx.Response | Exception:
        with httpx.Client(timeout=ANSWER_WITHIN) as client:
            start.wait()
            try:
                return call(client)
            except httpx.HTTPError as error:
                return error

    with ThreadPoolExecutor(len(calls)) as pool:
        answers = list(pool.map(run, calls))
    unanswered = [a for a in answers if isinstance(a, Exception)]
    if unanswered:
        try:
            health = str(httpx.get(f"{server.url}/healthz", timeout=5).status_code)
        except httpx.HTTPError as error:
            health = f"no answer either ({type(error).__name__})"
        pytest.fail(f"{len(unanswered)} of {len(calls)} requests had no answer within "
                    f"{ANSWER_WITHIN} s ({type(unanswered[0]).__name__}); "
                    f"GET /healthz afterwards: {health}")
    return answers  # type: ignore[return-value]


def _new_safeguarder(server: Server) -> UUID:
    """Created through the API and its appointment process stopped, so the commands below run
    directly on the record (these tests have no worker to answer a process's updates)."""
    made = httpx.post(f"{server.url}/safeguarders", headers=server.headers(),
                      json={"name": "Sam", "contact": {}, "region": "East"}, timeout=30)
    assert made.status_code == 201, made.text
    stopped = httpx.post(f"{server.url}/ops/workflows/{made.json()['workflow']}/terminate",
                         headers=server.headers(Role.OPS, "ops-1"),
                         json={"reason": "no worker in this test"}, timeout=30)
    assert stopped.status_code == 200, stopped.text
    return UUID(made.json()["id"])


def _check_no_gaps(app: Assured, record_id: UUID) -> list[Any]:
    events = app.stored_events(record_id)
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    return events


def test_fifty_concurrent_commands_on_one_record(server: Server, app: Assured) -> None:
    record = _new_safeguarder(server)
    before = len(app.stored_events(record))
    headers = server.headers()

    def raise_concern(n: int) -> Any:
        return lambda client: client.post(
            f"{server.url}/safeguarders/{record}/raise-concern", headers=headers,
            json={"concern_id": f"concern-{n}", "about": "work", "summary": f"Concern {n}"})

    answers = _all_at_once([raise_concern(n) for n in range(CALLERS)], server)

    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {200, 409}, [(a.status_code, a.text) for a in answers
                                         if a.status_code not in (200, 409)]
    won = [(n, a.json()) for n, a in enumerate(answers) if a.status_code == 200]
    assert won, "at least one writer wins"
    for answer in answers:
        if answer.status_code == 409:
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["status"] == 409
    events = _check_no_gaps(app, record)
    assert len(events) - before == len(won), "each success is one event, each 409 none"
    raised = {e.concern_id: e.originator_version for e in events[before:]}
    assert raised == {f"concern-{n}": done["version"] for n, done in won}
    assert sorted(done["version"] for _, done in won) == list(
        range(before + 1, before + len(won) + 1))


def test_fifty_writers_with_the_same_if_match_one_wins(server: Server, app: Assured) -> None:
    record = _new_safeguarder(server)
    headers = {**server.headers(), "If-Match": "1"}

    def raise_concern(n: int) -> Any:
        return lambda client: client.post(
            f"{server.url}/safeguarders/{record}/raise-concern", headers=headers,
            json={"concern_id": f"concern-{n}", "about": "work", "summary": f"Concern {n}"})

    answers = _all_at_once([raise_concern(n) for n in range(CALLERS)], server)
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [409] * (CALLERS - 1), [a.text for a in answers
                                                      if a.status_code not in (200, 409)]
    events = _check_no_gaps(app, record)
    assert len(events) == 2 and events[1].originator_version == 2


def test_fifty_concurrent_different_commands_on_one_case(server: Server, app: Assured) -> None:
    """Mixed commands from the practitioner and the supervisor of one case."""
    opened = httpx.post(f"{server.url}/cases", headers=server.headers(Role.PRACTITIONER, "pr-1"),
                        json={"child_reference": "C-0042", "agency": "Health",
                              "practitioner": "pr-1", "supervisor": "su-1",
                              "legal_status": "child_in_need", "risk": "medium",
                              "nation": "ENG"}, timeout=30)
    assert opened.status_code == 201, opened.text
    case = opened.json()["id"]
    people = [server.headers(Role.PRACTITIONER, "pr-1"), server.headers(Role.SUPERVISOR, "su-1")]
    risks = ["low", "high", "escalating", "medium"]

    def command(n: int) -> Any:
        if n % 2:
            path, body = "raise-concern", {"concern_id": f"c-{n}", "summary": "drift"}
        else:
            path, body = "change-risk", {"new_risk": risks[n % 4]}
        return lambda client: client.post(f"{server.url}/cases/{case}/{path}",
                                          headers=people[n % 2], json=body)

    answers = _all_at_once([command(n) for n in range(CALLERS)], server)
    assert {a.status_code for a in answers} <= {200, 409}, [
        a.text for a in answers if a.status_code not in (200, 409)]
    events = _check_no_gaps(app, UUID(case))
    # Each success is one event of the case; the cadence's own steps come besides.
    facts = [e for e in events if type(e).__name__ != "ProcessStepRecorded"]
    assert len(facts) == 1 + sum(a.status_code == 200 for a in answers)


def test_fifty_concurrent_reads_are_all_answered_and_all_logged(server: Server,
                                                                app: Assured) -> None:
    """Every read is recorded as an event of its own; concurrent readers are never refused."""
    record = _new_safeguarder(server)
    headers = server.headers()
    answers = _all_at_once([lambda client: client.get(f"{server.url}/safeguarders/{record}",
                                                      headers=headers)] * CALLERS, server)
    statuses = [a.status_code for a in answers]
    assert statuses == [200] * CALLERS, {s: statuses.count(s) for s in set(statuses)}
    assert len(views_of(app, record)) == CALLERS
