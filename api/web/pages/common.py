"""What the pages share: the application, the store's cipher, reading the read models."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from psycopg import Connection

from api.reads import read_models
from domain.application import Assured

DONE = {
    # What a page says once a form's command was recorded (never anything the person typed).
    "support-session": "The support session was recorded.",
    "sampled-report": "The sampled report was recorded.",
    "mentoring": "The mentoring session was recorded.",
    "feedback": "The feedback was recorded.",
    "concern": "The concern was raised. Its escalation has started.",
    "recommendation": "The recommendation to Ministers was recorded.",
    "group-session": "The group session was planned.",
    "attendee": "The Safeguarder was added to the group session.",
    "attached": "The submission was attached to the Safeguarder's file.",
    "set-aside": "The submission was set aside.",
}


def application(request: Request) -> Assured:
    return request.app.state.assured  # type: ignore[no-any-return]


def cipher(request: Request) -> Any:
    return application(request).mapper.cipher


def policy(request: Request) -> Any:
    return request.app.state.settings.policy


@contextmanager
def reading(request: Request, names: Sequence[str],
            after: int | None = None) -> Iterator[Connection[Any]]:
    """A connection to the named read models, current (and showing `after`, a notification id
    the person's own command answered with)."""
    with read_models(request.app, names, after) as conn:
        yield conn


def banner(done: str | None) -> str | None:
    return DONE.get(done or "")
