"""Prometheus metrics. Labels are route templates, workflow types and projection names only:
never a record id, a name or anything typed by a person."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import Problem


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("assured_http_requests_total", "HTTP requests",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("assured_http_request_seconds", "HTTP request latency",
                                 ["method", "route"], registry=self.registry)
        self.open_workflows = Gauge("assured_open_workflows", "Running workflows by type",
                                    ["workflow_type"], registry=self.registry)
        self.projection_lag = Gauge("assured_projection_lag_events",
                                    "Events a projection has still to process",
                                    ["projection"], registry=self.registry)
        self.projection_stopped = Gauge("assured_projection_stopped_at_event",
                                        "The event a stopped read model could not write "
                                        "(0: running)", ["projection"], registry=self.registry)
        self.overdue = Gauge("assured_overdue_deadlines", "Deadlines passed and not met",
                             ["kind"], registry=self.registry)


def install(api: FastAPI, metrics: Metrics,
            refreshers: list[Callable[[FastAPI, Metrics], Awaitable[None]]]) -> None:
    """Count every request by its route template; refresh the gauges when scraped."""
    api.add_middleware(Measured, metrics=metrics)

    @api.get("/metrics", include_in_schema=False)
    async def scrape() -> Response:
        for refresh in refreshers:
            with contextlib.suppress(Problem):  # Temporal unreachable: the others still report
                await refresh(api, metrics)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


class Measured:
    """ASGI middleware: each request's count and latency, labelled by its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began, status = time.perf_counter(), [500]

        async def sent(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sent)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.requests.labels(method, template, str(status[0])).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - began)


async def measure_projection_lag(api: FastAPI, metrics: Metrics) -> None:
    from anyio import to_thread

    from projections.runner import Runner

    def statuses() -> list[Any]:
        return Runner(api.state.assured).status()

    for status in await to_thread.run_sync(statuses):
        metrics.projection_lag.labels(status.name).set(
            status.lag if status.lag is not None else status.head)
        metrics.projection_stopped.labels(status.name).set(status.stopped_at or 0)


async def count_open_workflows(api: FastAPI, metrics: Metrics) -> None:
    from workflows.routing import WORKFLOWS

    client = await api.state.temporal.client()
    for workflow in WORKFLOWS:
        counted = await client.count_workflows(
            f"WorkflowType = '{workflow.__name__}' AND ExecutionStatus = 'Running'")
        metrics.open_workflows.labels(workflow.__name__).set(counted.count)


async def count_overdue(api: FastAPI, metrics: Metrics) -> None:
    """Overdue obligations by the kind of record they are on (`projections.obligations`, the
    same list operations staff and My work read). A stopped read model leaves the last figures."""
    from collections import Counter as Tally
    from datetime import UTC, datetime

    from anyio import to_thread

    from api.reads import ProjectionStopped, read_models
    from projections import obligations

    def tally() -> Tally[str]:
        with read_models(api, obligations.READ_MODELS) as conn:
            found = obligations.overdue(conn, datetime.now(UTC).date(),
                                        api.state.assured.mapper.cipher,
                                        api.state.settings.policy)
        return Tally(o.kind for o in found)

    try:
        counted = await to_thread.run_sync(tally)
    except ProjectionStopped:
        return
    for kind in obligations.KINDS:
        metrics.overdue.labels(kind).set(counted.get(kind, 0))
