"""Every command of the core, as a catalogue the routes are built from.

Each aggregate method that takes `by` and `at` is a command; its parameters become the request
body (with `at`, when the fact happened, defaulting to the time of the request). Enumerated
values are checked as such (422 names the field); rules are the domain's (409 names the rule).
Commands that span records go through the application's own methods.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, create_model

from domain.application import Assured, Receipt
from domain.audit import AuditRecord
from domain.case import Case
from domain.panel import GroupSession, Mentor, PanelRegion
from domain.policy import Policy
from domain.record import Record
from domain.review import Review
from domain.safeguarder import Safeguarder

COLLECTIONS: dict[str, tuple[str, type[Record], str]] = {
    # kind: (URL collection, aggregate, factory)
    "safeguarder": ("safeguarders", Safeguarder, "apply_to_panel"),
    "case": ("cases", Case, "open"),
    "review": ("reviews", Review, "refer"),
    "audit": ("audits", AuditRecord, "plan"),
    "region": ("regions", PanelRegion, "establish"),
    "group-session": ("group-sessions", GroupSession, "plan"),
    "mentor": ("mentors", Mentor, "recruit"),
}
NOT_COMMANDS = {"record_process_step", "admit"}  # admit: through attend-group-session
WHEN = (datetime | None, Field(None, description="When the fact happened (default: now)."))


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Command:
    kind: str
    name: str          # as in the URL: record-interview
    model: type[BaseModel]
    run: Callable[[Assured, UUID | None, dict[str, Any], str, datetime], Receipt]
    creates: bool = False
    summary: str = ""


def _field_type(hint: Any) -> Any:
    """`Region | str` is offered as `Region`, so a wrong code is malformed input (422)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        enums = [a for a in typing.get_args(hint) if isinstance(a, type) and issubclass(a, StrEnum)]
        if enums:
            return enums[0] | None if type(None) in typing.get_args(hint) else enums[0]
    return hint


def _parameters(method: Callable[..., Any]) -> tuple[dict[str, Any], bool] | None:
    """Body fields of a command, and whether it takes the policy; None if it spans records."""
    hints = typing.get_type_hints(method)
    fields: dict[str, Any] = {}
    for name, param in inspect.signature(method).parameters.items():
        if name in ("self", "cls", "by", "at", "policy"):
            continue
        hint = hints[name]
        if isinstance(hint, type) and issubclass(hint, Record):
            return None
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[name] = (_field_type(hint), default)
    return fields, "policy" in inspect.signature(method).parameters


def _model(kind: str, name: str, fields: dict[str, Any]) -> type[BaseModel]:
    title = "".join(w.capitalize() for w in f"{kind}-{name}".replace("_", "-").split("-"))
    return create_model(title, __base__=Body, at=WHEN, **fields)


def _command(kind: str, aggregate: type[Record], method_name: str) -> Command | None:
    method = getattr(aggregate, method_name)
    found = _parameters(method)
    if found is None:
        return None
    fields, takes_policy = found
    url_name = method_name.replace("_", "-")
    creates = method_name == COLLECTIONS[kind][2]

    def run(app: Assured, record_id: UUID | None, body: dict[str, Any], by: str,
            at: datetime, expected_version: int | None = None) -> Receipt:
        extra = {"policy": app.policy} if takes_policy else {}
        if creates:
            return app.record(getattr(aggregate, method_name)(**body, by=by, at=at, **extra))
        assert record_id is not None
        return app.change(record_id,
                          lambda record: getattr(record, method_name)(**body, by=by, at=at,
                                                                      **extra),
                          aggregate, expected_version)

    doc = (inspect.getdoc(method) or f"{method_name.replace('_', ' ').capitalize()}.")
    return Command(kind, url_name, _model(kind, url_name, fields), run, creates,
                   doc.splitlines()[0])


def _spanning() -> list[Command]:
    """Commands that change or consult two records; the application saves them together."""
    def allocate(app: Assured, rid: UUID | None, b: dict[str, Any], by: str, at: datetime,
                 expected_version: int | None = None) -> Receipt:
        assert rid is not None
        return app.allocate(rid, b["manager"], b["reason"], by=by, at=at)

    def attend(app: Assured, rid: UUID | None, b: dict[str, Any], by: str, at: datetime,
               expected_version: int | None = None) -> Receipt:
        assert rid is not None
        return app.attend_group_session(rid, b["session_id"], by=by, at=at)

    def assign(app: Assured, rid: UUID | None, b: dict[str, Any], by: str, at: datetime,
               expected_version: int | None = None) -> Receipt:
        assert rid is not None
        return app.assign_mentor(rid, b["mentor_id"], by=by, at=at)

    return [
        Command("safeguarder", "allocate",
                _model("safeguarder", "allocate", {"manager": (str, ...), "reason": (str, "")}),
                allocate, summary="Allocate to a support manager of the Safeguarder's region."),
        Command("safeguarder", "attend-group-session",
                _model("safeguarder", "attend-group-session", {"session_id": (UUID, ...)}),
                attend, summary="Record attendance at a group session (at most four)."),
        Command("safeguarder", "assign-mentor",
                _model("safeguarder", "assign-mentor", {"mentor_id": (UUID, ...)}),
                assign, summary="Assign an accredited peer mentor (first year)."),
    ]


def catalogue() -> list[Command]:
    commands: list[Command] = []
    for kind, (_, aggregate, factory) in COLLECTIONS.items():
        names = [factory] + [n for n, m in vars(aggregate).items()
                             if inspect.isfunction(m) and not n.startswith("_")
                             and n not in NOT_COMMANDS
                             and "by" in inspect.signature(m).parameters]
        commands += [c for n in names if (c := _command(kind, aggregate, n)) is not None]
    return commands + _spanning()


__all__ = ["COLLECTIONS", "Command", "Policy", "catalogue"]
