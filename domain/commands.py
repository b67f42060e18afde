"""What a command is: one frozen dataclass, checked when it is made.

Every command carries `by` (who gives it: a username, or `process:<name>`) and `at` (when the
fact happened, as the person says; the recorded time is the store's). A command on an existing
record carries its `record_id`. Each is declared once, beside its aggregate
(`domain/<aggregate>_commands.py`); the HTTP body, the workflow update's argument and the
activity's input are that dataclass, or derived from it mechanically (`api/bodies.py`,
`workflows/acting.py`).

Making a command checks its fields against their types: text (`domain.text`), enumerations,
dates, aware times no earlier than 1900, bounded lists, nested values. A field that fails raises
`InputRefused` naming it (HTTP 422), before any record is touched. The rules of the records
(order, state, who) are the aggregates' (HTTP 409).

Class keywords say how a command is used:
- `kind`: the record kind it belongs to ("safeguarder", "case", ...);
- `creates`: it makes a new record;
- `by_process`: only a process gives it (breaches, shortfalls, chasing...): it has no door for
  people;
- `verb`: its name in URLs (default: the class name in kebab case).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Annotated, Any, ClassVar
from uuid import UUID

from domain.errors import InputRefused
from domain.text import Short

EARLIEST_YEAR = 1900  # no fact Assured keeps happened before this

REGISTRY: dict[str, type[Command]] = {}
"""Every concrete command class, by class name (names are unique)."""


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Checked:
    """A frozen dataclass whose fields are checked against their types when it is made."""

    def __post_init__(self) -> None:
        hints = _hints(type(self))
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            checked = check(item.name, hints[item.name], value)
            if checked is not value:
                object.__setattr__(self, item.name, checked)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Command(Checked):
    """An instruction to the domain: who gives it, and when the fact happened."""

    by: Short
    at: datetime

    kind: ClassVar[str] = ""
    creates: ClassVar[bool] = False
    by_process: ClassVar[bool] = False
    verb: ClassVar[str] = ""
    example: ClassVar[dict[str, Any] | None] = None
    """A body for the API's documentation, when the mechanical one would read badly."""

    def __init_subclass__(cls, *, kind: str | None = None, creates: bool | None = None,
                          by_process: bool | None = None, verb: str | None = None,
                          abstract: bool = False, **rest: Any) -> None:
        super().__init_subclass__(**rest)
        if kind is not None:
            cls.kind = kind
        if creates is not None:
            cls.creates = creates
        if by_process is not None:
            cls.by_process = by_process
        cls.verb = verb or kebab(cls.__name__)
        if abstract:
            return
        if cls.__name__ in REGISTRY:
            raise TypeError(f"Two commands are named {cls.__name__}")
        REGISTRY[cls.__name__] = cls


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecordCommand(Command, abstract=True):
    """A command on an existing record."""

    record_id: UUID


def check_time(at: Any) -> datetime:
    if not isinstance(at, datetime):
        raise InputRefused("", "is not a date and time")
    if at.tzinfo is None or at.utcoffset() is None:
        raise InputRefused("", "needs its time zone")
    if at.year < EARLIEST_YEAR:
        raise InputRefused("", f"cannot be before {EARLIEST_YEAR}")
    return at


def check(path: str, hint: Any, value: Any) -> Any:
    """`value` as a field of type `hint` (enumerations, ids and tuples made from their plain
    forms), or `InputRefused` naming `path`."""
    try:
        return _check(hint, value)
    except InputRefused as refused:
        raise refused.within(path) from None


def _check(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is Annotated:
        inner, *meta = typing.get_args(hint)
        value = _check(inner, value)
        for rule in meta:
            if hasattr(rule, "check"):
                try:
                    rule.check(value)
                except ValueError as fault:
                    raise InputRefused("", str(fault)) from None
        return value
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        chosen = [o for o in options if o is not type(None)]
        if len(chosen) != 1:
            return value  # no such unions in commands; left to the aggregate
        return _check(chosen[0], value)
    if origin in (tuple, list):
        if not isinstance(value, (tuple, list)):
            raise InputRefused("", "is not a list")
        item = typing.get_args(hint)[0] if typing.get_args(hint) else Any
        return tuple(check(str(i), item, v) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise InputRefused("", "is not a mapping")
        key, item = typing.get_args(hint) or (Any, Any)
        return {check(str(k), key, k): check(str(k), item, v) for k, v in value.items()}
    return _scalar(hint, value)


def _scalar(hint: Any, value: Any) -> Any:
    if hint is Any:
        return value
    if isinstance(hint, type) and issubclass(hint, Enum):
        if isinstance(value, hint):
            return value
        try:
            return hint(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in hint)
            raise InputRefused("", f"is not one of {allowed}") from None
    if hint is bool:
        if not isinstance(value, bool):
            raise InputRefused("", "is not true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputRefused("", "is not a whole number")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise InputRefused("", "is not text")
        return value
    if hint is datetime:
        return check_time(value)
    if hint is date:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise InputRefused("", "is not a date")
        if value.year < EARLIEST_YEAR:
            raise InputRefused("", f"cannot be before {EARLIEST_YEAR}")
        return value
    if hint is UUID:
        if isinstance(value, UUID):
            return value
        try:
            return UUID(str(value))
        except ValueError:
            raise InputRefused("", "is not an id") from None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if isinstance(value, hint):
            return value
        if isinstance(value, dict):
            unknown = sorted(set(value) - {f.name for f in dataclasses.fields(hint)})
            if unknown:
                raise InputRefused(str(unknown[0]), "is not a field of it")
            missing = [f.name for f in dataclasses.fields(hint) if f.name not in value
                       and f.default is dataclasses.MISSING
                       and f.default_factory is dataclasses.MISSING]
            if missing:
                raise InputRefused(missing[0], "is missing")
            return hint(**value)
        raise InputRefused("", f"is not a {hint.__name__}")
    return value
