"""`assured db migrate`: the roles, the tables and their rights, made or brought up to date.

Three roles, so the application cannot change what it recorded:

- **migration** (`ASSURED_MIGRATION_DATABASE_URL`; `assured_owner` on the embedded default):
  owns the schema (the events, snapshots, the chain's tables, the insert function) and makes
  the other two roles.
- **application** (`ASSURED_DATABASE_URL`; `assured_app`): SELECTs the events and appends them
  through the insert function only (no UPDATE, DELETE or TRUNCATE, no direct INSERT); writes
  snapshots and its own tables; reads the read tables.
- **read-table writer** (`ASSURED_PROJECTIONS_DATABASE_URL`; `assured_projector`): SELECTs the
  events; owns the read tables and the verification's findings.

Running it again changes nothing: every statement is idempotent, rights are revoked and granted
again as they should be, and the one-off step (binding and chaining the events a database of an
earlier release holds) runs once, recorded in `assured_schema`. A database made by an earlier
release keeps its events: each is re-encrypted bound to its place and chained, in notification
order, with the event's own timestamp as its `recorded_at`. Stop the old processes first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from base64 import b64decode
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresDatastore
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from domain.application import Assured
from infra import subject_keys, verification
from infra.chain import FAILED_RECORDS, ChainTables, chain_ddl, genesis, insert_function, link, require_chain
from infra.recorder import INSERT_FUNCTION, AssuredRecorder
from projections import faults, schema
from projections.decoding import EventCipher, place

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
"""1: roles, bound and chained events; 2: the sessions' tables (api_revoked, …) made here;
3: no chain head row (each write links onto the last event), conflicts refused before insert;
4: each snapshot's time in plain (`modified_on`, infra/persistence.py; earlier snapshots keep
none, and the history opens them to read theirs);
5: writers serialised by an advisory lock instead of the table's EXCLUSIVE lock, the lock
timeout set by the insert function's definition (`infra.chain.insert_function`: replaced by
every migration, so nothing else changes)."""
OWNER, APP, PROJECTOR = "assured_owner", "assured_app", "assured_projector"
EVENTS = f"{Assured.name.lower()}_events"
SNAPSHOTS = f"{Assured.name.lower()}_snapshots"
VERSIONS = "assured_schema"

APP_TABLES = {
    # The application's own tables: it reads and writes them (api/idempotency.py,
    # api/sessions.py, api/second_factor.py, api/throttle.py).
    "api_revoked": """
CREATE TABLE IF NOT EXISTS {schema}.api_revoked (
    token_id text,                   -- one token (logout)
    username text,                   -- or every token of this account ...
    issued_before double precision,  -- ... issued before this instant (epoch seconds; disabled)
    expires_at timestamptz NOT NULL, -- kept until then: no token it names outlives it
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS api_revoked_expires ON {schema}.api_revoked (expires_at)""",
    "api_second_factor_used": """
CREATE TABLE IF NOT EXISTS {schema}.api_second_factor_used (
    name_ref text NOT NULL,
    step bigint NOT NULL,
    used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name_ref, step)
)""",
    "api_sign_in_failure": """
