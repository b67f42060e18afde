"""`assured verify`: the chain and the latest checkpoint checked, the first bad position named.

The whole log is read in notification order, in one snapshot, and each event's link is
computed again (infra/chain.py). A position is:
- **missing** when the chain skips it, when a record's recorded head (or a signed checkpoint)
  lies past the last event, or when a record's last recorded version is not in the log;
- **reordered** when it comes after a later position;
- **changed** when its event no longer hashes to its link, or the log up to a checkpoint no
  longer matches that checkpoint's head;
- **moved** when it is changed and holds a ciphertext that is stored at another position too;
- **unchained** when an event carries no place on the chain (written around the insert
  function).

The result is kept for the API (`integrity_check`, `integrity_failed_records`: the read-table
writer's tables): `/readyz` and `/metrics` report it, and a read of a record named there answers
the integrity problem. `PeriodicVerification` runs it in the projection runner and, when the log
is intact, signs a checkpoint of its head (infra/checkpoints.py).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from psycopg import sql

from infra.chain import FAILED_RECORDS, ChainTables, genesis, link
from infra.checkpoints import Checkpoint, CheckpointLog, checkpoint_dir, signing_key, trusted_keys
from infra.settings import Settings

alerts = logging.getLogger("assured.integrity")

CHECK = "integrity_check"
FINDINGS_DDL = [
    """CREATE TABLE IF NOT EXISTS {schema}.integrity_check (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    checked_at timestamptz NOT NULL,
    ok boolean NOT NULL,
    events bigint NOT NULL,
    head bigint NOT NULL,
    first_position bigint,
    first_problem text,
    failures integer NOT NULL,
    checkpoint_size bigint,
    checkpoint_at timestamptz
)""",
    """CREATE TABLE IF NOT EXISTS {schema}.integrity_failed_records (
    originator_id uuid PRIMARY KEY,
    position bigint NOT NULL,
    problem text NOT NULL
)""",
]
MOST_FAILURES = 100
"""A log found broken in more places than this is reported by its first ones."""


@dataclass(frozen=True)
class Failure:
    position: int
    kind: str
    detail: str
    record_id: UUID | None = None

    def __str__(self) -> str:
        return f"position {self.position}: {self.kind} ({self.detail})"


@dataclass
class Verification:
    checked_at: datetime
    log_id: UUID | None = None
    events: int = 0
    head: int = 0
    """The last position of the chain that was read."""
    head_hash: bytes = b""
    checkpoint: Checkpoint | None = None
    failures: list[Failure] = field(default_factory=list)
    affected: dict[UUID, Failure] = field(default_factory=dict)
    """Each record whose events are involved, with its first failure."""
    holes: list[tuple[int, int]] = field(default_factory=list)
    """Spans of positions the chain skips (first, last)."""

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def first(self) -> Failure | None:
        return min(self.failures, key=lambda f: f.position) if self.failures else None

    def fail(self, failure: Failure) -> None:
        if len(self.failures) < MOST_FAILURES and failure not in self.failures:
            self.failures.append(failure)
        if failure.record_id is not None:
            self.affected.setdefault(failure.record_id, failure)

    def summary(self) -> str:
        if self.ok:
            against = (f", as is the checkpoint of {self.checkpoint.timestamp:%Y-%m-%d %H:%M:%S} "
                       f"UTC at position {self.checkpoint.size:,}" if self.checkpoint else
                       "; no checkpoint yet")
            if not self.head:
                return f"Intact: the log is empty{against}."
            return (f"Intact: {self.events:,} events, positions 1 to {self.head:,}, verified "
                    f"on the chain{against}.")
        first = self.first
        assert first is not None
        return (f"INTEGRITY FAILURE at position {first.position:,}: {first.kind}, "
                f"{first.detail}.")


def verify(conn: psycopg.Connection[Any], tables: ChainTables,
           checkpoint: Checkpoint | None = None,
           trusted: dict[str, Ed25519PublicKey] | None = None) -> Verification:
    """Check the chain, the heads and `checkpoint` (signed by one of `trusted`), in one
    snapshot of the database."""
    result = Verification(checked_at=datetime.now(UTC), checkpoint=checkpoint)
    conn.autocommit = False
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
    try:
        found = conn.execute(sql.SQL("SELECT log_id FROM {}").format(
            tables.ident(tables.log))).fetchone()
        if found is None:
            result.fail(Failure(1, "missing", "the log's id is not recorded"))
            return result
        result.log_id = found[0]
        at_checkpoint = _walk(conn, tables, result, checkpoint)
        _check_tail(conn, tables, result)
        _check_records(conn, tables, result)
        if checkpoint is not None:
            _check_checkpoint(result, checkpoint, trusted or {}, at_checkpoint)
        return result
    finally:
        conn.rollback()


def _walk(conn: psycopg.Connection[Any], tables: ChainTables, result: Verification,
          checkpoint: Checkpoint | None) -> bytes | None:
    """Every event in notification order; returns the hash at the checkpoint's position."""
    assert result.log_id is not None
    previous, expected = genesis(result.log_id), 1
    at_checkpoint = None
    topics: dict[str, bytes] = {}
    rows = _rows(conn, tables)
    for notification_id, position, record_id, version, topic, recorded_at, digest, h in rows:
        result.events += 1
        if position is None or h is None or recorded_at is None:
            result.fail(Failure(expected, "unchained", f"the event at notification "
                                f"{notification_id} has no place on the chain", record_id))
            continue
        h = bytes(h)
        if position < expected:
            result.fail(Failure(position, "reordered", f"position {position} comes after "
                                f"position {expected - 1} (notification {notification_id})",
                                record_id))
            continue
        if position > expected:
            result.fail(_hole(conn, tables, expected, position, notification_id))
            result.holes.append((expected, position - 1))
        else:
            topic_digest = topics.get(topic) or topics.setdefault(
                topic, hashlib.sha256(topic.encode()).digest())
            if link(previous, position, record_id, version, recorded_at, topic_digest,
                    bytes(digest)) != h:
                result.fail(_changed(conn, tables, position, notification_id, record_id,
                                     bytes(digest)))
        previous, expected = h, position + 1
        result.head, result.head_hash = position, h
        if checkpoint is not None and position == checkpoint.size:
            at_checkpoint = h
    return at_checkpoint


