"""Appends per second through the application, with and without the hash chain, in one run.

Run: `.venv/bin/python bench/append.py [APPENDS] [ROUNDS]` (defaults 300 and 10: short rounds
taken in turn, so a neighbour's load falls on every variant alike). Starts its
own embedded PostgreSQL (bench/database.py) with one database per variant, migrated as
`assured db migrate` makes it; each variant's application saves one event per transaction
(on one of 100 cases, in turn a risk change and a concern raised, whose summary is the child's
personal data, so the domain's work is the same everywhere). The variants take turns, ROUNDS
times, and the median rate of each is printed with its ratio to the baseline.

Variants (`VARIANTS`):
- **baseline**: the insert function as it was before the chain (lock, notify, insert), on the
  same tables, without per-subject keys: what a save cost before issue 11;
- **chain**: each event hashed onto the chain in the insert function, the chain's head and the
  record's head moved, the record checked whole before the write; no per-subject keys
  (`SUBJECT_KEYS=off`);
- **chain + subject keys**: the store as it runs: the concern's summary also sealed with the
  case's own data key (infra/subject_keys.py).

Target (issue 11): the chain and per-subject keys together cost under 25 % of the append rate,
so every variant's rate is at least 0.75 x the baseline's.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg
from eventsourcing.cryptography import AESCipher
from psycopg import sql

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk, OpenCase, RaiseCaseConcern
from infra.migrations import EVENTS, OWNER, with_user
from infra.persistence import SUBJECT_KEYS
from infra.recorder import INSERT_FUNCTION
from infra.store import event_store_env

from database import Database, fresh_database  # bench/database.py: this folder is on the path

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
CASES = 100
TARGET = 0.75
LEVELS = ["medium", "high", "escalating", "low"]

UNCHAINED = """
CREATE OR REPLACE FUNCTION {function}(ids uuid[], versions bigint[], topics text[],
                                      states bytea[])
RETURNS SETOF bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ BEGIN
  LOCK TABLE {events} IN EXCLUSIVE MODE;
  NOTIFY {channel};
  RETURN QUERY INSERT INTO {events} (originator_id, originator_version, topic, state)
    SELECT * FROM unnest(ids, versions, topics, states) RETURNING notification_id;
END; $$"""


def unchained(db: Database) -> None:
    """The insert function as it was before the chain, on this database (as its owner)."""
    with psycopg.connect(with_user(db.admin, OWNER), autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN chain_position DROP NOT NULL, "
                             "ALTER COLUMN chain_hash DROP NOT NULL, "
                             "ALTER COLUMN recorded_at DROP NOT NULL").format(
            sql.Identifier(EVENTS)))
        conn.execute(sql.SQL(UNCHAINED).format(
            function=sql.Identifier("public", INSERT_FUNCTION),
            events=sql.Identifier("public", EVENTS), channel=sql.Identifier(EVENTS)))


def as_it_runs(db: Database) -> None:
    """The store as `assured db migrate` made it."""


@dataclass(frozen=True)
class Variant:
    name: str
    prepare: Callable[[Database], None]
    """Changes the freshly migrated database to this variant's (as its owner or superuser)."""
    env: Callable[[Database, str], dict[str, str]] = lambda db, key: event_store_env(db.app, key, 0)
    """The application's environment on that database, with the store's key."""


def without_subject_keys(db: Database, key: str) -> dict[str, str]:
    return {**event_store_env(db.app, key, 0), SUBJECT_KEYS: "off"}


VARIANTS = [Variant("baseline (no chain)", unchained, without_subject_keys),
            Variant("chain", as_it_runs, without_subject_keys),
            Variant("chain + subject keys", as_it_runs)]


class Writer:
    """One variant's application and its cases, saving one event per transaction."""

    def __init__(self, variant: Variant, db: Database, key: str) -> None:
        variant.prepare(db)
        self.app = Assured(variant.env(db, key))
        self.cases = [self._open(n) for n in range(CASES)]
        self.moment = START

    def _open(self, n: int) -> Case:
        case = Case.open(OpenCase(child_reference=f"BENCH-{n:04d}", agency="social-work",
                                  practitioner="pat", supervisor="sam",
                                  legal_status="child_protection", risk="low", nation="ENG",
                                  by="pat", at=START))
        self.app.record(case)
        return case

    def appends_per_second(self, appends: int) -> float:
        began = time.perf_counter()
        for n in range(appends):
            case = self.cases[n % CASES]
            self.moment += timedelta(seconds=1)
            if n % 2:
                case.raise_concern(RaiseCaseConcern(
                    record_id=case.id, concern_id=f"k-{self.moment.timestamp():.0f}", by="sam",
                    summary="Missed two school days; the family did not answer", at=self.moment))
            else:
                risk = LEVELS[(LEVELS.index(case.risk) + 1) % len(LEVELS)]
                case.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="sam",
                                            at=self.moment))
            self.app.record(case)
        return appends / (time.perf_counter() - began)


def main(appends: int, rounds: int) -> None:
    key = AESCipher.create_key(32)
    with fresh_database("bench_append_0") as first:
        # One server: each further variant gets a database of its own on it.
        databases = [first, *(first.another(f"bench_append_{n}")
                              for n in range(1, len(VARIANTS)))]
        writers = [Writer(v, db, key) for v, db in zip(VARIANTS, databases, strict=True)]
        try:
            for writer in writers:
                writer.appends_per_second(min(appends, 200))  # warm up
            rates: list[list[float]] = [[] for _ in writers]
            for _ in range(rounds):
                for n, writer in enumerate(writers):
                    rates[n].append(writer.appends_per_second(appends))
        finally:
            for writer in writers:
                writer.app.close()
    report([statistics.median(r) for r in rates], appends, rounds)


def report(medians: list[float], appends: int, rounds: int) -> None:
    print(f"Appends per second, one event per transaction, one writer: median of {rounds} "
          f"rounds of {appends:,}")
    width = max(len(v.name) for v in VARIANTS) + 2
    print(f"{'variant':<{width}}{'appends/s':>12}{'x baseline':>12}{'target':>10}{'met':>6}")
    baseline = medians[0]
    for variant, rate in zip(VARIANTS, medians, strict=True):
        ratio = rate / baseline
        met = "—" if rate is baseline else ("yes" if ratio >= TARGET else "NO")
        target = "—" if rate is baseline else f">= {TARGET:.2f}"
        print(f"{variant.name:<{width}}{rate:>12,.0f}{ratio:>12.2f}{target:>10}{met:>6}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300,
         int(sys.argv[2]) if len(sys.argv) > 2 else 10)