CREATE TABLE IF NOT EXISTS {schema}.api_sign_in_failure (
    name_ref text NOT NULL,
    address_ref text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS api_sign_in_failure_name
    ON {schema}.api_sign_in_failure (name_ref, failed_at);
CREATE INDEX IF NOT EXISTS api_sign_in_failure_address
    ON {schema}.api_sign_in_failure (address_ref, failed_at)""",
    "api_idempotency": """
CREATE TABLE IF NOT EXISTS {schema}.api_idempotency (
    caller text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    answer jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
)""",
    # Reminder emails sent (workflows/reminders/activities.py): one row per (person, item,
    # kind, due date), made before the send and marked sent after it, so a retried activity
    # sends nothing twice. The item is a hash of the obligation (no record text in it).
    "mail_sent": """
CREATE TABLE IF NOT EXISTS {schema}.mail_sent (
    person text NOT NULL,            -- the account's username
    item text NOT NULL,              -- sha-256 of the obligation's kind, record and what
    kind text NOT NULL,              -- reminder, overdue, digest
    due_on date NOT NULL,            -- the item's due date (a digest: its day)
    message_id text NOT NULL,
    sent_at timestamptz,             -- NULL: claimed, not yet handed to the server
    PRIMARY KEY (person, item, kind, due_on)
)""",
}


class MigrationError(RuntimeError):
    """The database cannot be brought up to date as it stands; the message says what to do."""


@dataclass(frozen=True)
class Roles:
    """How each of the three roles connects (libpq connection strings or URLs)."""

    migration: str
    app: str
    read_tables: str

    @staticmethod
    def embedded(admin: str, dbname: str) -> Roles:
        """The embedded default's roles on the private server (trusted local connections)."""
        return Roles(with_user(admin, OWNER, dbname), with_user(admin, APP, dbname),
                     with_user(admin, PROJECTOR, dbname))


def with_user(conninfo: str, user: str, dbname: str | None = None) -> str:
    params = conninfo_to_dict(conninfo) | {"user": user}
    params.pop("password", None)
    if dbname is not None:
        params["dbname"] = dbname
    return make_conninfo(**params)  # type: ignore[arg-type]


def _user(conninfo: str) -> tuple[str, str | None]:
    params = conninfo_to_dict(conninfo)
    return str(params.get("user") or "postgres"), params.get("password")  # type: ignore[return-value]


# --- the embedded default ----------------------------------------------------------------------

def prepare_embedded(admin: str, dbname: str, key: str | None) -> Roles:
    """As the private server's superuser: the migration role, and the database owned by it
    (a database an earlier release made is adopted: what it holds passes to the roles that
    should own it); then `migrate`, as production does."""
    with psycopg.connect(admin, autocommit=True) as conn:
        _ensure_role(conn, OWNER, None, "LOGIN CREATEROLE")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (dbname,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(dbname), sql.Identifier(OWNER)))
    roles = Roles.embedded(admin, dbname)
    if exists:
        with psycopg.connect(with_user(admin, _user(admin)[0], dbname)) as conn:
            if _version(conn) == 0:  # made by a release before the roles
                adopt(conn, OWNER, PROJECTOR)
            conn.commit()
    migrate(roles, key, quick=True)
    return roles


def adopt(conn: psycopg.Connection[Any], owner: str, projector: str) -> None:
    """As a superuser, in a database an earlier release made as the superuser: the event store
    and the application's tables pass to `owner`, every other table (the read tables) to
    `projector` (which `migrate` makes if need be)."""
    _ensure_role(conn, projector, None, "LOGIN")
    conn.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
        sql.Identifier(conn.info.dbname), sql.Identifier(owner)))
    owned = {EVENTS, SNAPSHOTS, VERSIONS, *APP_TABLES}
    tables = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') "
        "AND pg_get_userbyid(c.relowner) = current_user").fetchall()
    for (table,) in tables:
        conn.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(
            sql.Identifier("public", table), sql.Identifier(owner if table in owned else projector)))
    for (function,) in conn.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
            "AND pg_get_userbyid(p.proowner) = current_user").fetchall():
        conn.execute(sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(
            sql.SQL(function), sql.Identifier(owner)))
    for (kind,) in conn.execute(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = 'public' AND t.typtype = 'c' AND t.typrelid IN "
            "(SELECT oid FROM pg_class WHERE relkind = 'c') "
            "AND pg_get_userbyid(t.typowner) = current_user").fetchall():
        conn.execute(sql.SQL("ALTER TYPE {} OWNER TO {}").format(
            sql.Identifier("public", kind), sql.Identifier(owner)))
    for (staging,) in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE "
                                   "'rebuild\\_%' AND pg_get_userbyid(nspowner) = current_user"
                                   ).fetchall():
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(staging)))


# --- the migration -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Migrated:
    version: int
    chained: int
    """Events of an earlier release bound and chained by this run."""


