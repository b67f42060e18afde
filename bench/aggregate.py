"""Save and load one record of 1,000 events on PostgreSQL, with and without snapshots.

Run: `make bench` (or `.venv/bin/python bench/aggregate.py [EVENTS]`). Starts its own
embedded PostgreSQL in a temporary folder (bench/database.py); prints median milliseconds over
several loads. Each snapshot setting saves a record of its own, in one shared database.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from eventsourcing.cryptography import AESCipher

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk, OpenCase
from infra.store import event_store_env

from database import fresh_database  # bench/database.py: this script's folder is on the path

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def long_case(events: int) -> Case:
    case = Case.open(OpenCase(child_reference="BENCH-0001", agency="social-work",
                              practitioner="pat", supervisor="sam",
                              legal_status="child_protection", risk="low", nation="ENG",
                              by="pat", at=START))
    levels = ["medium", "high", "escalating", "low"]
    for n in range(events - 1):
        case.change_risk(ChangeRisk(record_id=case.id, new_risk=levels[n % 4], by="sam",
                                    at=START + timedelta(minutes=n + 1)))
    return case


def timed(action, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def measure(url: str, key: str, events: int, snapshot_interval: int) -> tuple[float, float]:
    app = Assured(event_store_env(url, key, snapshot_interval))
    try:
        case = long_case(events)
        began = time.perf_counter()
        app.record(case)
        save_ms = (time.perf_counter() - began) * 1000
        load_ms = timed(lambda: app.load(case.id, Case))
    finally:
        app.close()
    return save_ms, load_ms


def main(events: int) -> None:
    key = AESCipher.create_key(32)
    with fresh_database("bench_aggregate") as db:
        url = db.app
        print(f"{events}-event Case, PostgreSQL {url}")
        print(f"{'snapshots':<24}{'save (ms)':>12}{'load, median of 5 (ms)':>26}")
        for label, interval in (("none", 0), ("every 50 events", 50),
                                ("every 1,000 events", 1000)):
            save_ms, load_ms = measure(url, key, events, interval)
            print(f"{label:<24}{save_ms:>12.1f}{load_ms:>26.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
