"""`Idempotency-Key` on POST commands: a repeat returns the first answer and records nothing.

The first request with a key claims it (a row in `api_idempotency`, unique per caller and key)
before running the command; the answer is stored with it. (The table is made by
`assured db migrate`: infra/migrations.py.) A repeat with the same request gets
that answer; the same key with a different request, or while the first is still running, 409.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Header
from pydantic import BaseModel

from api.auth import Principal
from api.problems import Problem
from domain.application import Assured

# Typed `str` (not `str | None`) so the schema offers a string header, never a null one.
IdempotencyKey = Annotated[str, Header(max_length=200, pattern=r"^[\x21-\x7e]+$",
                                       description="Repeat-safe: a repeat returns the first "
                                       "answer and records nothing.")]

async def once(app: Assured, key: str | None, who: Principal, route: str, body: BaseModel,
               command: Callable[[], Awaitable[BaseModel]]) -> Any:
    if key is None:
        return await command()
    fingerprint = hashlib.sha256(f"{route}|{body.model_dump_json()}".encode()).hexdigest()
    first = await to_thread.run_sync(_claim, app, who.username, key, fingerprint)
    if first is not None:
        if first["fingerprint"] != fingerprint:
            raise Problem(409, "Idempotency key reused",
                          "This Idempotency-Key was used for a different request.")
        if first["answer"] is None:
            raise Problem(409, "Request in progress",
                          "A request with this Idempotency-Key is still running.")
        return first["answer"]
    try:
        answer = await command()
    except BaseException:
        await to_thread.run_sync(_forget, app, who.username, key)
        raise
    await to_thread.run_sync(_keep, app, who.username, key, answer.model_dump(mode="json"))
    return answer


def _claim(app: Assured, caller: str, key: str, fingerprint: str) -> dict[str, Any] | None:
    """Claim the key; None if this request claimed it, else the first request's row."""
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute("INSERT INTO api_idempotency (caller, key, fingerprint) VALUES (%s, %s, %s) "
                     "ON CONFLICT DO NOTHING RETURNING key", (caller, key, fingerprint))
        if curs.fetchone() is not None:
            return None
        curs.execute("SELECT fingerprint, answer FROM api_idempotency "
                     "WHERE caller = %s AND key = %s", (caller, key))
        return curs.fetchone()  # type: ignore[no-any-return]


def _forget(app: Assured, caller: str, key: str) -> None:
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute("DELETE FROM api_idempotency WHERE caller = %s AND key = %s", (caller, key))


def _keep(app: Assured, caller: str, key: str, answer: dict[str, Any]) -> None:
    with app.recorder.datastore.transaction(commit=True) as curs:  # type: ignore[attr-defined]
        curs.execute("UPDATE api_idempotency SET answer = %s WHERE caller = %s AND key = %s",
                     (json.dumps(answer), caller, key))