def migrate(roles: Roles, key: str | None, *, quick: bool = False) -> Migrated:
    """Bring the roles, the event store and the read tables' schema up to date.

    `key` (the store's encryption key) is needed only to bind the events of an earlier
    release. `quick`: do nothing if the database is at this version already (the embedded
    default's check on every start).
    """
    owner, _ = _user(roles.migration)
    with psycopg.connect(roles.migration) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('assured db migrate'))")
        if quick and _version(conn) >= SCHEMA_VERSION:
            return Migrated(_version(conn), 0)
        app, projector = _user(roles.app), _user(roles.read_tables)
        for user, password in (app, projector):
            _ensure_role(conn, user, password, "LOGIN")
        chained = _owner_part(conn, owner, app[0], projector[0], key)
        conn.commit()
    with psycopg.connect(roles.read_tables) as conn:
        _read_tables_part(conn, app[0], owner)
        conn.commit()
    log.info("Database at schema version %s%s", SCHEMA_VERSION,
             f"; {chained} events of an earlier release chained" if chained else "")
    return Migrated(SCHEMA_VERSION, chained)


def schema_version(conninfo: str) -> int:
    """The version the database was migrated to (0: never)."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        return _version(conn)


def _version(conn: psycopg.Connection[Any]) -> int:
    found = conn.execute("SELECT to_regclass(%s)", (f"public.{VERSIONS}",)).fetchone()
    if not found or found[0] is None:
        return 0
    row = conn.execute(sql.SQL("SELECT max(version) FROM {}").format(
        sql.Identifier(VERSIONS))).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _ensure_role(conn: psycopg.Connection[Any], name: str, password: str | None,
                 options: str) -> None:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
    verb = "ALTER" if exists else "CREATE"
    if exists and password is None:
        return
    statement = sql.SQL(f"{verb} ROLE {{}} {options}").format(sql.Identifier(name))
    if password is not None:
        statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
    try:
        with conn.transaction():
            conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        raise MigrationError(f"The migration role may not {verb.lower()} role {name}: give it "
                             "CREATEROLE, or have a database administrator create the role"
                             ) from None
    except psycopg.errors.DuplicateObject:  # made meanwhile by another migration
        pass


def _store(conninfo_params: dict[str, Any]) -> tuple[AssuredRecorder, PostgresAggregateRecorder]:
    datastore = PostgresDatastore(
        str(conninfo_params.get("dbname", "")), str(conninfo_params.get("host", "")),
        str(conninfo_params.get("port", "5432")), str(conninfo_params.get("user", "")), "")
    return (AssuredRecorder(datastore, events_table_name=EVENTS),
            PostgresAggregateRecorder(datastore, events_table_name=SNAPSHOTS))


def _owner_part(conn: psycopg.Connection[Any], owner: str, app: str, projector: str,
                key: str | None) -> int:
    params = conninfo_to_dict(conn.info.dsn)
    recorder, snapshots = _store(params)
    chain = recorder.chain
    _check_ownership(conn, owner)
    conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (version integer PRIMARY KEY, "
                         "migrated_at timestamptz NOT NULL DEFAULT now())").format(
        sql.Identifier(VERSIONS)))
    for statement in (*recorder.sql_create_statements, *snapshots.sql_create_statements):
        text = statement.as_string(conn)
        if "CREATE TYPE" in text or "FUNCTION" in text:
            continue  # the library's database functions: not used (infra/recorder.py)
        conn.execute(text)  # type: ignore[call-overload]
    for statement in chain_ddl(chain):
        conn.execute(statement)
    conn.execute(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS modified_on timestamptz"
                         ).format(chain.ident(SNAPSHOTS)))
    chained = 0
    if _version(conn) < 1:
        chained = _chain_earlier_events(conn, recorder, snapshots, key)
    conn.execute(require_chain(chain))
    conn.execute(insert_function(chain, INSERT_FUNCTION, recorder.channel_name,
                                 recorder.datastore.lock_timeout))
    for ddl in (*APP_TABLES.values(), subject_keys.DDL):
        conn.execute(sql.SQL(ddl).format(schema=sql.Identifier("public")))
    _grant(conn, chain, app, projector)
    conn.execute(sql.SQL("INSERT INTO {} (version) VALUES (%s) ON CONFLICT DO NOTHING").format(
        sql.Identifier(VERSIONS)), (SCHEMA_VERSION,))
    return chained


def _check_ownership(conn: psycopg.Connection[Any], owner: str) -> None:
    others = conn.execute(
        "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname = ANY(%s) "
        "AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = %s)",
        ([EVENTS, SNAPSHOTS, VERSIONS, *APP_TABLES], owner)).fetchall()
    if others:
        named = ", ".join(f"{table} (owned by {by})" for table, by in others)
        raise MigrationError(
            f"The migration role {owner} must own the event store's tables: {named}. A "
            f"database administrator can run, for each: ALTER TABLE <table> OWNER TO {owner}; "
            "and give the read tables to the read-table writer's role")


def _grant(conn: psycopg.Connection[Any], chain: ChainTables, app: str, projector: str) -> None:
    a, p = sql.Identifier(app), sql.Identifier(projector)
    events = sql.SQL(", ").join(chain.ident(t) for t in (chain.events, chain.log,
                                                         chain.record_heads, VERSIONS))
    snapshots = chain.ident(SNAPSHOTS)
    function = sql.SQL("{}(uuid[], bigint[], text[], bytea[])").format(
        chain.ident(INSERT_FUNCTION))
    statements = [
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}, {}").format(a, p),
        sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(p),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(a),
        sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
            sql.Identifier(conn.info.dbname), p),
        sql.SQL("REVOKE ALL ON {}, {} FROM PUBLIC, {}, {}").format(events, snapshots, a, p),
        sql.SQL("GRANT SELECT ON {} TO {}, {}").format(events, a, p),
        sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(snapshots, a),
        sql.SQL("REVOKE ALL ON FUNCTION {} FROM PUBLIC").format(function),
        sql.SQL("GRANT EXECUTE ON FUNCTION {} TO {}").format(function, a),
    ]
    # Erasure (infra/subject_keys.py): the application makes each subject's key, destroys it
    # (an UPDATE to NULL, never a DELETE of the row, so an erased subject stays erased) and
    # removes the subject's snapshots.
    keys = chain.ident(subject_keys.TABLE)
    statements += [
        sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(keys, p),
        sql.SQL("GRANT SELECT, INSERT, UPDATE ON {} TO {}").format(keys, a),
        sql.SQL("GRANT DELETE ON {} TO {}").format(snapshots, a),
    ]
    for table in APP_TABLES:
        statements.append(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
            chain.ident(table), a))
    for statement in statements:
        conn.execute(statement)


def _read_tables_part(conn: psycopg.Connection[Any], app: str, owner: str) -> None:
    """As the read-table writer: its tables, readable by the application's role."""
    conn.execute(sql.SQL(schema.REGISTRY_DDL).format(schema=sql.Identifier("public")))
    faults.ensure_table(conn, "public")
    for ddl in verification.FINDINGS_DDL:
        conn.execute(sql.SQL(ddl).format(schema=sql.Identifier("public")))
    conn.execute(sql.SQL("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO {}").format(
        sql.Identifier(app)))
    # The insert function (run as the owner) refuses writes to records found broken.
    conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(
        sql.Identifier("public", FAILED_RECORDS), sql.Identifier(owner)))
    for (table,) in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') "
            "AND pg_get_userbyid(c.relowner) = current_user").fetchall():
        conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(
            sql.Identifier("public", table), sql.Identifier(app)))


