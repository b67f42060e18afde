"""The HTTP API: FastAPI, documented by its OpenAPI schema at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import metrics, permissions, problems, record_threads, web
from api import sessions, view_log
from api.auth import TokenValidator
from api.limits import BodyLimit
from api.private import NoStore
from api.reads import close_reads
from api.routes import accounts, assurance, auth, health, history, ops, records, subjects, views
from api.throttle import SignInThrottle
from api.temporal import TemporalGateway
from domain.application import Assured
from infra import telemetry
from infra.recorder import RecentEvents
from infra.settings import Settings


def create_app(settings: Settings, application: Assured) -> FastAPI:
    """The web application over an open `Assured` application (the caller closes it)."""

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        record_threads.install(api.state, settings.record_threads)
        keys = api.state.tokens.jwks
        if keys is not None:
            keys.start()
        if application.cache is not None:
            api.state.recent_events = RecentEvents(application.recorder)  # type: ignore[arg-type]
            await api.state.recent_events.open()
        try:
            yield
        finally:
            if application.cache is not None:
                await api.state.recent_events.close()
            if keys is not None:
                keys.stop()
            close_reads(api)
            view_log.stop_writer_for(application)

    api = FastAPI(title="Assured", version="0.1.0", lifespan=lifespan,
                  description="Evidence and processes for children's safeguarding assurance."
                              "\n\n## Who may do what\n\n" + permissions.table())
    api.state.settings = settings
    api.state.assured = application
    api.state.tokens = TokenValidator(settings)
    api.state.temporal = TemporalGateway(settings)
    api.state.throttle = SignInThrottle(application, settings)
    api.state.sessions = sessions.Sessions(application, settings)
    problems.install(api)
    api.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    api.add_middleware(NoStore)
    metrics.install(api, metrics.Metrics(),
                    [metrics.measure_projection_lag, metrics.report_integrity,
                     metrics.count_open_workflows, metrics.count_overdue])
    # Each router's routes go on the application's own router: FastAPI's included routers are
    # tried one candidate at a time, at a cost every request paid (bench/api_load.py).
    for router in (health.router, views.router, assurance.router, auth.router, accounts.router,
                   history.router, ops.router, subjects.router, subjects.retention,
                   *records.routers()):
        api.router.routes.extend(router.routes)
    permissions.describe(api.router.routes)
    web.install(api, settings)
    telemetry.instrument(api)  # when tracing is on (ASSURED_OTLP_ENDPOINT)
    return api
