"""A page per command that opens a record: its form (GET) and the record made (POST).

The counterpart of `record_forms` for a referral, an audit plan, a case: the person must be one
who opens records of the kind (`api.policy.may_create`, 403 otherwise); the command is made from
what was typed and given through the API's door (`api.acting.create`), which also starts the
record's process. A refusal shows the form again with everything typed and the rule next to its
field (422); a record made goes on to its page, which waits to show it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from api.policy import may_create
from api.web import forms, giving
from api.web.forms import Field, Filled
from api.web.pages.common import application
from api.web.routing import error_page
from api.web.session import Person
from api.web.templating import render, today
from domain.commands import Command


@dataclass(frozen=True)
class CreateForm:
    path: str
    """Where the form is, e.g. '/app/reviews/new'."""
    command: type[Command]
    title: str
    button: str
    fields: tuple[Field, ...]
    then: Callable[[Any], str]
    """The made record's page, from its id."""
    back: str
    caption: str = ""
    extra: Callable[[Filled], dict[str, Any]] = field(default=lambda filled: {})
    """Values made from the fields (a list typed one a line, say); may refuse a field."""
    rules: tuple[tuple[str, str], ...] = ()
    intro: tuple[str, ...] = ()


def add_create_routes(router: APIRouter, form: CreateForm) -> None:
    def page(request: Request, filled: Filled, status: int = 200) -> Response:
        return render(request, "record_form.html", {
            "form": form, "filled": filled, "caption": form.caption, "intro": form.intro,
            "back": form.back, "errors": bool(filled.errors)}, status=status)

    def refused(request: Request) -> Response:
        return error_page(request, 403, "Your role does not open records of this kind.")

    def show(request: Request, who: Person) -> Response:
        if not may_create(who, form.command.kind):
            return refused(request)
        return page(request, forms.blank(form.fields))

    async def give(request: Request, who: Person) -> Response:
        if not may_create(who, form.command.kind):
            return refused(request)
        filled = forms.read(form.fields, await request.form(), today())
        extra = form.extra(filled)
        c = giving.make(form.command, filled, who, **extra)
        done = await giving.give(request, application(request), who, c, filled, form.rules)
        if done is None:
            return page(request, filled, status=422)
        after = f"?after={done.notification_id}" if done.notification_id else ""
        return RedirectResponse(form.then(done.id) + after, 303)

    show.__doc__ = give.__doc__ = form.title
    router.add_api_route(form.path, show, methods=["GET"], name=f"page:{form.path}")
    router.add_api_route(form.path, give, methods=["POST"], name=f"page:{form.path}:give")


def lines(filled: Filled, name: str) -> tuple[str, ...]:
    """A field typed one item a line (or separated by commas), as a tuple of its items."""
    typed = filled.values.get(name)
    if not isinstance(typed, str):
        return ()
    parts = typed.replace(",", "\n").splitlines() if "\n" not in typed else typed.splitlines()
    return tuple(p.strip() for p in parts if p.strip())


def whole_number(filled: Filled, name: str, label: str) -> dict[str, Any]:
    """The field as a whole number, or the refusal next to it."""
    typed = filled.values.get(name)
    if typed is None:
        return {}
    try:
        return {name: int(str(typed).strip())}
    except ValueError:
        filled.refuse(name, f"{label} must be a whole number, like 6")
        return {}


def given_or_none(filled: Filled, *names: str) -> dict[str, Any]:
    """Optional text left empty is not given at all (None), as the commands expect."""
    return {n: (filled.values.get(n) or None) for n in names}
