"""The pages' routers: every web route checks its form's CSRF token first, and answers a
problem as a page (not as the API's JSON problem), in the person's words."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from api.problems import Problem
from api.web.csrf import CsrfRefused, csrf_checked
from api.web.session import SignInNeeded
from api.web.templating import render
from domain.errors import RecordNotFound
from projections.faults import ProjectionStopped

log = logging.getLogger("assured.web")

TITLES = {403: "You cannot do this", 404: "Page not found", 409: "This was not recorded",
          429: "Too many tries", 503: "Sorry, there is a problem with the service"}


def error_page(request: Request, status: int, detail: str, title: str | None = None) -> Response:
    return render(request, "error.html", {"status": status, "title": title or TITLES.get(
        status, "Sorry, there is a problem with the service"), "detail": detail}, status=status)


class PageRoute(APIRoute):
    """A web page: sign-in, CSRF and refusals end in a page of their own."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handle(request)
            except SignInNeeded:
                return RedirectResponse("/sign-in", status_code=303)
            except CsrfRefused:
                return error_page(request, 403, "The form was sent without the code that "
                                  "shows it came from this service, so nothing was recorded. "
                                  "Go back, reload the page and try again.",
                                  "This form could not be sent")
            except Problem as problem:
                detail = problem.detail or problem.title
                if problem.status == 404:
                    detail = "There is no such page, or you cannot see it."
                return error_page(request, problem.status, detail)
            except (RecordNotFound, RequestValidationError):
                return error_page(request, 404, "There is no such page, or you cannot see it.")
            except ProjectionStopped as stopped:
                log.warning("Page %s: read model %s stopped", request.url.path,
                            stopped.fault.name)
                return error_page(request, 503, "Part of the service has stopped; operations "
                                  "staff have been told. Other pages still work.")
            except Exception:
                log.exception("Unexpected error on page %s %s", request.method,
                              request.url.path)
                return error_page(request, 500, "Something went wrong, and it was logged. "
                                  "Nothing you sent was recorded unless the page you went on "
                                  "to says so.")

        return page


def page_router() -> APIRouter:
    return APIRouter(route_class=PageRoute, dependencies=[Depends(csrf_checked)],
                     include_in_schema=False)
