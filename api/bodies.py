"""The HTTP body of each command, derived from its dataclass in this one place.

A body holds the command's fields but `by` (the signed-in caller) and `record_id` (the URL),
with `at` optional (when the fact happened; the time of the request by default). Field types,
bounds and nested values are the dataclass's own, so pydantic checks them with the domain's
rules (`domain.text`) and names the field it refuses (422). Each body carries an example in the
OpenAPI schema: the command's own `example`, or one made from its field types.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import cache
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, create_model

from domain.commands import Command
from domain.errors import InputRefused

NOT_IN_BODY = ("by", "record_id")
def _written(value: Any) -> Any:
    """A time is written, as ISO 8601 with its zone: a bare number (or a string of one, as a
    query parameter arrives) is not taken as seconds since 1970."""
    if value is None or isinstance(value, datetime):
        return value
    if not isinstance(value, str) or _NUMBER.fullmatch(value.strip()):
        raise ValueError("is not a date and time (ISO 8601, with its zone)")
    return value


_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?")

WrittenTime = Annotated[datetime | None, BeforeValidator(_written)]
"""A time given in a query parameter: ISO 8601 only."""


WHEN = (Annotated[AwareDatetime | None, BeforeValidator(_written)], Field(None, description=(
    "When the fact happened (default: now), in ISO 8601 with its zone. A past date is kept as "
    "the fact's time; a time after now (beyond a small clock skew) or before 1900 is refused.")))


@cache
def body_of(command: type[Command]) -> type[BaseModel]:
    """The request body of `command`, with its example."""
    hints = typing.get_type_hints(command, include_extras=True)
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(command):
        if item.name in NOT_IN_BODY:
            continue
        if item.name == "at":
            fields["at"] = WHEN
            continue
        fields[item.name] = (hints[item.name], _default(item))
    config = ConfigDict(extra="forbid", json_schema_extra={"examples": [example_of(command)]})
    model: type[BaseModel] = create_model(f"{command.__name__}Body", __config__=config,
                                          __doc__=command.__doc__, **fields)
    return model


def _default(item: dataclasses.Field[Any]) -> Any:
    if item.default is not dataclasses.MISSING:
        return item.default
    if item.default_factory is not dataclasses.MISSING:
        return Field(default_factory=item.default_factory)
    return ...


def command_from(command: type[Command], body: BaseModel, *, by: str, at: datetime,
                 record_id: UUID | None = None) -> Command:
    """The command a body asks for; `InputRefused` names a field the domain refuses."""
    values = {name: getattr(body, name) for name in type(body).model_fields if name != "at"}
    if record_id is not None:
        values["record_id"] = record_id
    return command(**values, by=by, at=at)


def when(body: BaseModel, now: datetime, skew: timedelta) -> datetime:
    """The fact's time: the body's `at`, or now; never later than now by more than `skew`."""
    at: datetime | None = getattr(body, "at", None)
    if at is None:
        return now
    if at > now + skew:
        raise InputRefused("at", f"is later than now (by more than {skew.total_seconds():.0f} "
                           "seconds of clock skew)")
    return at


# --- examples --------------------------------------------------------------------------------


def example_of(command: type[Command]) -> dict[str, Any]:
    """The command's own example, or one made from its field types (optional fields left out,
    dates a fortnight ahead)."""
    if command.example is not None:
        return dict(command.example)
    hints = typing.get_type_hints(command)
    return {item.name: _example(item.name, hints[item.name])
            for item in dataclasses.fields(command)
            if item.name not in (*NOT_IN_BODY, "at") and not _optional(hints[item.name])}


def _optional(hint: Any) -> bool:
    return (typing.get_origin(hint) in (typing.Union, types.UnionType)
            and type(None) in typing.get_args(hint))


def _example(name: str, hint: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Annotated:
        return _example(name, args[0])
    if origin in (tuple, list):
        return [_example(name.rstrip("s"), args[0])]
    if origin is dict:
        return {}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return next(iter(hint)).value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        nested = typing.get_type_hints(hint)
        return {f.name: _example(f.name, nested[f.name]) for f in dataclasses.fields(hint)
                if f.default is dataclasses.MISSING}
    return _scalar_example(name, hint)


def _scalar_example(name: str, hint: Any) -> Any:
    if hint is bool:
        return True
    if hint is int:
        return 1
    if hint is date:
        return (datetime.now(UTC).date() + timedelta(days=14)).isoformat()
    if hint is UUID:
        return "00000000-0000-4000-8000-000000000000"
    words = name.replace("_", " ")
    if name.endswith(("_id", "_ref")):
        return f"{name.rsplit('_', 1)[0].replace('_', '-')}-1"
    return f"The {words}"
