"""Appends per second: the store as it runs against raw psycopg inserts of the same rows, and
what the hash chain and the per-subject keys cost, all in one run.

Run: `.venv/bin/python bench/append.py [SAVES] [ROUNDS]` (defaults 300 and 10: short rounds
taken in turn, so a neighbour's load falls on every variant alike; the median of each is
printed). Starts its own embedded PostgreSQL (bench/database.py) with one database per variant,
migrated as `assured db migrate` makes it. One writer; each save is one transaction.

Variants (`VARIANTS`):
- **raw inserts, 1 / 10 rows**: psycopg's own INSERT of the rows the store holds (their
  topics and ciphertexts, copied from the running store's table) into a plain table with the
  library's columns and keys: one row in autocommit, or ten rows, one INSERT each, in an explicit
  transaction, as ../shared/PERFORMANCE.md measured its baselines. The ten rows sent as one
  pipelined `executemany` are printed too, for comparison: no target is set against them;
- **no chain**: the application on the insert function as it was before the chain (lock,
  notify, insert), without per-subject keys: what a save cost before issue 11 (with the store's
  lock as it is now, the advisory lock, so that the ratio is the chain's cost alone);
- **chain**: each event linked onto the chain and its record's head moved in the insert
  function, without per-subject keys (`SUBJECT_KEYS=off`);
- **chain + subject keys**: the store as it runs: a concern's summary (the child's personal
  data) also sealed with the case's own data key (infra/subject_keys.py); one event a save, and
  ten events a save (one record's ten changes saved together).

Each save is, in turn, a risk change and a concern raised on one of 100 cases, so the domain's
work is the same everywhere. Only the saves are timed (`Assured.record`: mapping, sealing,
encrypting and the insert), not the commands that make the events between them.

Targets: a one-event save at least 0.5 x a raw one-row insert and a ten-event save at least
0.6 x a raw ten-row insert (issue 13); the chain and the subject keys together under 25 % of
the append rate, i.e. at least 0.75 x the save without them (issue 11).
"""

from __future__ import annotations

import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import psycopg
from eventsourcing.cryptography import AESCipher
from psycopg import sql

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk, OpenCase, RaiseCaseConcern
from infra.chain import ChainTables, append_lock
from infra.migrations import EVENTS, OWNER, with_user
from infra.persistence import SUBJECT_KEYS
from infra.recorder import INSERT_FUNCTION
from infra.store import event_store_env

from database import Database, fresh_database  # bench/database.py: this folder is on the path
from table import Row, at_least, print_table

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
CASES = 100
LEVELS = ["medium", "high", "escalating", "low"]

UNCHAINED = """
CREATE OR REPLACE FUNCTION {function}(ids uuid[], versions bigint[], topics text[],
                                      states bytea[])
RETURNS SETOF bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
  SET lock_timeout = '0s'
AS $$ BEGIN
  PERFORM pg_advisory_xact_lock({first_key}, {second_key});
  NOTIFY {channel};
  RETURN QUERY INSERT INTO {events} (originator_id, originator_version, topic, state)
    SELECT * FROM unnest(ids, versions, topics, states) RETURNING notification_id;
END; $$"""

RAW_TABLE = """
CREATE TABLE IF NOT EXISTS raw_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL,
  topic text NOT NULL, state bytea NOT NULL, notification_id bigserial,
  PRIMARY KEY (originator_id, originator_version));
CREATE UNIQUE INDEX IF NOT EXISTS raw_events_notification_id ON raw_events (notification_id)"""


class Rate(Protocol):
    def rate(self, saves: int) -> float:
        """Events per second over `saves` transactions."""


