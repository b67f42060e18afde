"""Problem details (RFC 9457) for every error, mapped in one place.

422 malformed input (naming the field), 409 a broken rule or a concurrency conflict (naming it),
404 missing or not visible to the caller, 401/403 as usual, 503 when Temporal is unreachable.
Never a stack trace in a response.

An ordinary refusal is one log line, without a traceback: the method, the route's template (never
the path's ids or the caller's text), the status and the rule's title (`assured.refusals`;
a policy's denial goes to `assured.access` with the role and record id instead). Only a real
fault (500) logs its traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import ConcurrencyConflict, InputRefused, RecordNotFound, RuleBroken
from projections.faults import ProjectionStopped

log = logging.getLogger(__name__)
refusals = logging.getLogger("assured.refusals")
access_log = logging.getLogger("assured.access")
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """Raise to answer with a problem; `extra` members are added to the body."""

    def __init__(self, status: int, title: str, detail: str = "",
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra
        self.headers = headers
        self.denial: str | None = None
        """For a policy's denial: what the access log says of it (role, action, record id)."""


def printable(value: Any) -> Any:
    """`value` with anything UTF-8 cannot hold (a lone surrogate a caller sent, echoed in a
    field's name) replaced, so that no answer fails to encode."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [printable(v) for v in value]
    return value


def problem_response(status: int, title: str, detail: str = "",
                     headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, **extra}
    if detail:
        body["detail"] = detail
    return JSONResponse(printable(body), status_code=status, media_type=MEDIA_TYPE,
                        headers=headers)


def malformed(errors: list[dict[str, str]]) -> JSONResponse:
    """422, naming each field and what is wrong with it."""
    named = ", ".join(e["field"] for e in errors)
    return problem_response(422, "Malformed input", f"Check: {named}", errors=errors)


class ProblemBody(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    rule: str | None = None
    errors: list[dict[str, str]] | None = None


def _documented(status: int, what: str) -> dict[str, Any]:
    return {"description": what, "model": ProblemBody,
            "content": {MEDIA_TYPE: {"schema": ProblemBody.model_json_schema()}}}


# Every route may answer these; routers declare them so the OpenAPI schema says so.
RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _documented(401, "Sign-in needed"),
    403: _documented(403, "Forbidden"),
    404: _documented(404, "No such record, or not visible to the caller"),
    409: _documented(409, "A rule or a concurrent change refused the command"),
    413: _documented(413, "The request body is too large"),
    422: _documented(422, "Malformed input, naming the fields"),
    429: _documented(429, "Too many failed sign-ins"),
    503: _documented(503, "Temporal (the process engine) unreachable"),
}


def not_found() -> Problem:
    """The same answer for a record that does not exist and one the caller may not see."""
    return Problem(404, "Not found", "No such record, or you may not see it.")


def _message(text: str) -> str:
    """pydantic's message, without its "Value error, " prefix for the domain's own words."""
    return text.removeprefix("Value error, ")


def _where(request: Request) -> str:
    """The method and the route's template: `POST /safeguarders/{record_id}/allocate`."""
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', None) or '(no route)'}"


def refused(request: Request, status: int, title: str) -> None:
    """Log a refusal as one line (no traceback, nothing the caller typed)."""
    refusals.info("Refused: %s %s %s", _where(request), status, title)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        if exc.denial is not None:
            access_log.info("Denied: %s (%s %s)", exc.denial, _where(request), exc.status)
        elif exc.status < 500:
            refused(request, exc.status, str(exc.extra.get("rule") or exc.title))
        return problem_response(exc.status, exc.title, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(RuleBroken)
    async def _rule(request: Request, exc: RuleBroken) -> JSONResponse:
        refused(request, 409, exc.rule)
        return problem_response(409, "Rule broken", exc.rule, rule=exc.rule)

    @app.exception_handler(InputRefused)
    async def _refused(request: Request, exc: InputRefused) -> JSONResponse:
        refused(request, 422, "Malformed input (1 field)")
        return malformed([{"field": exc.field or "body", "message": exc.problem}])

    @app.exception_handler(ProjectionStopped)
    async def _stopped(_: Request, exc: ProjectionStopped) -> JSONResponse:
        f = exc.fault
        return problem_response(503, "Read model stopped",
                                f"The {f.name.replace('_', ' ')} read model stopped at an event "
                                "it could not show; operations staff have been alerted. Other "
                                "pages still answer.", read_model=f.name,
                                notification_id=f.notification_id)

    @app.exception_handler(ConcurrencyConflict)
    async def _conflict(request: Request, exc: ConcurrencyConflict) -> JSONResponse:
        refused(request, 409, "Concurrent change")
        return problem_response(409, "Concurrent change", str(exc))

    @app.exception_handler(RecordNotFound)
    async def _missing(request: Request, exc: RecordNotFound) -> JSONResponse:
        problem = not_found()
        refused(request, problem.status, problem.title)
        return problem_response(problem.status, problem.title, problem.detail)

    @app.exception_handler(RequestValidationError)
    async def _malformed(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        refused(request, 422, f"Malformed input ({len(errors)} field{'s' * (len(errors) != 1)})")
        return malformed([{"field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                           "message": _message(e["msg"])} for e in errors])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # a body that is not JSON at all is malformed input too
            refused(request, 422, "Malformed input (body)")
            return problem_response(422, "Malformed input", "Check: body",
                                    errors=[{"field": "body", "message": str(exc.detail)}])
        if exc.status_code < 500:
            refused(request, exc.status_code, str(exc.detail))
        return problem_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Unexpected error on %s", _where(request))
        return problem_response(500, "Internal error", "Something went wrong; it was logged.")