def _rows(conn: psycopg.Connection[Any], tables: ChainTables) -> Iterator[tuple[Any, ...]]:
    with conn.cursor(name="assured_verify") as cursor:
        cursor.itersize = 5000
        cursor.execute(sql.SQL(
            "SELECT notification_id, chain_position, originator_id, originator_version, topic, "
            "recorded_at, sha256(state), chain_hash FROM {} ORDER BY notification_id").format(
            tables.ident(tables.events)))
        yield from cursor


def _hole(conn: psycopg.Connection[Any], tables: ChainTables, expected: int, found: int,
          notification_id: int) -> Failure:
    """Position `expected` is not where it should be: missing, or reordered to later."""
    later = conn.execute(sql.SQL(
        "SELECT notification_id, originator_id FROM {} WHERE chain_position = %s").format(
        tables.ident(tables.events)), (expected,)).fetchone()
    if later is not None:
        return Failure(expected, "reordered", f"position {expected} is stored at notification "
                       f"{later[0]}, after position {found}", later[1])
    span = (f"position {expected} is" if found == expected + 1
            else f"positions {expected} to {found - 1} are")
    return Failure(expected, "missing", f"{span} not in the log: the chain goes on at "
                   f"position {found} (notification {notification_id})")


def _changed(conn: psycopg.Connection[Any], tables: ChainTables, position: int,
             notification_id: int, record_id: UUID, digest: bytes) -> Failure:
    """The event at `position` does not hash to its link: moved here, or changed."""
    twin = conn.execute(sql.SQL(
        "SELECT chain_position, originator_id FROM {} WHERE sha256(state) = %s AND "
        "notification_id <> %s LIMIT 1").format(tables.ident(tables.events)),
        (digest, notification_id)).fetchone()
    if twin is not None:
        return Failure(position, "moved", f"its ciphertext is the one stored at position "
                       f"{twin[0]}, of record {twin[1]}", record_id)
    return Failure(position, "changed", f"the event of record {record_id} at notification "
                   f"{notification_id} does not match its link in the chain", record_id)


