"""Authorising a read of a case costs the same with 10 audits in the log as with 10,000.

What it measures: `api.access.authorised(app, who, Action.READ, "case", case_id)`, what the
HTTP read of a case does before anything else: load the case, take the policy's facts from it,
decide. Two readers: the case's supervisor, and a practice review member, who may read the case
only because an audit selected it. That fact (`named_in_review`) comes from the audits the case
keeps (`Case.audits`); it was once found by scanning every audit-selection notification in the
log, a cost that grew with every audit ever run.

Set up, on a private embedded PostgreSQL (bench/database.py): one measured case, selected in
exactly one audit; other audits, each selecting two cases at random from a pool of 20 other
cases, up to 10 audits in the log; time; then more, up to 10,000; time again. Both readers are
timed on an application without a record cache (each authorisation loads the case from the
store) and on one with it (`cache_size=10000`: it asks the store only for events recorded
since), in interleaved batches of 200 authorisations. Each figure is the fastest batch: noise
on a shared machine only ever adds time, and drifts by some 15% over seconds, which the median
of batches follows (it is printed as a second ratio, for comparison).

Run: `.venv/bin/python bench/case_authorisation.py [AUDITS]` (default 10,000; under a minute
on 2 cores, most of it recording the audits).

Target: the ratio of 10,000 audits to 10 is about 1 in every column (0.8 to 1.25).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import psycopg
from eventsourcing.cryptography import AESCipher

from api.access import authorised, facts_of
from api.auth import Principal
from api.policy import Action
from domain.accounts import Role
from domain.application import Assured
from domain.audit_commands import PlanAudit, SelectCasesAtRandom
from domain.case_commands import OpenCase
from infra.store import event_store_env

from database import fresh_database  # bench/database.py: this script's folder is on the path

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
FEW = 10
POOL = 20  # the other cases the audits select from
SAMPLE = 2  # cases each of those audits selects
BATCH = 200
BATCHES = 15
SNAPSHOT_INTERVAL = 50  # as in production (infra.settings)
CACHE_SIZE = 10_000
LOW, HIGH = 0.8, 1.25  # about 1: what this machine's noise allows between two stages

READERS = {
    "supervisor": Principal("sam", Role.SUPERVISOR),
    "practice review member": Principal("prm-1", Role.PRACTICE_REVIEW_MEMBER),
}


def open_case(app: Assured, n: int, supervisor: str) -> UUID:
    return app.open_case(OpenCase(
        child_reference=f"BENCH-{n:05d}", agency="Children's social care",
        practitioner=f"pat-{n}", supervisor=supervisor, legal_status="child_protection",
        risk="high", nation="ENG", by=supervisor, at=START)).aggregate_id


def run_audit(app: Assured, n: int, population: list[UUID], sample_size: int) -> None:
    """Plan audit `n` and select its cases (each chosen case notes it, in the same save)."""
    at = START + timedelta(seconds=n)
    planned = app.plan_audit(PlanAudit(
        reference=f"BENCH-AUDIT-{n:05d}", theme="Supervision of children in need",
        dimension="multi_agency", audit_type="multi_agency_practice", year=2026,
        agencies=("Police", "Health"), sample_size=sample_size, returns_due=date(2026, 6, 30),
        by="prm-1", at=at))
    # By the process, as the audit cycle would; on the record just made, sparing a reload.
    app.select_cases_at_random(SelectCasesAtRandom(
        record_id=planned.aggregate_id, population=tuple(str(c) for c in population), seed=n,
        by="process:audit-cycle", at=at), on=planned.record)


def settle(url: str) -> None:
    """Let the database catch up on the writes before timing: vacuum and statistics now, and
    a checkpoint, so neither autovacuum nor a checkpoint runs beside the timed reads (the
    machine has only two cores), and Python's collector is not left a backlog either."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")
    gc.collect()


def audits_in_log(url: str) -> tuple[int, int]:
    """Audit selections and events of any kind in the log, counted in the store itself."""
    with psycopg.connect(url) as conn:
        selections, events = conn.execute(
            "SELECT count(*) FILTER (WHERE topic LIKE '%CasesSelected%'), count(*) "
            "FROM assured_events").fetchone()  # type: ignore[misc]
    return selections, events


