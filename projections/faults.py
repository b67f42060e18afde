"""A read model that meets an event it cannot write stops alone, at that event.

The runner finds the event (it retries the stretch one event at a time, committing those
before it), keeps its position in `projection_fault` and logs it once. That read model then
answers no reads (`ProjectionStopped`, a 503 that names it) and takes no pages, while every
other read model goes on. `assured projections status`, `/readyz` and `/metrics` show it.
`assured projections resume NAME` (after a fix) or a rebuild clears it.

Nothing of the event's content is kept: its position, and the error's type and SQL state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg import Connection, sql

FAULTS = "projection_fault"

FAULTS_DDL = """
CREATE TABLE IF NOT EXISTS {schema}.projection_fault (
    name text PRIMARY KEY,
    notification_id bigint NOT NULL,
    error text NOT NULL,
    stopped_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True)
class Fault:
    name: str
    notification_id: int
    error: str
    stopped_at: datetime


class ProjectionStopped(RuntimeError):
    """The read model stopped at an event it could not write."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(f"The {fault.name} read model stopped at event {fault.notification_id} "
                         f"({fault.error})")
        self.fault = fault


def described(error: BaseException) -> str:
    """What went wrong, without the event's content: the error's type and its SQL state."""
    state = getattr(error, "sqlstate", None)
    return f"{type(error).__name__}{f' (SQLSTATE {state})' if state else ''}"


def ensure_table(conn: Connection[Any], schema: str) -> None:
    conn.execute(sql.SQL(FAULTS_DDL).format(schema=sql.Identifier(schema)))


def fault_of(conn: Connection[Any], schema: str, name: str) -> Fault | None:
    try:
        row = conn.execute(sql.SQL(
            "SELECT name, notification_id, error, stopped_at FROM {} WHERE name = %s").format(
            sql.Identifier(schema, FAULTS)), (name,)).fetchone()
    except psycopg.errors.UndefinedTable:
        return None
    return Fault(*row) if row else None


def record(conn: Connection[Any], schema: str, name: str, notification_id: int,
           error: str) -> Fault:
    ensure_table(conn, schema)
    row = conn.execute(sql.SQL(
        "INSERT INTO {} (name, notification_id, error) VALUES (%s, %s, %s) "
        "ON CONFLICT (name) DO UPDATE SET notification_id = EXCLUDED.notification_id, "
        "error = EXCLUDED.error, stopped_at = now() "
        "RETURNING name, notification_id, error, stopped_at").format(
        sql.Identifier(schema, FAULTS)), (name, notification_id, error)).fetchone()
    assert row is not None
    return Fault(*row)


def clear(conn: Connection[Any], schema: str, name: str) -> bool:
    ensure_table(conn, schema)
    found = conn.execute(sql.SQL("DELETE FROM {} WHERE name = %s").format(
        sql.Identifier(schema, FAULTS)), (name,))
    return bool(found.rowcount)