def _check_tail(conn: psycopg.Connection[Any], tables: ChainTables,
                result: Verification) -> None:
    """The log's last events, deleted: a record was recorded at a position past its end."""
    found = conn.execute(sql.SQL("SELECT max(position) FROM {}").format(
        tables.ident(tables.record_heads))).fetchone()
    recorded = int(found[0]) if found and found[0] is not None else 0
    if recorded > result.head:
        span = (f"position {recorded} is" if recorded == result.head + 1
                else f"positions {result.head + 1} to {recorded} are")
        result.fail(Failure(result.head + 1, "missing", f"{span} not in the log: a record was "
                            f"recorded at position {recorded}"))


def _check_records(conn: psycopg.Connection[Any], tables: ChainTables,
                   result: Verification) -> None:
    """Each record's last version in the log, and without gaps before it."""
    events, heads = tables.ident(tables.events), tables.ident(tables.record_heads)
    lost = conn.execute(sql.SQL(
        "SELECT h.originator_id, h.version, h.position FROM {heads} AS h LEFT JOIN {events} AS e "
        "ON e.originator_id = h.originator_id AND e.originator_version = h.version "
        "WHERE e.chain_position IS DISTINCT FROM h.position").format(
        heads=heads, events=events)).fetchall()
    for record_id, version, position in lost:
        result.fail(Failure(position, "missing", f"version {version} of record {record_id}, "
                            f"recorded at position {position}, is not there", record_id))
    gaps = conn.execute(sql.SQL(
        "SELECT originator_id, originator_version, chain_position, before FROM (SELECT "
        "originator_id, originator_version, chain_position, lag(originator_version) OVER w "
        "AS previous, lag(chain_position) OVER w AS before FROM {} WINDOW w AS (PARTITION BY "
        "originator_id ORDER BY originator_version)) AS e "
        "WHERE originator_version <> coalesce(previous, 0) + 1").format(events)).fetchall()
    for record_id, version, position, before in gaps:
        # The record's missing event was at the first position the chain skips between its
        # neighbours, if it skips one there.
        where = next((first for first, _ in result.holes
                      if (before or 0) < first < (position or 0)), position or 0)
        result.fail(Failure(where, "missing", f"record {record_id} lacks a version before "
                            f"version {version}", record_id))


def _check_checkpoint(result: Verification, checkpoint: Checkpoint,
                      trusted: dict[str, Ed25519PublicKey], at_checkpoint: bytes | None) -> None:
    when = f"the checkpoint of {checkpoint.timestamp:%Y-%m-%d %H:%M:%S} UTC"
    if not checkpoint.verified_by(trusted):
        result.fail(Failure(checkpoint.size, "checkpoint", f"{when} is not signed by a trusted "
                            f"key (key {checkpoint.key_id})"))
    elif checkpoint.log_id != result.log_id:
        result.fail(Failure(checkpoint.size, "checkpoint", f"{when} is of another log "
                            f"({checkpoint.log_id})"))
    elif checkpoint.size > result.head:
        result.fail(Failure(result.head + 1, "missing", f"the log ends at position "
                            f"{result.head}, but {when} holds {checkpoint.size} events"))
    elif checkpoint.size and at_checkpoint != checkpoint.head:
        result.fail(Failure(checkpoint.size, "changed", f"the log up to position "
                            f"{checkpoint.size} is not the one {when} signed"))


# --- keeping the result -------------------------------------------------------------------------

