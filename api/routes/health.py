"""Health for operations: the process, and its database and Temporal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import App, CurrentSettings
from api.reads import runner_of
from infra.temporal import reachable

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request, app: App, settings: CurrentSettings) -> JSONResponse:
    """The database and Temporal are reachable (503 otherwise). A read model that stopped at
    an event it could not write is named with its position ("degraded"): the others still
    serve, so the instance stays in service."""
    checks: dict[str, object] = {"database": _database_ok(app),
                                 "temporal": reachable(settings.temporal_address)}
    ready = all(checks.values())
    stopped = _stopped_read_models(request) if checks["database"] else {}
    if stopped:
        checks["read_models_stopped"] = stopped
    status = "not ready" if not ready else ("degraded" if stopped else "ready")
    return JSONResponse({"status": status, "checks": checks},
                        status_code=200 if ready else 503)


def _stopped_read_models(request: Request) -> dict[str, int]:
    """Each stopped read model with the event it stopped at."""
    runner = runner_of(request.app)
    with runner.connect(autocommit=True) as conn:
        return {p.name: fault.notification_id for p in runner.projections
                if (fault := runner.fault(conn, p)) is not None}


def _database_ok(app: App) -> bool:
    try:
        with app.recorder.datastore.transaction(commit=False) as curs:  # type: ignore[attr-defined]
            curs.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 (any failure means not ready)
        return False