class Writer:
    """One variant's application and its cases, saving `batch` events per transaction."""

    def __init__(self, app: Assured, batch: int) -> None:
        self.app, self.batch = app, batch
        self.cases = [self._open(n) for n in range(CASES)]
        self.moment = START
        self.turn = 0

    def _open(self, n: int) -> Case:
        case = Case.open(OpenCase(child_reference=f"BENCH-{n:04d}", agency="social-work",
                                  practitioner="pat", supervisor="sam",
                                  legal_status="child_protection", risk="low", nation="ENG",
                                  by="pat", at=START))
        self.app.record(case)
        return case

    def _change(self, case: Case) -> None:
        self.turn += 1
        self.moment += timedelta(seconds=1)
        if self.turn % 2:
            case.raise_concern(RaiseCaseConcern(
                record_id=case.id, concern_id=f"k-{self.turn}", by="sam", at=self.moment,
                summary="Missed two school days; the family did not answer the door"))
        else:
            risk = LEVELS[(LEVELS.index(case.risk) + 1) % len(LEVELS)]
            case.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="sam",
                                        at=self.moment))

    def rate(self, saves: int) -> float:
        """Events saved per second: the time of the saves alone (the commands that make the
        events are given between them, untimed)."""
        spent = 0.0
        for n in range(saves):
            case = self.cases[n % CASES]
            for _ in range(self.batch):
                self._change(case)
            began = time.perf_counter()
            self.app.record(case)
            spent += time.perf_counter() - began
        return saves * self.batch / spent


class RawInserts:
    """psycopg inserting the store's own rows into a plain table, `batch` per transaction."""

    def __init__(self, db: Database, rows: list[tuple[Any, ...]], batch: int,
                 pipelined: bool = False) -> None:
        self.batch, self.pipelined = batch, pipelined
        with psycopg.connect(db.admin, autocommit=True) as conn:
            for statement in RAW_TABLE.split(";"):
                conn.execute(statement)  # type: ignore[call-overload]
        self.conn = psycopg.connect(db.admin, autocommit=True)
        self.rows = rows
        self.next_version: dict[uuid.UUID, int] = {}
        self.ids = [uuid.uuid4() for _ in range(CASES)]
        self.taken = 0
        self.statement = ("INSERT INTO raw_events (originator_id, originator_version, topic, "
                          "state) VALUES (%s, %s, %s, %s)")

    def _row(self, record: uuid.UUID) -> tuple[Any, ...]:
        version = self.next_version.get(record, 0) + 1
        self.next_version[record] = version
        _, _, topic, state = self.rows[self.taken % len(self.rows)]
        self.taken += 1
        return (record, version, topic, state)

    def rate(self, saves: int) -> float:
        spent = 0.0
        for n in range(saves):
            record = self.ids[n % CASES]
            rows = [self._row(record) for _ in range(self.batch)]
            began = time.perf_counter()
            if self.batch == 1:
                self.conn.execute(self.statement, rows[0], prepare=True)
            elif self.pipelined:
                with self.conn.transaction(), self.conn.cursor() as cursor:
                    cursor.executemany(self.statement, rows)
            else:
                with self.conn.transaction(), self.conn.cursor() as cursor:
                    for row in rows:
                        cursor.execute(self.statement, row, prepare=True)
            spent += time.perf_counter() - began
        return saves * self.batch / spent

    def close(self) -> None:
        self.conn.close()


def unchained(db: Database) -> None:
    """The insert function as it was before the chain, on this database (as its owner)."""
    with psycopg.connect(with_user(db.admin, OWNER), autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN chain_position DROP NOT NULL, "
                             "ALTER COLUMN chain_hash DROP NOT NULL, "
                             "ALTER COLUMN recorded_at DROP NOT NULL").format(
            sql.Identifier(EVENTS)))
        first_key, second_key = append_lock(ChainTables("public", EVENTS))
        conn.execute(sql.SQL(UNCHAINED).format(
            first_key=sql.Literal(first_key), second_key=sql.Literal(second_key),
            function=sql.Identifier("public", INSERT_FUNCTION),
            events=sql.Identifier("public", EVENTS), channel=sql.Identifier(EVENTS)))


def as_it_runs(db: Database) -> None:
    """The store as `assured db migrate` made it."""


