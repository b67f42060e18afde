"""The hash chain over the whole event log, in notification order.

Each stored event carries its place in the chain (`chain_position`: 1, 2, 3, … with no gaps),
the time the store recorded it (`recorded_at`, the server's clock after the table lock) and
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
role can append only through it, and it keeps two things no event row can show by itself:
- the chain's head (position and hash of the last event) in `<events>_chain_head`, so a deleted
  last event leaves the head pointing past the log, and the next write is chained after the
  missing one rather than silently in its place;
- each record's last version and its position in `<events>_record_heads`, so a read finds a
  record's missing last events, and a write to a record whose last event is gone, that skips
  a version or would reuse a deleted one, or to a record `assured verify` found broken, is
  refused (SQLSTATE XX001, data_corrupted: the application answers IntegrityCheckFailed).
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
    def head(self) -> str:
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
    events, head, heads = t.ident(t.events), t.ident(t.head), t.ident(t.record_heads)
    return [
        sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS chain_position bigint, "
                "ADD COLUMN IF NOT EXISTS chain_hash bytea, "
                "ADD COLUMN IF NOT EXISTS recorded_at timestamptz").format(events),
        sql.SQL("CREATE TABLE IF NOT EXISTS {} (only_row boolean PRIMARY KEY DEFAULT true "
                "CHECK (only_row), log_id uuid NOT NULL, position bigint NOT NULL, "
                "hash bytea NOT NULL)").format(head),
        sql.SQL("INSERT INTO {} (log_id, position, hash) SELECT id, 0, sha256({} || uuid_send(id)) "
                "FROM (SELECT gen_random_uuid() AS id) AS new ON CONFLICT DO NOTHING").format(
            head, sql.Literal(GENESIS_LABEL)),
        sql.SQL("CREATE TABLE IF NOT EXISTS {} (originator_id uuid PRIMARY KEY, "
                "version bigint NOT NULL, position bigint NOT NULL)").format(heads),
    ]


def require_chain(t: ChainTables) -> sql.Composed:
    return sql.SQL("ALTER TABLE {} ALTER COLUMN chain_position SET NOT NULL, "
                   "ALTER COLUMN chain_hash SET NOT NULL, "
                   "ALTER COLUMN recorded_at SET NOT NULL").format(t.ident(t.events))


def insert_function(t: ChainTables, name: str, channel: str, lock_timeout: int) -> sql.Composed:
    """Every write: lock, notify, chain and insert the events, move the heads; one statement.

    The EXCLUSIVE lock keeps commit order equal to notification order (a follower never skips
    an event) and makes the chain's order the notification order.
    """
    return sql.SQL("""
CREATE OR REPLACE FUNCTION {function}(ids uuid[], versions bigint[], topics text[],
                                      states bytea[])
RETURNS SETOF bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $body$
DECLARE
  n integer := cardinality(ids);
  at timestamptz;
  p bigint;
  h bytea;
  positions bigint[];
  hashes bytea[];
  wanted integer;
  moved integer;
  reused record;
BEGIN
  SET LOCAL lock_timeout = '{lock_timeout}s';
  LOCK TABLE {events} IN EXCLUSIVE MODE;
  -- Each record written must be whole as recorded: its last event where its head says, the
  -- first new version next after it (an older one is a conflict the INSERT reports), and not
  -- found broken by `assured verify`.
  SELECT e.id AS originator_id, e.first, r.version, r.position INTO reused
  FROM (SELECT id, min(version) AS first FROM unnest(ids, versions) AS w(id, version)
        GROUP BY id) AS e
  LEFT JOIN {heads} AS r ON r.originator_id = e.id
  WHERE e.first > coalesce(r.version, 0) + 1
     OR (r.version IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM {events} AS x WHERE x.originator_id = e.id
           AND x.originator_version = r.version AND x.chain_position = r.position))
     OR EXISTS (SELECT 1 FROM {failed} AS f WHERE f.originator_id = e.id)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Record % was recorded up to version % (position %), but its stored events '
      'are not whole: version % is not recorded', reused.originator_id,
      coalesce(reused.version, 0), reused.position, reused.first
      USING ERRCODE = 'data_corrupted', DETAIL = reused.originator_id::text;
  END IF;
  NOTIFY {channel};
  SELECT position, hash INTO p, h FROM {head};
  at := clock_timestamp();
  FOR i IN 1..n LOOP
    p := p + 1;
    h := sha256(h || int8send(p) || uuid_send(ids[i]) || int8send(versions[i])
                || timestamptz_send(at) || sha256(convert_to(topics[i], 'UTF8'))
                || sha256(states[i]));
    positions[i] := p;
    hashes[i] := h;
  END LOOP;
  RETURN QUERY INSERT INTO {events}
      (originator_id, originator_version, topic, state, chain_position, chain_hash, recorded_at)
    SELECT e.*, at FROM unnest(ids, versions, topics, states, positions, hashes) AS e
    RETURNING notification_id;
  UPDATE {head} SET position = p, hash = h;
  WITH latest AS (
    SELECT id, max(version) AS version, max(position) AS position
    FROM unnest(ids, versions, positions) AS e(id, version, position) GROUP BY id
  ), moved AS (
    INSERT INTO {heads} AS r (originator_id, version, position) SELECT * FROM latest
    ON CONFLICT (originator_id) DO UPDATE SET version = EXCLUDED.version,
      position = EXCLUDED.position WHERE r.version < EXCLUDED.version
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM latest), (SELECT count(*) FROM moved) INTO wanted, moved;
  IF moved <> wanted THEN
    SELECT r.originator_id, r.version, r.position, e.version AS again INTO reused
    FROM {heads} AS r JOIN unnest(ids, versions) AS e(id, version)
      ON r.originator_id = e.id AND r.version >= e.version LIMIT 1;
    RAISE EXCEPTION 'Record % was recorded up to version % (position %) but its events end '
      'before it: version % is not recorded again', reused.originator_id, reused.version,
      reused.position, reused.again
      USING ERRCODE = 'data_corrupted', DETAIL = reused.originator_id::text;
  END IF;
END;
$body$""").format(function=t.ident(name), events=t.ident(t.events), head=t.ident(t.head),
                      heads=t.ident(t.record_heads), failed=t.ident(t.failed),
                      channel=sql.Identifier(channel),
                      lock_timeout=sql.SQL(str(int(lock_timeout))))
