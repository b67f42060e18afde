"""A 10,000-event record rebuilt as known at an instant, with and without snapshots.

Run: `.venv/bin/python bench/history_at.py [EVENTS] [REPEATS]` (defaults 10,000 and 7).
Starts its own embedded PostgreSQL (bench/database.py). One case of EVENTS events (risk changes
and concerns, the concern's summary sealed with the case's own key as in production) is saved
100 events at a time by an application that snapshots every 100 events; then, the median of
REPEATS runs of:

- baseline: the raw row fetch of the record's events (psycopg, no decoding);
- `domain.history.recorded_state_at` at the last event's time (all EVENTS events known), by an
  application without snapshots, and by one with them;
- the same at the middle event's time (half the events known);
- for comparison, the history report's way: every event of the record read, then
  `known_at(events, instant)`.

Each result is checked equal to the full replay's. Targets (issue 13): without snapshots
<= 100 ms, with them <= 5 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.cryptography import AESCipher

sys.path.insert(0, str(Path(__file__).parent.parent))

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk, OpenCase, RaiseCaseConcern
from domain.history import known_at, recorded_state_at, state_of
from infra.store import event_store_env

from database import fresh_database  # bench/database.py: this script's folder is on the path
from table import Row, at_most, print_table

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
SNAPSHOT_INTERVAL = 100
LEVELS = ["medium", "high", "escalating", "low"]


def record_long_case(app: Assured, events: int) -> Case:
    case = Case.open(OpenCase(child_reference="BENCH-0010", agency="school",
                              practitioner="pat", supervisor="sam",
                              legal_status="child_protection", risk="low", nation="ENG",
                              by="pat", at=START))
    for n in range(1, events):
        at = START + timedelta(minutes=n)
        if n % 100 == 0:
            case.raise_concern(RaiseCaseConcern(record_id=case.id, concern_id=f"c{n}",
                                                summary=f"seen at school, day {n}", by="pat",
                                                at=at))
        else:
            case.change_risk(ChangeRisk(record_id=case.id, new_risk=LEVELS[n % 4], by="sam",
                                        at=at))
        if n % 100 == 99:
            app.save(case)  # the library snapshots every SNAPSHOT_INTERVAL on save
    app.save(case)
    return case


def median_ms(action: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        began = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def raw_fetch(conn: psycopg.Connection[Any], record_id: Any) -> int:
    return len(conn.execute(
        "SELECT originator_version, topic, state FROM assured_events "
        "WHERE originator_id = %s ORDER BY originator_version", (record_id,),
        prepare=True).fetchall())


def main(events: int = 10_000, repeats: int = 7) -> None:
    key = AESCipher.create_key(32)
    with fresh_database("bench_history") as db:
        snapshotting = Assured(event_store_env(db.app, key, SNAPSHOT_INTERVAL))
        plain = Assured(event_store_env(db.app, key, 0))
        try:
            began = time.perf_counter()
            case = record_long_case(snapshotting, events)
            recorded = time.perf_counter() - began
            stored = plain.stored_events(case.id)
            assert len(stored) == events
            last, middle = stored[-1].timestamp, stored[events // 2 - 1].timestamp
            truth = {when: state_of(known_at(stored, when)) for when in (last, middle)}
            with psycopg.connect(db.app) as conn:  # (one connection, as the store's pool has)
                base, _ = median_ms(lambda: raw_fetch(conn, case.id), repeats)
            figures = {}
            for label, app in (("without snapshots", plain), ("with snapshots", snapshotting)):
                for where, when in (("all", last), ("half", middle)):
                    ms, state = median_ms(lambda a=app, w=when: recorded_state_at(a, case.id, w),
                                          repeats)
                    assert state_of(state) == truth[when], f"{label}, {where}: state differs"
                    figures[(label, where)] = ms
            report_ms, state = median_ms(
                lambda: known_at(plain.stored_events(case.id), last), repeats)
            assert state_of(state) == truth[last]
        finally:
            plain.close()
            snapshotting.close()
    print(f"One case of {events:,} events (recorded in {recorded:.1f} s, snapshots every "
          f"{SNAPSHOT_INTERVAL}); median of {repeats} runs; baseline: the raw fetch of its "
          f"{events:,} rows, {base:.1f} ms")
    rows = [
        Row(f"as known at the last event, without snapshots ({events:,} events)",
            figures[("without snapshots", "all")], base, "ms", at_most(100, "ms")),
        Row(f"as known at the middle event, without snapshots ({events // 2:,} events)",
            figures[("without snapshots", "half")], base, "ms", at_most(100, "ms")),
        Row("as known at the last event, with snapshots",
            figures[("with snapshots", "all")], base, "ms", at_most(5, "ms")),
        Row("as known at the middle event, with snapshots",
            figures[("with snapshots", "half")], base, "ms", at_most(5, "ms")),
        Row("for comparison: read every event, then known_at (the report's way)",
            report_ms, base, "ms"),
    ]
    print_table("History at an instant", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
