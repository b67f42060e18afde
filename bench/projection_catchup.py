"""Catch-up speed of the projection runner against a raw paged-SQL baseline, in one run.

Run: `.venv/bin/python bench/projection_catchup.py [EVENTS] [REPEATS]` (defaults 100,000 and 3).
Starts its own embedded PostgreSQL in a temporary folder (bench/database.py), records EVENTS
case events (cases of 100 events each, a realistic mix, encrypted and compressed as in
production), then times, from zero and interleaved, the median of REPEATS runs of:

- baseline: plain psycopg, a page of 1,000 notifications per transaction: select by topic,
  decode, COPY one row per event, update a tracking row, commit;
- runner, one row per event: the runner with a projection writing what the baseline writes;
- runner, case_supervision: the runner rebuilding the real read model (five tables, merged
  updates, the swap into place).

Both sides decode with `projections.decoding.EventDecoder`; the application's own mapper is
timed on a sample for comparison.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from eventsourcing.cryptography import AESCipher

from domain.application import Assured
from domain.case import Case
from domain.case_commands import (
    AgreedAction,
    ChangeRisk,
    CompleteAction,
    EscalateCaseConcern,
    MarkActionOverdue,
    OpenCase,
    RaiseCaseConcern,
    RecordAuditGrade,
    RecordDiscussion,
    ResolveCaseConcern,
    SignDiscussion,
)
from domain.record import natural_id
from infra.store import event_store_env
from projections.base import Projection
from projections.case_supervision import CaseSupervision
from projections.decoding import EventDecoder
from projections.page import Page
from projections.runner import READ_TABLES, Runner

from database import fresh_database  # bench/database.py: this script's folder is on the path

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
PAGE = 1000
CASE_TOPICS = CaseSupervision.topics()


def busy_case(n: int) -> Case:
    """A case of exactly 100 events: opened, then nine months of supervision."""
    case = Case.open(OpenCase(child_reference=f"BENCH-{n:06d}", agency="school",
                              practitioner="pat", supervisor="sam",
                              legal_status="child_protection", risk="low", nation="ENG",
                              by="sam", at=START))
    for cycle in range(9):
        day = START + timedelta(days=30 * cycle + 1)
        on = day.date()
        discussion = f"d{cycle}"
        case.record_discussion(RecordDiscussion(
            record_id=case.id, discussion_id=discussion, supervisor="sam", supervisee="pat", needs="n",
            risks="r", engagement="e", capacity_for_change="c", plan="p", rag="GAR"[cycle % 3],
            actions=tuple(AgreedAction(action_id=f"a{cycle}-{k}", description="visit",
                                       owner="pat", due=on + timedelta(days=5 + 15 * k))
                          for k in range(2)),
            next_discussion_on=on + timedelta(days=30), by="sam", at=day))
        case.sign_discussion(SignDiscussion(record_id=case.id, discussion_id=discussion, party="sam",
                                            by="sam", at=day))
        case.sign_discussion(SignDiscussion(record_id=case.id, discussion_id=discussion, party="pat",
                                            by="pat", at=day))
        case.complete_action(CompleteAction(record_id=case.id, action_id=f"a{cycle}-0", by="pat",
                                            at=day + timedelta(days=4)))
        case.mark_action_overdue(MarkActionOverdue(
            record_id=case.id, action_id=f"a{cycle}-1", on=on + timedelta(days=21), by="sam",
            at=day + timedelta(days=21)))
        case.change_risk(ChangeRisk(record_id=case.id, new_risk=("medium", "high", "low")[cycle % 3],
                                    by="sam", at=day + timedelta(days=22)))
        case.raise_concern(RaiseCaseConcern(record_id=case.id, concern_id=f"c{cycle}", summary="s",
                                            by="pat", at=day + timedelta(days=23)))
        case.escalate_concern(EscalateCaseConcern(record_id=case.id, concern_id=f"c{cycle}", reason="r",
                                                  by="pat", at=day + timedelta(days=24)))
        case.resolve_concern(ResolveCaseConcern(record_id=case.id, concern_id=f"c{cycle}", outcome="o",
                                                by="sam", at=day + timedelta(days=25)))
        case.record_audit_grade(RecordAuditGrade(
            record_id=case.id, audit_id=natural_id("audit", f"bench-{cycle}"), grade="good",
            by="auditor", at=day + timedelta(days=26)))
        case.record_process_step(f"step-{cycle}", "supervision", "reminder sent", {},
                                 by="process:supervision", at=day + timedelta(days=27))
    assert case.version == 100
    return case


class Chronicle(Projection):
    """What the baseline writes, through the runner: one row per event."""

    name = "bench_chronicle"

    @classmethod
    def ddl(cls) -> str:
        return ("CREATE TABLE bench_chronicle (case_id uuid, version integer, event_type text, "
                "occurred timestamptz, recorded timestamptz, actor text, "
                "PRIMARY KEY (case_id, version))")

    def row(self, event: Any, page: Page) -> None:
        page.insert("bench_chronicle", case_id=event.originator_id,
                    version=event.originator_version, event_type=type(event).__name__,
                    occurred=event.occurred_on, recorded=event.timestamp, actor=event.actor)

    @classmethod
    def handlers(cls) -> dict[str, Any]:
        """The topics of case_supervision, every one to `row`."""
        return dict.fromkeys(CaseSupervision.handlers(), cls.row)


def baseline(url: str, decode: EventDecoder) -> int:
    """Plain psycopg: page, decode, COPY, track, commit."""
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS baseline_rows, baseline_tracking")
        conn.execute("CREATE TABLE baseline_rows (case_id uuid, version integer, "
                     "event_type text, occurred timestamptz, recorded timestamptz, actor text, "
                     "PRIMARY KEY (case_id, version))")
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
                    "ORDER BY notification_id LIMIT %s", (position, CASE_TOPICS, PAGE),
                    prepare=True).fetchall()
                if not rows:
                    return done
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


def timed(action: Callable[[], int]) -> tuple[float, int]:
    began = time.perf_counter()
    count = action()
    return time.perf_counter() - began, count


def record_events(app: Assured, events: int) -> float:
    began = time.perf_counter()
    for n in range(events // 100):
        app.record(busy_case(n))
    return time.perf_counter() - began


def mapper_rate(app: Assured, sample: int = 5000) -> float:
    notifications = app.recorder.select_notifications(start=1, limit=sample)
    began = time.perf_counter()
    for notification in notifications:
        app.mapper.to_domain_event(notification)
    return len(notifications) / (time.perf_counter() - began)


def main(events: int, repeats: int) -> None:
    with fresh_database("bench_projections") as db:
        url = db.app
        app = Assured(event_store_env(url, AESCipher.create_key(32), 0))
        try:
            print(f"Recording {events:,} case events (100 per save)...", flush=True)
            print(f"  recorded in {record_events(app, events):.1f} s")
            runs: dict[str, list[tuple[float, int]]] = {}
            methods = {
                "baseline (plain psycopg, pages of 1,000)":
                    lambda: baseline(app.env[READ_TABLES], EventDecoder(app.mapper)),
                "runner, one row per event":
                    lambda: Runner(app, [Chronicle()]).rebuild(Chronicle.name),
                "runner, case_supervision read model":
                    lambda: Runner(app, [CaseSupervision()]).rebuild(CaseSupervision.name),
            }
            for _ in range(repeats):
                for label, method in methods.items():
                    runs.setdefault(label, []).append(timed(method))
            report(runs, events, cpu=os.cpu_count(), mapper=mapper_rate(app))
        finally:
            app.close()


def report(runs: dict[str, list[tuple[float, int]]], events: int, cpu: int | None,
           mapper: float) -> None:
    print(f"\nCatch-up from zero over {events:,} events, {cpu} CPUs, median of "
          f"{len(next(iter(runs.values())))} runs")
    print(f"{'method':<44}{'events/s':>12}{'× baseline':>12}")
    rates = {}
    for label, results in runs.items():
        seconds = statistics.median(s for s, _ in results)
        counts = {c for _, c in results}
        assert counts == {events}, f"{label} processed {counts}, not {events}"
        rates[label] = events / seconds
    base = next(iter(rates.values()))
    for label, rate in rates.items():
        print(f"{label:<44}{rate:>12,.0f}{rate / base:>12.2f}")
    print(f"\n(For comparison: the application's own mapper decodes {mapper:,.0f} events/s.)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
         int(sys.argv[2]) if len(sys.argv) > 2 else 3)
