"""Eight writers append 500 events each (in saves of one event and of five) at the same time,
while the projection runner follows the log live: the notification ids run 1, 2, 3… with no
gap, and every event is projected exactly once, by a tally of one row per event and by the real
case read model.

A follower moves its position past each id it has read, so an id that became visible after a
higher one (an out-of-order commit) would be skipped for ever: the tally would lack it. The test
asks only what the store promises (its notification log through the recorder's public methods,
and the events of each record), not how the insert is made.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk, OpenCase
from projections.base import Projection
from projections.case_supervision import CaseSupervision
from projections.page import Page
from projections.runner import Runner
from tests.faults.conftest import until

WRITERS, EVENTS_EACH, CASES_EACH = 8, 500, 5
RISKS = ("low", "medium", "high")


class Tally(Projection):
    """One row per event of a case, with no key: an event projected twice shows twice."""

    name = "faults_tally"

    @classmethod
    def ddl(cls) -> str:
        return "CREATE TABLE faults_tally (originator_id uuid NOT NULL, version integer NOT NULL)"

    def row(self, event: Any, page: Page) -> None:
        page.insert("faults_tally", originator_id=event.originator_id,
                    version=event.originator_version)

    @classmethod
    def handlers(cls) -> dict[str, Any]:
        """Every topic the case read model takes."""
        return dict.fromkeys(CaseSupervision.handlers(), cls.row)


def write(app: Assured, writer: int, failures: list[BaseException]) -> None:
    """Open five cases (a case and its reference a save), then change their risk: two saves
    of one event, then one of five, and again, until this writer has appended 500 events."""
    try:
        opened = datetime.now(UTC) - timedelta(days=30)
        cases = [app.open_case(OpenCase(
            child_reference=f"W{writer}-{n}", agency="school", practitioner="pat",
            supervisor="sam", legal_status="child_in_need", risk="low", nation="ENG", by="sam",
            at=opened)).record.id for n in range(CASES_EACH)]
        changes, risk = iter(range(EVENTS_EACH)), dict.fromkeys(cases, 0)

        def change(case_id: UUID) -> ChangeRisk:
            risk[case_id] = (risk[case_id] + 1) % len(RISKS)  # always to another level
            return ChangeRisk(record_id=case_id, new_risk=RISKS[risk[case_id]], by="sam",
                              at=opened + timedelta(seconds=next(changes)))

        for n in range((EVENTS_EACH - 2 * CASES_EACH) // 7):
            case_id = cases[n % CASES_EACH]
            for _ in range(2):
                app.change_risk(change(case_id))
            case = app.load(case_id, Case)
            for _ in range(5):
                case.change_risk(change(case_id))
            app.record(case)
    except BaseException as failed:  # noqa: BLE001 (reported by the test)
        failures.append(failed)


def tracked(runner: Runner, name: str) -> int:
    with runner.connect(autocommit=True) as conn:
        row = conn.execute(f"SELECT notification_id FROM {name}_tracking").fetchone()
        return int(row[0]) if row and row[0] is not None else 0


def test_concurrent_writers_leave_no_gap_and_a_live_follower_projects_each_event_once(
    make_app: Callable[..., Assured],
) -> None:
    began = time.monotonic()
    reader = make_app()
    runner = Runner(reader, [Tally(), CaseSupervision()])
    stop = threading.Event()
    follower = threading.Thread(target=runner.follow, name="faults-follower",
                                kwargs={"stop_event": stop, "poll_interval": 0.2})
    follower.start()
    try:
        until(lambda: runner.status()[0].state == "current", 30, "the tally built")
        failures: list[BaseException] = []
        writers = [threading.Thread(target=write, args=(make_app(cache_size=100), n, failures))
                   for n in range(WRITERS)]
        for thread in writers:
            thread.start()
        seen_while_writing = set()
        while any(thread.is_alive() for thread in writers):
            seen_while_writing.add(tracked(runner, Tally.name))
            assert time.monotonic() - began < 120, "the writers did not finish"
            time.sleep(0.2)
        assert not failures, failures
        written = time.monotonic()
        total = WRITERS * EVENTS_EACH
        until(lambda: all(s.position == total for s in runner.status()), 60,
              "the follower catching up")
    finally:
        stop.set()
        follower.join(30)
    assert not follower.is_alive()
    assert any(0 < position < total for position in seen_while_writing), "it never followed live"

    notifications = reader.recorder.select_notifications(start=1, limit=total + 100)
    assert [n.id for n in notifications] == list(range(1, total + 1))
    assert reader.recorder.max_notification_id() == total
    case_events = Counter((n.originator_id, n.originator_version) for n in notifications
                          if n.topic in Tally.handlers())
    assert len(case_events) == WRITERS * (EVENTS_EACH - CASES_EACH)  # the references aside
    with runner.connect(autocommit=True) as conn:
        tally = Counter(conn.execute("SELECT originator_id, version FROM faults_tally"))
        chronology = chronicled(conn)
    assert tally == case_events  # each exactly once
    assert chronology == set(case_events)
    print(f"\n{total:,} events by {WRITERS} writers in {written - began:.1f} s; "
          f"{time.monotonic() - began:.1f} s in all")


def chronicled(conn: psycopg.Connection[Any]) -> set[tuple[UUID, int]]:
    rows = conn.execute("SELECT case_id, version FROM case_chronology").fetchall()
    assert len(rows) == len(set(rows))
    return set(rows)