def keep(conn: psycopg.Connection[Any], schema: str, result: Verification) -> None:
    """Record the result for the API, replacing the last one (as the read-table writer)."""
    first = result.first
    with conn.transaction():
        conn.execute(sql.SQL(
            "INSERT INTO {} (checked_at, ok, events, head, first_position, first_problem, "
            "failures, checkpoint_size, checkpoint_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
            "%s) ON CONFLICT (only_row) DO UPDATE SET checked_at = EXCLUDED.checked_at, "
            "ok = EXCLUDED.ok, events = EXCLUDED.events, head = EXCLUDED.head, "
            "first_position = EXCLUDED.first_position, first_problem = EXCLUDED.first_problem, "
            "failures = EXCLUDED.failures, checkpoint_size = EXCLUDED.checkpoint_size, "
            "checkpoint_at = EXCLUDED.checkpoint_at").format(sql.Identifier(schema, CHECK)),
            (result.checked_at, result.ok, result.events, result.head,
             first.position if first else None, f"{first.kind}: {first.detail}" if first else None,
             len(result.failures), result.checkpoint.size if result.checkpoint else None,
             result.checkpoint.timestamp if result.checkpoint else None))
        conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(schema, FAILED_RECORDS)))
        with conn.cursor() as cursor:
            cursor.executemany(sql.SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(
                sql.Identifier(schema, FAILED_RECORDS)),
                [(record_id, f.position, f.kind) for record_id, f in result.affected.items()])


@dataclass(frozen=True)
class LastCheck:
    """The last verification's result, as `/readyz` and `/metrics` report it."""

    checked_at: datetime
    ok: bool
    events: int
    head: int
    first_position: int | None
    first_problem: str | None
    failures: int
    checkpoint_size: int | None
    checkpoint_at: datetime | None


def last_check(conn: psycopg.Connection[Any], schema: str) -> LastCheck | None:
    try:
        row = conn.execute(sql.SQL(
            "SELECT checked_at, ok, events, head, first_position, first_problem, failures, "
            "checkpoint_size, checkpoint_at FROM {}").format(sql.Identifier(schema, CHECK))
        ).fetchone()
    except psycopg.errors.UndefinedTable:
        return None
    return LastCheck(*row) if row else None


# --- the periodic job ---------------------------------------------------------------------------

@dataclass
class Verifier:
    """Verify, keep the result, and sign a checkpoint when the log is intact and has grown."""

    conninfo: str
    tables: ChainTables
    checkpoints: CheckpointLog
    trusted: dict[str, Ed25519PublicKey]
    signer: Ed25519PrivateKey | None = None

    @classmethod
    def of(cls, app: Any, settings: Settings) -> Verifier:
        """The verifier of an open application's store, connecting as the read-table writer
        (who may read the events and keep the findings), with the checkpoint settings."""
        from projections.runner import READ_TABLES

        recorder = app.recorder
        return cls(app.env[READ_TABLES], ChainTables(recorder.datastore.schema,
                                                      recorder.events_table_name),
                   CheckpointLog(checkpoint_dir(settings)), trusted_keys(settings),
                   signing_key(settings))

    def run(self, *, sign: bool = True) -> Verification:
        latest = self.checkpoints.latest()
        with psycopg.connect(self.conninfo) as conn:
            result = verify(conn, self.tables, latest, self.trusted)
            conn.autocommit, conn.read_only = True, False
            keep(conn, self.tables.schema, result)
        if not result.ok:
            alerts.error("Integrity alert: %s %s other failures; %s records affected",
                         result.summary(), len(result.failures) - 1, len(result.affected))
        elif sign and self.signer is not None and result.log_id is not None and (
                latest is None or result.head > latest.size):
            made = Checkpoint.signed(self.signer, result.log_id, result.head, result.head_hash,
                                     datetime.now(UTC))
            self.checkpoints.append(made)
            result.checkpoint = made
        return result


class PeriodicVerification:
    """`Verifier.run` every `interval` seconds on a thread of its own, from the first moment."""

    def __init__(self, verifier: Verifier, interval: float) -> None:
        self.verifier, self.interval = verifier, interval
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="verification", daemon=True)

    def start(self) -> PeriodicVerification:
        if self.interval > 0:
            self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=30)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            try:
                self.verifier.run()
            except Exception:  # noqa: BLE001 (logged; the next round tries again)
                alerts.exception("The verification of the event log could not run")
            self.stopping.wait(self.interval)


def affected_records(result: Verification) -> Iterable[tuple[UUID, Failure]]:
    return sorted(result.affected.items(), key=lambda item: item[1].position)
