"""The hash chain over the whole event log, in notification order.

Each stored event carries its place in the chain (`chain_position`: 1, 2, 3, … with no gaps),
the time the store recorded it (`recorded_at`, the server's clock after the writers' lock) and
its link (`chain_hash`):

    H(0) = SHA-256("assured event log v1" 0x00 || log id (16 bytes))
    H(n) = SHA-256(H(n-1) || position (8) || record id (16) || version (8) ||
                   recorded_at (8: microseconds since 2000-01-01 UTC) ||
                   SHA-256(topic) || SHA-256(ciphertext))

Integers are big-endian, as PostgreSQL's `int8send` and `timestamptz_send` write them. The
chain covers the ciphertext, not the plaintext: destroying a data subject's key (erasure)
changes no stored byte, so the chain still verifies.

The chain is extended inside the server, by the one function every write goes through
(`insert_function`): it runs as the schema's owner (SECURITY DEFINER), so the application's
role can append only through it. Each write links onto the log's last event (found by the
notification id's index: no single "head" row that every write would update, which under a
long-running reader, such as `assured verify`'s snapshot, gathers dead row versions that every
later write must step over). `<events>_chain` holds only the log's id (H(0)).
`<events>_record_heads` holds each record's last version and its position, so:
- a read finds a record's missing last events (and the log's deleted last event, which is
  always the last version of its record);
- a write that skips a version or would reuse a deleted one, or to a record `assured verify`
  found broken, is refused (SQLSTATE XX001, data_corrupted: the application answers
  IntegrityCheckFailed);
- a write that another writer got to first is refused before anything is inserted (SQLSTATE
  23505, as the table's own unique key would), so a conflict takes no notification id and the
  ids stay gap-free.
Deleting the last events together with their records' heads leaves a log that looks whole:
the signed checkpoints (`infra.checkpoints`), kept outside the database, find that.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from psycopg import sql

GENESIS_LABEL = b"assured event log v1\x00"
FAILED_RECORDS = "integrity_failed_records"
"""The records `assured verify` last found broken (written by the read-table writer)."""
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def genesis(log_id: UUID) -> bytes:
    return hashlib.sha256(GENESIS_LABEL + log_id.bytes).digest()


def link(previous: bytes, position: int, record_id: UUID, version: int, recorded_at: datetime,
         topic_digest: bytes, state_digest: bytes) -> bytes:
    """H(n) from H(n-1) and the n-th event (its topic and ciphertext given by their digests)."""
    micros = (recorded_at - _EPOCH) // _MICROSECOND
    return hashlib.sha256(previous + struct.pack(">q", position) + record_id.bytes
                          + struct.pack(">qq", version, micros) + topic_digest
                          + state_digest).digest()


@dataclass(frozen=True)
class ChainTables:
    """Where the chain lives, named after the events table."""

    schema: str
    events: str

    @property
    def log(self) -> str:
        """The log's identity: its one row holds the log id that H(0) is made from."""
        return f"{self.events}_chain"

    @property
    def earlier_head(self) -> str:
        """Schema version 2's table of the chain's head (renamed to `log` by version 3)."""
        return f"{self.events}_chain_head"

    @property
    def record_heads(self) -> str:
        return f"{self.events}_record_heads"

    @property
    def failed(self) -> str:
        return FAILED_RECORDS

    def ident(self, table: str) -> sql.Identifier:
        return sql.Identifier(self.schema, table)


def chain_ddl(t: ChainTables) -> list[sql.Composed]:
    """The chain's columns and tables (the columns stay nullable until the old events are
    chained: `infra.migrations`)."""
    events, log, heads = t.ident(t.events), t.ident(t.log), t.ident(t.record_heads)
    return [
        sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS chain_position bigint, "
                "ADD COLUMN IF NOT EXISTS chain_hash bytea, "
                "ADD COLUMN IF NOT EXISTS recorded_at timestamptz").format(events),
        sql.SQL("ALTER TABLE IF EXISTS {} RENAME TO {}").format(
            t.ident(t.earlier_head), sql.Identifier(t.log)),
        sql.SQL("CREATE TABLE IF NOT EXISTS {} (only_row boolean PRIMARY KEY DEFAULT true "
                "CHECK (only_row), log_id uuid NOT NULL)").format(log),
        sql.SQL("ALTER TABLE {} DROP COLUMN IF EXISTS position, DROP COLUMN IF EXISTS hash"
                ).format(log),
        sql.SQL("INSERT INTO {} (log_id) VALUES (gen_random_uuid()) ON CONFLICT DO NOTHING"
                ).format(log),
        sql.SQL("CREATE TABLE IF NOT EXISTS {} (originator_id uuid PRIMARY KEY, "
                "version bigint NOT NULL, position bigint NOT NULL)").format(heads),
    ]


def require_chain(t: ChainTables) -> sql.Composed:
    return sql.SQL("ALTER TABLE {} ALTER COLUMN chain_position SET NOT NULL, "
                   "ALTER COLUMN chain_hash SET NOT NULL, "
                   "ALTER COLUMN recorded_at SET NOT NULL").format(t.ident(t.events))


def append_lock(t: ChainTables) -> tuple[int, int]:
    """The transaction-scoped advisory lock every write to `t.events` takes (two 32-bit keys:
    a key space of its own, apart from the one-key locks taken by `hashtext` elsewhere)."""
    def key(text: str) -> int:
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big", signed=True)
    return key("assured append"), key(f"{t.schema}.{t.events}")