def batch(app: Assured, who: Principal, case_id: UUID) -> float:
    """Microseconds per authorisation over one batch of BATCH."""
    began = time.perf_counter()
    for _ in range(BATCH):
        authorised(app, who, Action.READ, "case", case_id)
    return (time.perf_counter() - began) / BATCH * 1e6


Column = tuple[str, str]  # (reader, "uncached" or "cached")


@dataclass(frozen=True)
class Stage:
    """The log as it stood (counted in the store) and the batches timed on it."""

    audits: int
    events: int
    batches: dict[Column, list[float]]

    def best(self, column: Column) -> float:
        return min(self.batches[column])

    def median(self, column: Column) -> float:
        return statistics.median(self.batches[column])


def measure(url: str, apps: dict[str, Assured], case_id: UUID) -> Stage:
    """Each reader on each application, BATCHES batches. The batches are interleaved, so a slow
    spell of the machine falls on every column alike; the first round warms up and is left
    out."""
    columns = [(reader, cache) for reader in READERS for cache in apps]
    for reader, cache in columns:
        record = authorised(apps[cache], READERS[reader], Action.READ, "case", case_id)
        assert record.id == case_id and facts_of("case", record).named_in_review
    times: dict[Column, list[float]] = {column: [] for column in columns}
    for _ in range(BATCHES + 1):
        for reader, cache in columns:
            times[reader, cache].append(batch(apps[cache], READERS[reader], case_id))
    return Stage(*audits_in_log(url), {column: found[1:] for column, found in times.items()})


def main(many: int) -> None:
    if many <= FEW:
        sys.exit(f"AUDITS must be more than {FEW}")
    key = AESCipher.create_key(32)
    with fresh_database("bench_case_authorisation") as db:
        url = db.app
        setup = Assured(event_store_env(url, key, SNAPSHOT_INTERVAL, CACHE_SIZE))
        apps = {"uncached": Assured(event_store_env(url, key, SNAPSHOT_INTERVAL)),
                "cached": Assured(event_store_env(url, key, SNAPSHOT_INTERVAL, CACHE_SIZE))}
        try:
            began = time.perf_counter()
            case_id = open_case(setup, 0, "sam")
            pool = [open_case(setup, n, f"sup-{n}") for n in range(1, POOL + 1)]
            run_audit(setup, 0, [case_id], 1)
            stages = []
            for n in range(1, many):
                run_audit(setup, n, pool, SAMPLE)
                if n + 1 in (FEW, many):
                    settle(db.admin)
                    stages.append(measure(url, apps, case_id))
            elapsed = time.perf_counter() - began
        finally:
            for app in (setup, *apps.values()):
                app.close()
    report(stages, elapsed)


def report(stages: list[Stage], elapsed: float) -> None:
    columns = [(reader, cache) for reader in READERS for cache in ("uncached", "cached")]
    print(f"Authorising a read of one case (2 events, selected in one audit): microseconds per "
          f"authorisation, the fastest of {BATCHES} batches of {BATCH}")
    print(f"(the other audits select {SAMPLE} of {POOL} other cases each; set up and timed "
          f"in {elapsed:.0f} s)\n")
    print(f"{'':<28}" + "".join(f"{reader:>24}" for reader in READERS))
    print(f"{'audits in the log':<18}{'events':>10}"
          + "".join(f"{cache:>12}" for _, cache in columns))
    for stage in stages:
        print(f"{stage.audits:<18,}{stage.events:>10,}"
              + "".join(f"{stage.best(c):>12.0f}" for c in columns))
    few, lots = stages[0], stages[-1]
    ratios = [lots.best(c) / few.best(c) for c in columns]
    print(f"{f'ratio {lots.audits:,} / {few.audits:,}':<28}"
          + "".join(f"{r:>12.2f}" for r in ratios))
    print(f"{'  the same, of medians':<28}"
          + "".join(f"{lots.median(c) / few.median(c):>12.2f}" for c in columns))
    met = all(LOW <= r <= HIGH for r in ratios)
    print(f"\ntarget: ratio about 1 ({LOW} to {HIGH}): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
