"""The pages' templates: Jinja2 with GOV.UK Frontend's macros (govuk-frontend-jinja, for
GOV.UK Frontend 6), rendered whole or one block at a time for htmx (jinja2-fragments).

`render` gives every page what the layout needs: who is signed in, their navigation and the
CSRF token of the page's forms (setting its cookie when the visitor has none yet).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import Response

from api.web import navigation, wording


def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([
            PackageLoader("api.web", "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]),
        autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
    env.filters.update(wording.FILTERS)
    env.filters["choices"] = choices
    return env


def choices(options: Any, chosen: str, select: bool = False) -> list[dict[str, Any]]:
    """A field's options as GOV.UK radios, checkboxes or select items, the chosen marked."""
    mark = "selected" if select else "checked"
    ticked = chosen.split("\n")  # checkboxes: every value ticked, one a line
    items = [{"value": value, "text": text, mark: value in ticked} for value, text in options]
    if select:
        items.insert(0, {"value": "", "text": "Choose one", "selected": not chosen})
    return items


TEMPLATES = Jinja2Blocks(env=environment())


def today() -> Any:
    return datetime.now(wording.UK).date()


def wants_block(request: Request) -> bool:
    """An htmx request for part of a page (not a whole-page navigation)."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-Request-Type", "partial") == "partial")


def render(request: Request, name: str, context: dict[str, Any] | None = None,
           status: int = 200, block: str | None = None) -> Response:
    """The template `name` (only `block` of it when htmx asks for a part)."""
    who = getattr(request.state, "who", None)
    token, signed = request.app.state.csrf.token(request)
    values = {"who": who, "nav": navigation.links(who, request.url.path), "csrf_token": token,
              "today": today(), **(context or {})}
    chosen = block if block and wants_block(request) else None
    response = TEMPLATES.TemplateResponse(request, name, values, status_code=status,
                                          block_name=chosen)
    if signed is not None:
        request.app.state.csrf.set_cookie(signed, response)
    return response
