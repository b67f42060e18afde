"""Health for operations: the process, and its database and Temporal."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import App, CurrentSettings
from api.reads import runner_of
from infra.temporal import reachable
from infra.verification import LastCheck, last_check

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request, app: App, settings: CurrentSettings) -> JSONResponse:
    """The database and Temporal are reachable (503 otherwise). A read model that stopped at
    an event it could not write is named with its position, and so is the first position the
    last verification of the event log found broken ("degraded"): the other records and read
    models still serve, so the instance stays in service."""
    checks: dict[str, object] = {"database": _database_ok(app),
                                 "temporal": reachable(settings.temporal_address)}
    ready = all(checks.values())
    stopped = _stopped_read_models(request) if checks["database"] else {}
    if stopped:
        checks["read_models_stopped"] = stopped
    integrity = _integrity(request) if checks["database"] else None
    checks["integrity"] = _integrity_report(integrity)
    broken = integrity is not None and not integrity.ok
    status = "not ready" if not ready else ("degraded" if stopped or broken else "ready")
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


def _integrity(request: Request) -> LastCheck | None:
    runner = runner_of(request.app)
    with runner.connect(autocommit=True) as conn:
        return last_check(conn, runner.schema)


def _integrity_report(found: LastCheck | None) -> dict[str, object]:
    """The last verification's result (infra/verification.py): no record content, positions."""
    if found is None:
        return {"checked": False}
    report: dict[str, object] = {"checked": True, "ok": found.ok,
                                 "checked_at": found.checked_at.isoformat(),
                                 "events": found.events, "head": found.head,
                                 "checkpoint_size": found.checkpoint_size}
    if not found.ok:
        report |= {"first_position": found.first_position, "problem": found.first_problem,
                   "failures": found.failures}
    return report
