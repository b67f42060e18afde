"""What the pages of issue 12's records share: a record's page (its facts, the forms the person
may give on it, its parts as summary cards), and its forms, each derived from its command
(`api.web.derived`) and added as the other records' forms are (`record_forms.add_routes`).

A record's page is authorised on the record just loaded (`api.access.authorised`), shows it as
the policy lets the person see it (`api.policy.redact`), and records the view in the access
log. A form is offered only where the policy lets the person give its command on the record,
and the record's state asks for it (`Offer.wanted`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.access import authorised, facts_of, record_view
from api.auth import Principal
from api.policy import Action, Decision, decide, redact
from api.web.derived import values_of
from api.web.pages.common import application
from api.web.pages.create_forms import CreateForm, add_create_routes
from api.web.pages.record_forms import RecordForm, add_routes
from api.web.session import Person
from api.web.templating import render
from domain.history import state_of

Rows = list[tuple[str, Any]]


class Said:
    """What the record's events said, by event name and a key (read once, when first asked)."""

    def __init__(self, app: Any, record_id: UUID) -> None:
        self.app, self.record_id = app, record_id
        self._events: list[Any] | None = None

    def of(self, name: str, key: str, value: str) -> Any | None:
        """The latest event `name` whose `key` is `value`."""
        if self._events is None:
            self._events = self.app.stored_events(self.record_id)
        found = [e for e in self._events if type(e).__name__ == name
                 and str(getattr(e, key, "")) == value]
        return found[-1] if found else None


@dataclass(frozen=True)
class Card:
    title: str
    rows: Rows
    state: tuple[str, str] | None = None
    """A tag: its colour's state ('done', 'due', 'overdue'...) and its words."""


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    cards: list[Card]
    empty: str = "None yet."


@dataclass(frozen=True)
class View:
    caption: str
    title: str
    facts: Rows
    back: str
    back_text: str
    parts: list[Part] = field(default_factory=list)
    state: tuple[str, str] | None = None
    actions: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Offer:
    """A form on the record, and when the record's state asks for it."""

    form: RecordForm
    wanted: Callable[[Any, Principal], bool] = lambda record, who: True


@dataclass(frozen=True)
class RecordPages:
    kind: str
    collection: str
    offers: tuple[Offer, ...]
    view: Callable[[Any, dict[str, Any], Principal, Said], View]
    """The page, from the record, its state as the person may see it, the person, and the
    words its events hold that its state does not keep (a query's question, say)."""
    caption: Callable[[Any], str]
    done: dict[str, str]
    """What the page says once a form's command was recorded, by the form's slug."""


def offered(pages: RecordPages, record: Any, who: Principal) -> list[tuple[str, str]]:
    """The forms the person may give on the record now: (title, link)."""
    facts = facts_of(pages.kind, record)
    return [(o.form.title, f"/app/{pages.collection}/{record.id}/{o.form.slug}")
            for o in pages.offers
            if decide(who, Action.WRITE, facts, o.form.command.verb) == Decision.ALLOW
            and not getattr(record, "ended", False) and o.wanted(record, who)]


def add_record_pages(router: APIRouter, pages: RecordPages) -> None:
    """The record's page and each of its forms."""

    def show(request: Request, record_id: UUID, who: Person, done: str | None = None,
             after: int | None = None) -> Response:
        app = application(request)
        record = authorised(app, who, Action.READ, pages.kind, record_id)
        shown = redact(who, pages.kind, state_of(record))
        record_view(app, record_id, request.scope["route"].path, who)
        view = pages.view(record, shown, who, Said(app, record_id))
        view.actions.extend(offered(pages, record, who))
        return render(request, "seed_record.html", {"view": view,
                                                    "banner": pages.done.get(done or "")})

    show.__doc__ = f"A {pages.kind.replace('-', ' ')}'s page."
    router.add_api_route(f"/app/{pages.collection}/{{record_id}}", show, methods=["GET"],
                         name=f"page:{pages.kind}")
    for offer in pages.offers:
        add_routes(router, pages.kind, pages.collection, typed_back(offer.form), pages.caption)


def typed_back(form: RecordForm) -> RecordForm:
    """The form with what was typed put back in its command's shape (`derived.values_of`):
    numbers, lists, nested values and rows), before the values the page makes itself."""
    made = form.extra
    return dataclasses.replace(form, extra=lambda record, filled: {
        **values_of(form.command, filled), **made(record, filled)})


def add_derived_create(router: APIRouter, form: CreateForm) -> None:
    """A form that opens a record, its values typed back as `typed_back` does."""
    made = form.extra
    add_create_routes(router, dataclasses.replace(form, extra=lambda filled: {
        **values_of(form.command, filled), **made(filled)}))


def options(pairs: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(text)) for value, text in pairs)
