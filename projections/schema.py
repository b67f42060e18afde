"""Where read tables live, how they are created, and how a rebuilt set replaces the live one.

- The live tables sit in the event store's schema (`public` by default), beside the events.
- `projection_registry` there records, per projection, the version its live tables were built
  by and the tables it owns.
- Each projection's position is a row in `<name>_tracking`, in the layout of eventsourcing's
  single-row tracking table (`application_name`, `notification_id`), so the library's
  `PostgresTrackingRecorder` can read it too.
- A rebuild builds in a private schema `rebuild_<name>` with the same DDL (the `.sql` files use
  unqualified names), then swaps: in one transaction it drops the live tables and moves the
  new ones in with `ALTER TABLE … SET SCHEMA` (indexes, constraints and owned sequences move
  with them). Readers see the old tables or the new ones, never a mixture.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection, sql

from projections.base import Projection

REGISTRY = "projection_registry"

REGISTRY_DDL = """
CREATE TABLE IF NOT EXISTS {schema}.projection_registry (
    name text PRIMARY KEY,
    version integer NOT NULL,
    tables text[] NOT NULL,
    built_at timestamptz NOT NULL DEFAULT now()
)
"""

TRACKING_DDL = """
CREATE TABLE {schema}.{table} (
    application_name text PRIMARY KEY,
    notification_id bigint
)
"""

# Tables and views, not sequences: a sequence owned by a column moves with its table.
_RELATIONS = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname
"""


def staging_schema(projection: Projection) -> str:
    return f"rebuild_{projection.name}"


def ensure_registry(conn: Connection[Any], schema: str) -> None:
    conn.execute(sql.SQL(REGISTRY_DDL).format(schema=sql.Identifier(schema)))


def registered(conn: Connection[Any], schema: str, name: str) -> tuple[int, list[str]] | None:
    """The version and tables of the live build of `name`, if there is one."""
    row = conn.execute(sql.SQL("SELECT version, tables FROM {}.{} WHERE name = %s").format(
        sql.Identifier(schema), sql.Identifier(REGISTRY)), (name,)).fetchone()
    return (row[0], row[1]) if row else None


def lock_projection(conn: Connection[Any], projection: Projection) -> None:
    """Session lock: one rebuild of a projection at a time, across processes."""
    conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"projection:{projection.name}",))


def unlock_projection(conn: Connection[Any], projection: Projection) -> None:
    conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (f"projection:{projection.name}",))


def create_staging(conn: Connection[Any], projection: Projection, application_name: str) -> str:
    """An empty schema holding the projection's tables and a tracking row at 0."""
    schema = staging_schema(projection)
    ident = sql.Identifier(schema)
    conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(ident))
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(ident))
    conn.execute(sql.SQL("SET search_path TO {}").format(ident))
    conn.execute(projection.ddl())  # type: ignore[arg-type]  # our own file, not user input
    conn.execute(sql.SQL(TRACKING_DDL).format(schema=ident,
                                              table=sql.Identifier(projection.tracking_table)))
    conn.execute(sql.SQL("INSERT INTO {}.{} VALUES (%s, 0)").format(
        ident, sql.Identifier(projection.tracking_table)), (application_name,))
    return schema


def swap_in(conn: Connection[Any], projection: Projection, live: str) -> list[str]:
    """Replace the live tables of `projection` with its staged ones; return the new tables.

    Runs inside the caller's transaction, after it has locked the live tracking table.
    """
    staging = staging_schema(projection)
    new = [row[0] for row in conn.execute(_RELATIONS, (staging,))]
    old = registered(conn, live, projection.name)
    for table in sorted(set(new) | set(old[1] if old else ())):
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}.{} CASCADE").format(
            sql.Identifier(live), sql.Identifier(table)))
    for table in new:
        conn.execute(sql.SQL("ALTER TABLE {}.{} SET SCHEMA {}").format(
            sql.Identifier(staging), sql.Identifier(table), sql.Identifier(live)))
    conn.execute(sql.SQL("DROP SCHEMA {}").format(sql.Identifier(staging)))
    conn.execute(sql.SQL(
        "INSERT INTO {}.{} (name, version, tables) VALUES (%s, %s, %s) ON CONFLICT (name) "
        "DO UPDATE SET version = EXCLUDED.version, tables = EXCLUDED.tables, built_at = now()"
    ).format(sql.Identifier(live), sql.Identifier(REGISTRY)),
        (projection.name, projection.version, new))
    return new


def lock_live_tracking(conn: Connection[Any], projection: Projection, live: str) -> None:
    """Hold off the live follower of `projection` until the caller's transaction ends."""
    exists = conn.execute("SELECT to_regclass(%s)", (
        f'"{live}"."{projection.tracking_table}"',)).fetchone()
    if exists and exists[0] is not None:
        conn.execute(sql.SQL("LOCK TABLE {}.{} IN ACCESS EXCLUSIVE MODE").format(
            sql.Identifier(live), sql.Identifier(projection.tracking_table)))