# --- events of an earlier release --------------------------------------------------------------

PAGE = 1000


def _chain_earlier_events(conn: psycopg.Connection[Any], recorder: AssuredRecorder,
                          snapshots: PostgresAggregateRecorder, key: str | None) -> int:
    """Bind each event (and snapshot) of an earlier release to its place and chain the events
    in notification order, under the events table's lock. Returns how many were chained."""
    chain = recorder.chain
    conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(chain.ident(chain.events)))
    waiting = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE chain_position IS NULL"
                                   ).format(chain.ident(chain.events))).fetchone()
    if not waiting or not waiting[0]:
        return 0
    if key is None:
        raise MigrationError("The database holds events of an earlier release: binding them to "
                             "their places needs the store's key (ASSURED_ENCRYPTION_KEY)")
    rebind = _Rebinder(b64decode(key))
    chained = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE chain_position IS NOT NULL"
                                   ).format(chain.ident(chain.events))).fetchone()
    if chained and chained[0]:
        raise MigrationError("Events outside the chain follow chained ones: run `assured verify`")
    log_id = conn.execute(sql.SQL("SELECT log_id FROM {}").format(
        chain.ident(chain.log))).fetchone()[0]  # type: ignore[index]
    position = 0
    head = genesis(log_id)
    for page in _pages(conn, chain.ident(chain.events), "notification_id",
                       "notification_id, originator_id, originator_version, topic, state"):
        updates = []
        for notification_id, record_id, version, topic, state in page:
            plain, bound = rebind(bytes(state), record_id, version, topic, notification_id)
            recorded_at = _timestamp_of(plain, notification_id)
            position += 1
            head = link(head, position, record_id, version, recorded_at,
                        _digest(topic.encode()), _digest(bound))
            updates.append((bound, position, head, recorded_at, notification_id))
        with conn.cursor() as curs:
            curs.executemany(sql.SQL(
                "UPDATE {} SET state = %s, chain_position = %s, chain_hash = %s, "
                "recorded_at = %s WHERE notification_id = %s").format(
                chain.ident(chain.events)), updates)
    conn.execute(sql.SQL(
        "INSERT INTO {} (originator_id, version, position) SELECT originator_id, "
        "max(originator_version), max(chain_position) FROM {} GROUP BY originator_id "
        "ON CONFLICT (originator_id) DO UPDATE SET version = EXCLUDED.version, "
        "position = EXCLUDED.position").format(chain.ident(chain.record_heads),
                                               chain.ident(chain.events)))
    _rebind_snapshots(conn, chain.ident(snapshots.events_table_name), rebind)
    return position