@dataclass(frozen=True)
class Saves:
    name: str
    prepare: Callable[[Database], None]
    """Changes the freshly migrated database to this variant's (as its owner or superuser)."""
    subject_keys: bool
    batch: int

    def writer(self, db: Database, key: str) -> Writer:
        self.prepare(db)
        env = event_store_env(db.app, key, 0)
        return Writer(Assured(env if self.subject_keys else {**env, SUBJECT_KEYS: "off"}),
                      self.batch)


@dataclass(frozen=True)
class Target:
    figure: str
    baseline: str
    at_least: float
    issue: int


NO_CHAIN = Saves("save, 1 event, no chain", unchained, False, 1)
CHAIN = Saves("save, 1 event, chain", as_it_runs, False, 1)
STORE = Saves("save, 1 event, chain + subject keys", as_it_runs, True, 1)
STORE_10 = Saves("save, 10 events, chain + subject keys", as_it_runs, True, 10)
RAW, RAW_10 = "raw insert, 1 row", "raw insert, 10 rows"
RAW_10_PIPELINED = "raw insert, 10 rows, pipelined"

TARGETS = [
    Target(STORE.name, RAW, 0.5, 13),
    Target(STORE_10.name, RAW_10, 0.6, 13),
    Target(CHAIN.name, NO_CHAIN.name, 0.75, 11),
    Target(STORE.name, NO_CHAIN.name, 0.75, 11),
]


def main(saves: int, rounds: int) -> None:
    key = AESCipher.create_key(32)
    with fresh_database("bench_append_0") as first:
        saving = [NO_CHAIN, CHAIN, STORE, STORE_10]
        databases = [first, *(first.another(f"bench_append_{n}")
                              for n in range(1, len(saving) + 1))]
        variants: dict[str, Rate] = {}
        for variant, db in zip(saving, databases, strict=False):
            variants[variant.name] = variant.writer(db, key)
        for variant in variants.values():
            variant.rate(min(saves, 200))  # warm up, and rows for the raw inserts
        rows = _stored_rows(databases[saving.index(STORE)])
        raw = databases[-1]
        variants = {RAW: RawInserts(raw, rows, 1), RAW_10: RawInserts(raw, rows, 10),
                    RAW_10_PIPELINED: RawInserts(raw, rows, 10, pipelined=True), **variants}
        try:
            rates: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(rounds):
                for name, variant in variants.items():
                    rates[name].append(variant.rate(saves if "1 event" in name
                                                    or name == RAW else saves // 5))
        finally:
            for variant in variants.values():
                if isinstance(variant, Writer):
                    variant.app.close()
                elif isinstance(variant, RawInserts):
                    variant.close()
    report({name: statistics.median(r) for name, r in rates.items()}, saves, rounds)


def _stored_rows(db: Database) -> list[tuple[Any, ...]]:
    with psycopg.connect(db.admin) as conn:
        return conn.execute(sql.SQL(
            "SELECT originator_id, originator_version, topic, state FROM {} "
            "ORDER BY notification_id").format(sql.Identifier(EVENTS))).fetchall()


def report(medians: dict[str, float], saves: int, rounds: int) -> None:
    print(f"Events appended per second, one writer, one transaction per save: median of "
          f"{rounds} rounds ({saves:,} one-event saves, {saves // 5:,} ten-event saves)")
    print_table("The raw inserts (no targets)",
                [Row(name, medians[name], unit="events/s") for name in (RAW, RAW_10,
                                                                         RAW_10_PIPELINED)])
    for issue, title in ((13, "Saves against raw psycopg inserts of the same rows"),
                         (11, "What the chain and the subject keys cost")):
        print_table(f"{title} (issue {issue})", [
            Row(t.figure, medians[t.figure], medians[t.baseline], "events/s",
                at_least(t.at_least), baseline_name=t.baseline)
            for t in TARGETS if t.issue == issue])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300,
         int(sys.argv[2]) if len(sys.argv) > 2 else 10)
