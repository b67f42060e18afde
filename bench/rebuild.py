"""Every read table rebuilt from a log of 1,000,000 events: each one's time and rate.

Run: `.venv/bin/python bench/rebuild.py [EVENTS]` (default 1,000,000).
Starts its own embedded PostgreSQL in a temporary folder (bench/database.py) and makes a log of
EVENTS realistic events (bench/events.py: records made through the application, then copied
under new ids, encoded by the store's mapper and appended by its insert function, a thousand
at a time; encrypted, compressed and chained as in production). Then:

- baseline: the raw paged SQL read of the same events (psycopg, pages of 1,000 by
  notification id, every topic any read model reads; fetched, not decoded);
- each read model rebuilt from zero, one after another, as `assured projections rebuild NAME`
  does (beside the live tables, then swapped in): its time, the events of its topics it
  processed, and the log's events per second it covered (the ratio is to the baseline's);
- all of them: the sum;
- the store's size on disk per event: the events table with its indexes and the chain's tables,
  and the read tables (for sizing PostgreSQL: docs/operations.md).

The issue asks for the figures (no target): the `met` column is blank.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psycopg
from eventsourcing.cryptography import AESCipher

sys.path.insert(0, str(Path(__file__).parent.parent))

from domain.application import Assured
from infra.store import event_store_env
from projections.catalog import all_projections
from projections.runner import Runner

from database import fresh_database  # bench/: this script's folder is on the path
from events import realistic_log
from table import Row, print_table

PAGE = 1000


def raw_read(url: str, topics: list[str]) -> int:
    with psycopg.connect(url) as conn:
        position, done = 0, 0
        while True:
            rows = conn.execute(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                "FROM assured_events WHERE notification_id > %s AND topic = ANY(%s) "
                "ORDER BY notification_id LIMIT %s", (position, topics, PAGE),
                prepare=True).fetchall()
            if not rows:
                return done
            position = rows[-1][0]
            done += len(rows)


def sizes(url: str) -> tuple[int, int]:
    """Bytes on disk (tables, indexes, TOAST) of the event store (events, snapshots, the
    chain's and record heads' tables, subject keys) and of the read tables."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace "
            "n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'"
        ).fetchall()
        read_tables = {t for (names,) in conn.execute("SELECT tables FROM projection_registry")
                       for t in names}
    store = sum(size for name, size in rows if name.startswith("assured_")
                or name == "subject_keys")
    return store, sum(size for name, size in rows if name in read_tables)


def main(events: int = 1_000_000) -> None:
    key = AESCipher.create_key(32)
    topics = sorted({t for p in all_projections() for t in p.topics()})
    with fresh_database("bench_rebuild") as db:
        app = Assured(event_store_env(db.app, key, 0))
        try:
            print(f"Making {events:,} events...", flush=True)
            made = realistic_log(app, events)
            runner = Runner(app, alone_in_process=True)
            began = time.perf_counter()
            read = raw_read(db.app, topics)
            base_seconds = time.perf_counter() - began
            total = app.recorder.max_notification_id() or 0
            figures = []
            for projection in runner.projections:
                began = time.perf_counter()
                processed = runner.rebuild(projection.name)
                seconds = time.perf_counter() - began
                figures.append((projection.name, seconds, processed))
                print(f"  {projection.name}: {seconds:.1f} s", flush=True)
            store_bytes, read_bytes = sizes(db.app)
        finally:
            app.close()
    base_rate = total / base_seconds
    print(f"\nA log of {total:,} events ({read:,} of the read models' topics; made in "
          f"{made:.0f} s); baseline: the raw paged read of them, {base_seconds:.1f} s, "
          f"{base_rate:,.0f} events/s. Each read model rebuilt from zero in turn: its seconds, "
          f"and the log's events per second it covered (the events of its own topics in parentheses)")
    rows = [Row(f"{name} ({processed:,} events), {seconds:.1f} s", total / seconds, base_rate,
                "log events/s") for name, seconds, processed in figures]
    all_seconds = sum(s for _, s, _ in figures)
    rows.append(Row(f"every read table, one after another, {all_seconds:.0f} s",
                    total / all_seconds, base_rate, "log events/s"))
    print_table("Rebuild", rows)
    print(f"\nOn disk: the event store {store_bytes / 2 ** 20:,.0f} MiB "
          f"({store_bytes / total:,.0f} bytes an event, indexes and chain included); "
          f"the read tables {read_bytes / 2 ** 20:,.0f} MiB ({read_bytes / total:,.0f} bytes "
          f"an event)")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