def _rebind_snapshots(conn: psycopg.Connection[Any], table: sql.Identifier,
                      rebind: _Rebinder) -> None:
    for page in _pages(conn, table, "originator_id, originator_version",
                       "originator_id, originator_version, topic, state"):
        with conn.cursor() as curs:
            curs.executemany(sql.SQL("UPDATE {} SET state = %s WHERE originator_id = %s AND "
                                     "originator_version = %s").format(table),
                             [(rebind(bytes(state), record_id, version, topic, None)[1],
                               record_id, version) for record_id, version, topic, state in page])


def _pages(conn: psycopg.Connection[Any], table: sql.Identifier, order: str,
           columns: str) -> Iterator[list[tuple[Any, ...]]]:
    """Every row of `table` in pages, in the order of its key `order` (keyset paging)."""
    keys = [k.strip() for k in order.split(",")]
    last: tuple[Any, ...] | None = None
    while True:
        after = sql.SQL("")
        if last is not None:
            after = sql.SQL("WHERE ({}) > ({})").format(
                sql.SQL(", ").join(map(sql.Identifier, keys)),
                sql.SQL(", ").join(sql.Placeholder() * len(keys)))
        rows = conn.execute(sql.SQL("SELECT {} FROM {} {} ORDER BY {} LIMIT {}").format(
            sql.SQL(columns), table, after, sql.SQL(order), sql.Literal(PAGE)),
            last or ()).fetchall()
        if not rows:
            return
        yield rows
        last = tuple(rows[-1][: len(keys)])


class _Rebinder:
    """Opens what the library's cipher wrote (no associated data) and seals it in its place."""

    def __init__(self, key: bytes) -> None:
        self._old, self._new = AESGCM(key), EventCipher(key)

    def __call__(self, state: bytes, record_id: UUID, version: int, topic: str,
                 notification_id: int | None) -> tuple[bytes, bytes]:
        nonce, tag, encrypted = state[:12], state[12:28], state[28:]
        where = place(record_id, version, topic)
        try:
            plain = self._old.decrypt(nonce, encrypted + tag, None)
        except (InvalidTag, ValueError):
            try:  # bound already (a run that stopped half-way cannot commit, but be sure)
                return self._new.decrypt(state, where), state
            except ValueError:
                raise MigrationError(
                    f"The stored event of record {record_id} at version {version} (notification "
                    f"{notification_id}) does not open with the store's key: it is damaged, or "
                    "the key is not the one it was written with") from None
        return plain, self._new.encrypt(plain, where)


def _timestamp_of(plain: bytes, notification_id: int) -> datetime:
    try:
        state = json.loads(zlib.decompress(plain))
        return datetime.fromisoformat(state["timestamp"]["_data_"])
    except (zlib.error, ValueError, KeyError, TypeError):
        raise MigrationError(f"The event at notification {notification_id} has no timestamp "
                             "the migration can read") from None


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()
