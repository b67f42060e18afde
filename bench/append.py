"""Appends per second: the hash chain and per-subject keys against the library's own store.

Run: `.venv/bin/python bench/append.py [APPENDS]` (also `make bench`). Starts its own embedded
PostgreSQL (bench/database.py). One writer appends one event per save (feedback on one of 50
Safeguarders, whose summary is personal data: sealed with the Safeguarder's own key when
subject keys are on), in three stores on one server, in one run:

- `library`: eventsourcing 9.5's PostgreSQL recorder and mapper as shipped (no chain, no
  binding to place, no subject keys): the reference;
- `chain`: Assured's store (infra/recorder.py: one round trip, ciphertext bound to its place,
  the hash chain), with subject keys off (`SUBJECT_KEYS=off`);
- `chain + subject keys`: the same, as it runs by default.

Each prints its median appends per second over 5 rounds, the stores taking turns (so the
machine's load falls on each alike); the last line compares chain + subject keys with the
library's store against the target (they cost under 25 % of the append rate).
The 50 Safeguarders' openings (each makes its data key, one more statement) are timed apart.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.cryptography import AESCipher
from psycopg.conninfo import conninfo_to_dict

from domain.application import Assured
from domain.safeguarder_commands import ApplyToPanel, Contact, RecordFeedback
from infra.migrations import prepare_embedded
from infra.persistence import SUBJECT_KEYS
from infra.store import event_store_env

from database import fresh_database  # bench/database.py: this script's folder is on the path

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
RECORDS, ROUNDS = 50, 5
CACHE = 1000  # records kept in memory (domain/cache.py), as the API runs: each append saves
#               one event on the cached record, rather than replaying its history first
TARGET = 0.25


def library_env(url: str, key: str) -> dict[str, str]:
    params = conninfo_to_dict(url)
    return {"PERSISTENCE_MODULE": "eventsourcing.postgres", "CREATE_TABLE": "y",
            "POSTGRES_DBNAME": str(params["dbname"]), "POSTGRES_HOST": str(params["host"]),
            "POSTGRES_PORT": str(params.get("port", "5432")),
            "POSTGRES_USER": str(params.get("user", "postgres")), "POSTGRES_PASSWORD": "",
            "COMPRESSOR_TOPIC": "eventsourcing.compressor:ZlibCompressor",
            "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": key,
            "RECORD_CACHE_SIZE": str(CACHE)}


def open_records(app: Assured) -> tuple[list[Any], float]:
    """The Safeguarders the appends go to, and openings per second."""
    began = time.perf_counter()
    ids = [app.apply_to_panel(ApplyToPanel(
        name=f"Bench Person {n}", contact=Contact(email=f"p{n}@example.org"), region="East",
        by="pa-1", at=START)).aggregate_id for n in range(RECORDS)]
    return ids, RECORDS / (time.perf_counter() - began)


def append_round(app: Assured, ids: list[Any], appends: int, first: int) -> float:
    """Appends per second over one round."""
    began = time.perf_counter()
    for n in range(first, first + appends):
        app.record_feedback(RecordFeedback(
            record_id=ids[n % RECORDS], source="professional", tone="positive",
            summary=f"Listened well to the child, round note {n}", by="pa-1",
            at=START + timedelta(seconds=n + 1)))
    return appends / (time.perf_counter() - began)


def main(appends: int) -> None:
    key = AESCipher.create_key(32)
    with fresh_database("bench_library") as admin:
        envs: dict[str, dict[str, Any]] = {"library": library_env(admin, key)}
        for label, keys in (("chain", "off"), ("chain + subject keys", "on")):
            roles = prepare_embedded(admin, f"bench_{keys}", None)
            envs[label] = {**event_store_env(roles.app, key, 0, CACHE), SUBJECT_KEYS: keys}
        apps = {label: Assured(env) for label, env in envs.items()}
        try:
            opened = {label: open_records(app) for label, app in apps.items()}
            rates: dict[str, list[float]] = {label: [] for label in apps}
            for r in range(ROUNDS):  # interleaved, so the machine's load falls on each alike
                for label, app in apps.items():
                    rates[label].append(append_round(app, opened[label][0], appends,
                                                     r * appends))
        finally:
            for app in apps.values():
                app.close()
    median = {label: statistics.median(found) for label, found in rates.items()}
    base = median["library"]
    print(f"{appends} appends x {ROUNDS} rounds per store, interleaved; one event per save, "
          "one writer")
    print(f"{'store':<24}{'openings/s':>12}{'appends/s':>12}{'vs library':>12}")
    for label, rate in median.items():
        print(f"{label:<24}{opened[label][1]:>12.0f}{rate:>12.0f}{rate / base:>11.2f}x")
    keys_cost = 1 - median["chain + subject keys"] / median["chain"]
    both_cost = 1 - median["chain + subject keys"] / base
    print(f"subject keys cost {keys_cost:.1%} of the chained store's append rate")
    print(f"chain + subject keys cost {both_cost:.1%} of the library store's append rate "
          f"(target: under {TARGET:.0%}): {'met' if both_cost < TARGET else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
