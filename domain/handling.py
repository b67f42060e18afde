"""How the application's named methods are made, and the registry of which method carries out
which command.

A command on one record is `name = acts_on(Kind, Kind.method)`: load the record (or take the
one the caller already loaded and authorised), run the aggregate's method, save. A command that
makes a record is `name = makes(Kind, Kind.factory)`. Commands that span records are written out
and marked `@handles`. The command each method takes is read from the aggregate method's own
annotation, so nothing pairs them by hand.

Each method takes `(command, *, on=None, step=None)`:
- `on`: the record as the caller loaded it; the command runs on it at that version, so a writer
  who got there first turns the save into a conflict (409) instead of a lost update;
- `step`: a process's step (`Step`), saved with the command; a step already on the record
  makes the call a no-op returning None, so a retried activity records nothing twice.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, Generic, TypeVar
from uuid import UUID

from domain.commands import Command

A = TypeVar("A")


@dataclass(frozen=True)
class Receipt:
    """What a saved command returns: the record's new version, the last notification id (a
    reader can wait for it to see its own write), and when it was recorded."""

    aggregate_id: UUID
    version: int
    notification_id: int | None
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class Created(Receipt):
    """The receipt of a command that made a record, with the record itself (no reload)."""

    record: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Step:
    """A step of a durable process, recorded as `ProcessStepRecorded` in the same save as the
    command it comes with. `step_id` is unique per record and makes a retry record nothing."""

    step_id: str
    process: str
    name: str
    details: dict[str, Any] = field(default_factory=dict)


def command_type(function: Callable[..., Any]) -> type[Command]:
    """The command a method or an aggregate method takes: its parameter `c`."""
    hint = typing.get_type_hints(function)["c"]
    if not (isinstance(hint, type) and issubclass(hint, Command)):
        raise TypeError(f"{function.__qualname__} takes no command as `c`")
    return hint


def _takes_policy(function: Callable[..., Any]) -> bool:
    return "policy" in inspect.signature(function).parameters


class acts_on(Generic[A]):
    """The application's method for a command on one record of `kind`."""

    def __init__(self, kind: type[A], method: Callable[..., None]) -> None:
        self.kind, self.method = kind, method
        self.command = command_type(method)
        self.takes_policy = _takes_policy(method)
        self.__doc__ = self.command.__doc__

    def __get__(self, app: Any, owner: type | None = None) -> Any:
        return self if app is None else partial(self.run, app)

    def run(self, app: Any, c: Any, *, on: Any = None, step: Step | None = None) -> Receipt | None:
        extra = {"policy": app.policy} if self.takes_policy else {}
        return app.change(self.kind, c, lambda record: self.method(record, c, **extra),
                          on=on, step=step)


class makes(Generic[A]):
    """The application's method for a command that makes a record of `kind`."""

    def __init__(self, kind: type[A], factory: Callable[..., A]) -> None:
        self.kind, self.factory = kind, factory
        self.command = command_type(factory)
        self.takes_policy = _takes_policy(factory)
        self.__doc__ = self.command.__doc__

    def __get__(self, app: Any, owner: type | None = None) -> Any:
        return self if app is None else partial(self.run, app)

    def run(self, app: Any, c: Any, *, on: Any = None, step: Step | None = None) -> Created:
        extra = {"policy": app.policy} if self.takes_policy else {}
        return app.make(lambda: self.factory(c, **extra), c, step)  # type: ignore[no-any-return]


def handles(method: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a written-out method as the one for the command its `c` parameter takes."""
    method.__handles__ = command_type(method)  # type: ignore[attr-defined]
    return method


def handlers_of(cls: type) -> dict[type[Command], str]:
    """Each command with the name of the method of `cls` that carries it out."""
    found: dict[type[Command], str] = {}
    for name, value in vars(cls).items():
        command = (value.command if isinstance(value, (acts_on, makes))
                   else getattr(value, "__handles__", None))
        if command is None:
            continue
        if command in found:
            raise TypeError(f"{command.__name__} has two methods: {found[command]} and {name}")
        found[command] = name
    return found