def insert_function(t: ChainTables, name: str, channel: str, lock_timeout: int) -> sql.Composed:
    """Every write: lock, link the events onto the chain, move their records' heads, notify and
    insert; one statement.

    Writers are serialised by one transaction-scoped advisory lock (`append_lock`), held from
    before the chain's tail is read and the notification ids are taken until the commit, so
    commit order is notification order (a follower never skips an event, and never sees a gap
    that fills later) and the chain's order is the notification order. It is what the
    library's recorder gets from `LOCK TABLE … IN EXCLUSIVE MODE`, which every writer here took
    before schema version 5: the table lock must first move every other session's fast-path
    locks on the table into the shared lock table, the advisory lock does not (measured in
    bench/append.py). The function then takes the ROW EXCLUSIVE lock the insert would take
    anyway, before it reads the tail: an EXCLUSIVE lock on the table (the migration's, or a
    writer still running the version 4 body while `assured db migrate` replaces it) still
    holds every writer back before it reads. `lock_timeout` is the function's own setting (it
    bounds the waits for both locks), not a `SET LOCAL` statement run on every call.

    Each record's head moves on only from the version just before the record's first new one,
    by one scalar UPDATE of its row, which also refuses a record `assured verify` found broken.
    (Whether the head's own event is still in the log is the read's check: every command reads
    its record first, `infra.recorder.checked`.) A head that does not move is told apart off
    the hot path: the record was found broken, another writer got there first (a unique
    violation, as the table's own key would raise, before any notification id is taken), or
    the record is not whole.
    """
    first_key, second_key = append_lock(t)
    return sql.SQL("""
CREATE OR REPLACE FUNCTION {function}(ids uuid[], versions bigint[], topics text[],
                                      states bytea[])
RETURNS SETOF bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  SET lock_timeout = '{lock_timeout}s'
AS $body$
DECLARE
  n integer := cardinality(ids);
  at timestamptz;
  p bigint;
  h bytea;
  positions bigint[];
  hashes bytea[];
  first integer := 1;
  moved integer;
  head record;
BEGIN
  PERFORM pg_advisory_xact_lock({first_key}, {second_key});
  LOCK TABLE {events} IN ROW EXCLUSIVE MODE;
  SELECT chain_position, chain_hash INTO p, h FROM {events}
    ORDER BY notification_id DESC LIMIT 1;
  IF NOT FOUND THEN
    SELECT 0, sha256({genesis} || uuid_send(log_id)) INTO p, h FROM {log};
  END IF;
  at := clock_timestamp();
  FOR i IN 1..n LOOP
    p := p + 1;
    h := sha256(h || int8send(p) || uuid_send(ids[i]) || int8send(versions[i])
                || timestamptz_send(at) || sha256(convert_to(topics[i], 'UTF8'))
                || sha256(states[i]));
    positions[i] := p;
    hashes[i] := h;
    CONTINUE WHEN i < n AND ids[i + 1] = ids[i];
    -- The last of this record's run of events: its head moves from versions[first] - 1.
    IF versions[first] = 1 THEN
      INSERT INTO {heads} SELECT ids[i], versions[i], p
      WHERE NOT EXISTS (SELECT 1 FROM {failed} AS f WHERE f.originator_id = ids[i])
      ON CONFLICT DO NOTHING;
    ELSE
      UPDATE {heads} SET version = versions[i], position = p
      WHERE originator_id = ids[i] AND version = versions[first] - 1
        AND NOT EXISTS (SELECT 1 FROM {failed} AS f WHERE f.originator_id = ids[i]);
    END IF;
    GET DIAGNOSTICS moved = ROW_COUNT;
    IF moved = 0 THEN
      IF EXISTS (SELECT 1 FROM {failed} AS f WHERE f.originator_id = ids[i]) THEN
        RAISE EXCEPTION 'Record % was found broken by `assured verify`: it takes no more '
          'events', ids[i] USING ERRCODE = 'data_corrupted', DETAIL = ids[i]::text;
      END IF;
      IF EXISTS (SELECT 1 FROM {events} AS x WHERE x.originator_id = ids[i]
                 AND x.originator_version = versions[first]) THEN
        RAISE EXCEPTION 'Version % of record % is recorded already', versions[first], ids[i]
          USING ERRCODE = 'unique_violation', DETAIL = ids[i]::text;
      END IF;
      SELECT r.version, r.position INTO head FROM {heads} AS r WHERE r.originator_id = ids[i];
      RAISE EXCEPTION 'Record % was recorded up to version % (position %), but its stored '
        'events are not whole: version % cannot follow', ids[i], coalesce(head.version, 0),
        head.position, versions[first] USING ERRCODE = 'data_corrupted', DETAIL = ids[i]::text;
    END IF;
    first := i + 1;
  END LOOP;
  NOTIFY {channel};
  RETURN QUERY INSERT INTO {events}
      (originator_id, originator_version, topic, state, chain_position, chain_hash, recorded_at)
    SELECT e.*, at FROM unnest(ids, versions, topics, states, positions, hashes) AS e
    RETURNING notification_id;
END;
$body$""").format(function=t.ident(name), events=t.ident(t.events), log=t.ident(t.log),
                      genesis=sql.Literal(GENESIS_LABEL),
                      heads=t.ident(t.record_heads), failed=t.ident(t.failed),
                      channel=sql.Identifier(channel),
                      lock_timeout=sql.SQL(str(int(lock_timeout))),
                      first_key=sql.Literal(first_key), second_key=sql.Literal(second_key))
