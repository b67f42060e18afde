"""Catch-up speed of every read model together against a raw paged-SQL baseline, in one run.

Run: `.venv/bin/python bench/projection_catchup.py [EVENTS] [REPEATS]` (defaults 100,000 and 3).
Starts its own embedded PostgreSQL in a temporary folder (bench/database.py) and makes a log of
EVENTS realistic events (bench/events.py: records made through the application, then copied
under new ids; encrypted, compressed and chained as in production), with every read model
built empty before the first event (as a follower that fell behind finds them). Each run
starts from a fresh copy of that database (`CREATE DATABASE … TEMPLATE`) and times, interleaved,
the median of REPEATS runs of:

- baseline: plain psycopg over the same events (every topic any read model reads), a page of
  1,000 per transaction: select, decode, COPY one row per event, update a tracking row,
  commit;
- the runner catching up every read model, as `assured projections run` does after a pause
  (`Runner.catch_up_all`);
- for comparison, the runner catching up each read model in turn, on its own.

Figures are events of the log per second. Both sides decode with
`projections.decoding.EventDecoder`. Target (issue 13): every read model together >= 0.75 x the
baseline.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from eventsourcing.cryptography import AESCipher
from psycopg import sql
from psycopg.conninfo import make_conninfo

sys.path.insert(0, str(Path(__file__).parent.parent))

from domain.application import Assured
from infra.store import event_store_env
from projections.catalog import all_projections
from projections.decoding import EventDecoder
from projections.runner import READ_TABLES, Runner

from database import Database, fresh_database  # bench/: this script's folder is on the path
from events import realistic_log
from table import Row, at_least, print_table

PAGE = 1000
TARGET = 0.75


def read_topics() -> list[str]:
    return sorted({t for p in all_projections() for t in p.topics()})


def baseline(url: str, decode: EventDecoder, topics: list[str]) -> int:
    """Plain psycopg: page, decode, COPY, track, commit."""
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE baseline_rows (record_id uuid, version integer, "
                     "event_type text, occurred timestamptz, recorded timestamptz, actor text, "
                     "PRIMARY KEY (record_id, version))")
        conn.execute("CREATE TABLE baseline_tracking (application_name text PRIMARY KEY, "
                     "notification_id bigint)")
        conn.execute("INSERT INTO baseline_tracking VALUES ('Assured', 0)")
        conn.commit()
        position, done = 0, 0
        while True:
            with conn.transaction(), conn.cursor() as cursor:
                rows = cursor.execute(
                    "SELECT notification_id, originator_id, originator_version, topic, state "
                    "FROM assured_events WHERE notification_id > %s AND topic = ANY(%s) "
                    "ORDER BY notification_id LIMIT %s", (position, topics, PAGE),
                    prepare=True).fetchall()
                if not rows:
                    return done
                decode.prefetch({row[1] for row in rows})  # the subject keys, as the runner
                with cursor.copy("COPY baseline_rows FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(["uuid", "int4", "text", "timestamptz", "timestamptz",
                                    "text"])
                    for _, originator_id, version, topic, state in rows:
                        e = decode(topic, originator_id, version, state)
                        copy.write_row((e.originator_id, e.originator_version,
                                        type(e).__name__, e.occurred_on, e.timestamp, e.actor))
                position = rows[-1][0]
                cursor.execute("UPDATE baseline_tracking SET notification_id = %s",
                               (position,), prepare=True)
                done += len(rows)


def prepare(db: Database, key: str, events: int) -> tuple[int, int]:
    """The template database: the read models built empty, then the log. (events, of
    which the read models' topics)."""
    app = Assured(event_store_env(db.app, key, 0))
    try:
        Runner(app, alone_in_process=True).catch_up_all()  # every read model's tables, empty, at position 0
        realistic_log(app, events)
        with psycopg.connect(db.app) as conn:
            total, read = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE topic = ANY(%s)) FROM assured_events",
                (read_topics(),)).fetchone()  # type: ignore[misc]
        return int(total), int(read)
    finally:
        app.close()


class Copies:
    """Fresh copies of the template database, one per timed run."""

    def __init__(self, db: Database, template: str) -> None:
        self.db, self.template, self.made = db, template, 0

    def fresh(self) -> Database:
        self.made += 1
        name = f"{self.template}_{self.made}"
        with psycopg.connect(self.db.server, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(self.template)))
        return Database(make_conninfo(self.db.app, dbname=name),
                        make_conninfo(self.db.admin, dbname=name), self.db.server)


def timed(copies: Copies, key: str, action: Callable[[Assured], int]) -> tuple[float, int]:
    db = copies.fresh()
    app = Assured(event_store_env(db.app, key, 0))
    try:
        began = time.perf_counter()
        count = action(app)
        return time.perf_counter() - began, count
    finally:
        app.close()


def each_in_turn(app: Assured) -> int:
    runner = Runner(app, alone_in_process=True)
    return sum(runner.catch_up(p) for p in runner.projections)


def main(events: int = 100_000, repeats: int = 3) -> None:
    key = AESCipher.create_key(32)
    topics = read_topics()
    with fresh_database("bench_catchup") as db:
        print(f"Making {events:,} events...", flush=True)
        total, read = prepare(db, key, events)
        copies = Copies(db, "bench_catchup")
        methods: dict[str, Callable[[Assured], int]] = {
            "baseline": lambda app: baseline(app.env[READ_TABLES], EventDecoder(app.mapper),
                                             topics),
            "together": lambda app: Runner(app, alone_in_process=True).catch_up_all(),
            "in turn": each_in_turn,
        }
        runs: dict[str, list[float]] = {name: [] for name in methods}
        processed: dict[str, set[int]] = {name: set() for name in methods}
        for _ in range(repeats):
            for name, method in methods.items():
                seconds, count = timed(copies, key, method)
                runs[name].append(seconds)
                processed[name].add(count)
    rate = {name: total / statistics.median(seconds) for name, seconds in runs.items()}
    models = len(all_projections())
    print(f"Catch-up from zero over a log of {total:,} events ({read:,} of the read models' "
          f"topics), {models} read models; median of {repeats} runs, each on a fresh copy; "
          f"events processed per run: baseline {sorted(processed['baseline'])}, "
          f"every model together {sorted(processed['together'])} (an event counts once per "
          f"model that reads it)")
    rows = [
        Row("every read model together", rate["together"], rate["baseline"], "events/s",
            at_least(TARGET)),
        Row("each read model in turn (for comparison)", rate["in turn"], rate["baseline"],
            "events/s"),
        Row("baseline: plain psycopg, pages of 1,000, a row per event", rate["baseline"],
            rate["baseline"], "events/s"),
    ]
    print_table("Projection catch-up", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
