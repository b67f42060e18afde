"""A page per command on a record: its form (GET) and the command given (POST).

A `RecordForm` names the command and its fields; the routes authorise the person on the
record for that command (403 or 404 otherwise), show the form, and on POST make the command
from what was typed and give it through the API's door (`api.acting`). A refusal shows the form
again with everything typed and the rule next to its field (422); a command recorded goes on
to the record's page, which waits to show it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.access import authorised
from api.policy import Action
from api.web import forms, giving
from api.web.forms import Field, Filled
from api.web.pages.common import application
from api.web.session import Person
from api.web.templating import render, today
from domain.commands import Command


@dataclass(frozen=True)
class RecordForm:
    slug: str
    command: type[Command]
    title: str
    button: str
    fields: Callable[[Any], tuple[Field, ...]]
    """The form's fields, from the record (a choice among its sessions, say)."""
    extra: Callable[[Any, Filled], dict[str, Any]] = field(default=lambda record, filled: {})
    """Values the form does not ask for (an id made for a new session, say)."""
    rules: tuple[tuple[str, str], ...] = ()
    """A phrase of a rule, and the field the rule concerns."""
    intro: Callable[[Any], list[str]] = field(default=lambda record: [])
    then: str = ""
    """Where the record's page goes next: '' (its page) or a tail such as '/evidence-pack'."""
    person: tuple[str, ...] = ()
    """The command's fields that are the person signed in (the party signing), never asked."""


def add_routes(router: APIRouter, kind: str, collection: str, form: RecordForm,
               caption: Callable[[Any], str]) -> None:
    path = f"/app/{collection}/{{record_id}}/{form.slug}"

    def load(request: Request, record_id: UUID, who: Any) -> Any:
        return authorised(application(request), who, Action.WRITE, kind, record_id,
                          form.command.verb)

    def page(request: Request, record: Any, filled: Filled, status: int = 200) -> Response:
        return render(request, "record_form.html", {
            "form": form, "filled": filled, "caption": caption(record), "intro":
            form.intro(record), "back": f"/app/{collection}/{record.id}{form.then}",
            "errors": bool(filled.errors)}, status=status)

    def show(request: Request, record_id: UUID, who: Person) -> Response:
        record = load(request, record_id, who)
        return page(request, record, forms.blank(form.fields(record)))

    async def give(request: Request, record_id: UUID, who: Person) -> Response:
        posted = await request.form()
        record = await run_in_threadpool(load, request, record_id, who)
        filled = forms.read(form.fields(record), posted, today())
        c = giving.make(form.command, filled, who, record_id=record_id,
                        **form.extra(record, filled),
                        **{name: who.username for name in form.person})
        done = await giving.give(request, application(request), who, c, filled, form.rules)
        if done is None:
            return page(request, record, filled, status=422)
        after = f"after={done.notification_id}&" if done.notification_id else ""
        return RedirectResponse(f"/app/{collection}/{record_id}{form.then}?{after}"
                                f"done={form.slug}", 303)

    show.__doc__ = give.__doc__ = form.title
    router.add_api_route(path, show, methods=["GET"], name=f"page:{kind}:{form.slug}")
    router.add_api_route(path, give, methods=["POST"], name=f"page:{kind}:{form.slug}:give")
