"""Traces (infra/telemetry.py): with tracing on, a request and the workflow it starts are one
trace, spans carrying ids and route templates only; with it off, nothing is set up.

The spans go to OpenTelemetry's in-memory exporter in place of OTLP, through the same
`IdsOnly` filter production's exporter is wrapped in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.app import create_app
from api.auth import Principal
from domain.accounts import Role
from domain.application import Assured
from infra import telemetry
from infra.settings import Settings
from infra.store import event_store_env
from infra.temporal import connect
from tests.accounts import signed_in
from tests.servers import background_worker, projection_runner, web_server

CHILD = "Jayden O'Connor-Ahmed"
HOSTILE = (CHILD, "Jayden", "Acacia", "<script>", "שלום", "pr-jo-private-agent")


@pytest.fixture
def settings(database_url: str, cipher_key: str, tmp_path: Path,
             temporal_server: dict[str, object]) -> Settings:
    return Settings(database_url=database_url, encryption_key=cipher_key, data_dir=tmp_path,
                    **temporal_server)  # type: ignore[arg-type]


@pytest.fixture
def spans(settings: Settings) -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    assert telemetry.start(settings, "assured-test", exporter=exporter) is not None
    try:
        yield exporter
    finally:
        telemetry.stop()


@pytest.fixture
def traced(spans: InMemorySpanExporter, settings: Settings, database_url: str,
           cipher_key: str) -> Iterator[tuple[httpx.Client, Settings, Assured]]:
    """The system as tests/e2e/conftest.py runs it, started after tracing was."""
    app = Assured(event_store_env(database_url, cipher_key, 0), policy=settings.policy)
    try:
        with background_worker(settings, app) as running, projection_runner(app), \
                web_server(running, app) as url, httpx.Client(base_url=url, timeout=60) as http:
            yield http, running, app
    finally:
        app.close()


def test_a_request_and_the_workflow_it_starts_are_one_trace_of_ids(
        traced: tuple[httpx.Client, Settings, Assured], spans: InMemorySpanExporter) -> None:
    """Jo opens a child's case (its cadence process starts) and records a discussion with the
    child's name in it, which the process takes as an update; a list is asked with the name in
    its query string. The spans name the routes and the workflow by id, and none holds a name,
    the body, the query, the user agent or the caller's address."""
    http, settings, app = traced
    jo = signed_in(app, settings, Principal("pr-jo", Role.PRACTITIONER, None))
    jo |= {"User-Agent": "pr-jo-private-agent"}
    at = (datetime.now(UTC) - timedelta(days=20)).isoformat()
    opened = http.post("/cases", headers=jo, json={
        "child_reference": "CSC-2026-0815", "agency": "Children's social care",
        "practitioner": "pr-jo", "supervisor": "su-sam", "legal_status": "child_in_need",
        "risk": "medium", "nation": "ENG", "at": at})
    assert opened.status_code == 201, opened.text
    case = opened.json()["id"]
    taken = http.post(f"/cases/{case}/record-discussion", headers=jo, json={
        "discussion_id": "D-1", "supervisor": "su-sam", "supervisee": "pr-jo",
        "needs": f"{CHILD} needs a school place", "risks": "<script>alert(1)</script> שלום",
        "engagement": "mother engages", "plan": "visit 14 Acacia Avenue",
        "capacity_for_change": "some", "rag": "A", "actions": [], "at": at,
        "next_discussion_on": (datetime.now(UTC) + timedelta(days=30)).date().isoformat()})
    assert taken.status_code == 200 and taken.json()["workflow"] == f"cadence-{case}", taken.text
    assert http.get("/cases", headers=jo, params={"q": CHILD}).status_code == 200

    finished = spans.get_finished_spans()
    names = {s.name for s in finished}
    assert {"POST /cases", "POST /cases/{record_id}/record-discussion", "GET /cases"} <= names
    started = [s for s in finished if s.name.startswith("StartWorkflow:")]
    ran = [s for s in finished if s.name.startswith("RunWorkflow:")]
    assert started and ran, names
    assert started[0].attributes["temporalWorkflowID"] == f"cadence-{case}"
    request = next(s for s in finished if s.name == "POST /cases")
    assert started[0].context.trace_id == request.context.trace_id == ran[0].context.trace_id
    assert any(s.name.startswith(("StartWorkflowUpdate:", "HandleUpdate:", "ValidateUpdate:"))
               for s in finished), names
    for span in finished:
        for key in span.attributes or {}:
            assert key in telemetry.KEPT or key.startswith("temporal"), (span.name, key)
        leaked = [h for h in HOSTILE if h in span.to_json()
                  or h in json.dumps(json.loads(span.to_json()), ensure_ascii=False)]
        assert not leaked, (span.name, leaked)


def test_tracing_is_off_unless_an_endpoint_is_set(settings: Settings, app: Assured) -> None:
    assert settings.otlp_endpoint is None
    assert telemetry.start(settings, "assured-test") is None
    assert telemetry.temporal_interceptors() == []
    web = create_app(settings, app)
    assert not [m for m in web.user_middleware if "OpenTelemetry" in repr(m.cls)]
    assert type(trace.get_tracer_provider()).__name__ == "ProxyTracerProvider"


async def test_the_temporal_client_has_no_interceptor_when_off(settings: Settings) -> None:
    client = await connect(settings)
    assert client.config()["interceptors"] == []
