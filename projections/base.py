"""The base of every read model: a name, a version, its DDL, and a handler per event class.

A read model is one module with one `Projection` subclass and a `.sql` file of the same name
beside it (the catalog finds it; nothing else changes). Its handlers are registered on
`process` by event class; the registered classes are the projection's topics, so the runner
selects and decodes nothing else, and calls each handler by topic:

    CaseEvents: Any = Case  # the library makes event classes at run time: mypy cannot see them

    class CaseSupervision(Projection):
        name = "case_supervision"
        version = 1

        @singledispatchmethod
        def process(self, event: object, page: Page) -> None: ...

        @process.register(CaseEvents.Opened)
        def _opened(self, event: Any, page: Page) -> None:
            page.insert("case_state", case_id=event.originator_id, ...)

Handlers never touch the database: they describe rows on the `Page` (page.py), which the runner
writes in bulk with the position. The DDL uses unqualified names: the runner runs it with
`search_path` set to the schema it builds in, so a rebuild builds beside the live tables and
then swaps them in (schema.py). Query functions beside the projection take a psycopg
connection and read the live tables.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import singledispatchmethod
from pathlib import Path
from typing import Any, ClassVar

from eventsourcing.utils import get_topic
from psycopg import Cursor

from projections.page import Page

Handler = Callable[[Any, Any, Page], None]


class Projection:
    """One read model. Subclasses set `name`, `version` and register handlers on `process`."""

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    """Raise it when the tables or the handlers change: the runner then rebuilds from zero."""

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event (the base takes none: register a handler per event class)."""

    def end_page(self, cursor: Cursor[Any]) -> None:
        """Called after a page's rows are written, before its position: derived writes go here."""

    @classmethod
    def ddl(cls) -> str:
        """The `.sql` file beside the projection's module (or beside its parent's, for a
        subclass elsewhere)."""
        for kind in cls.__mro__:
            if issubclass(kind, Projection) and kind is not Projection:
                path = Path(inspect.getfile(kind)).with_suffix(".sql")
                if path.exists():
                    return path.read_text()
        raise FileNotFoundError(f"No .sql file beside {cls.__module__} or its parents' modules")

    @classmethod
    def handlers(cls) -> dict[str, Handler]:
        """Each handled event class's topic, with its handler."""
        method = next((vars(k)["process"] for k in cls.__mro__ if "process" in vars(k)), None)
        if not isinstance(method, singledispatchmethod):
            return {}
        registry = method.dispatcher.registry
        return {get_topic(kind): registry[kind] for kind in registry if kind is not object}

    @classmethod
    def topics(cls) -> list[str]:
        return sorted(cls.handlers())

    @property
    def tracking_table(self) -> str:
        """The position table, in the layout of eventsourcing's single-row tracking table."""
        return f"{self.name}_tracking"
