"""The access log: every recorded read (domain `View`) of a record, a list or a report, by what
was read (a list under `domain.accounts.list_id(route)`), with its filters."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from psycopg import Connection

from domain.accounts import View
from projections.base import Projection
from projections.page import Page

ViewEvents: Any = View


class AccessLog(Projection):
    name = "access_log"
    version = 2

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one recorded read."""

    @process.register(ViewEvents.Recorded)
    def _recorded(self, event: Any, page: Page) -> None:
        page.insert("access_log", view_id=event.originator_id, record_id=event.record_id,
                    viewer=event.actor, route=event.route, filters=event.filters,
                    viewed_at=event.occurred_on)


def viewers(conn: Connection[Any], record_id: UUID) -> list[tuple[str, datetime, str]]:
    """Who read the record, oldest first: (viewer, when, route)."""
    rows = conn.execute("SELECT viewer, viewed_at, route FROM access_log WHERE record_id = %s "
                        "ORDER BY viewed_at, view_id", (record_id,)).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]
