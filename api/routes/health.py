"""Health for operations: the process, and its database and Temporal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import App, CurrentSettings
from infra.temporal import reachable

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request, app: App, settings: CurrentSettings) -> JSONResponse:
    """The database and Temporal are reachable."""
    checks = {"database": _database_ok(app), "temporal": reachable(settings.temporal_address)}
    ready = all(checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)


def _database_ok(app: App) -> bool:
    try:
        with app.recorder.datastore.transaction(commit=False) as curs:  # type: ignore[attr-defined]
            curs.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 (any failure means not ready)
        return False
