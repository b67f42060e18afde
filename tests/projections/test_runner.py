"""The projection runner on a real PostgreSQL: paging, crash safety, live follow and rebuilds."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

from domain.application import Assured
from domain.case import Case
from domain.case_commands import OpenCase
from projections.case_supervision import CaseSupervision
from projections import paging
from projections.catalog import all_projections
from projections.runner import CONNECTION_NAME, ProjectionOutdated, Runner, wait_for
from tests.projections.conftest import position, read_tables
from tests.projections.stories import World
from tests.refusals import at

CASE_TOPICS_SQL = ("SELECT count(*) FROM assured_events e WHERE notification_id <= %s AND "
                   "(topic LIKE 'domain.case:%%' OR (topic LIKE '%%ProcessStepRecorded' AND "
                   "EXISTS (SELECT 1 FROM case_state s WHERE s.case_id = e.originator_id)))")


def new_case(reference: str, legal_status: str = "child_in_need") -> Case:
    return Case.open(OpenCase(child_reference=reference, agency="school", practitioner="pat",
                              supervisor="sam", legal_status=legal_status, risk="low",
                              nation="ENG", by="pat", at=at(0)))


def catch_up_all(runner: Runner) -> None:
    for projection in runner.projections:
        runner.catch_up(projection)


def rebuilt(runner: Runner, conn: psycopg.Connection[Any], name: str) -> dict[str, Any]:
    runner.rebuild(name)
    return read_tables(conn, name)


@contextmanager
def following(runner: Runner, poll_interval: float = 5.0) -> Iterator[threading.Event]:
    """The runner following the log in a thread, for the length of the block."""
    stop = threading.Event()
    thread = threading.Thread(target=runner.follow, kwargs={
        "stop_event": stop, "poll_interval": poll_interval})
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(timeout=10)
        assert not thread.is_alive()


def eventually(check: Any, timeout: float = 5.0) -> float:
    """Seconds until `check()` is true; fails after `timeout`."""
    began = time.monotonic()
    while not check():
        assert time.monotonic() - began < timeout, "not within the time allowed"
        time.sleep(0.01)
    return time.monotonic() - began


# --- catching up ------------------------------------------------------------------------------


def test_following_in_rounds_builds_the_same_tables_as_a_rebuild_from_zero(
    world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    catch_up_all(runner)  # built on the empty log, then kept up to date page by page
    for _ in range(4):
        world.next_round()
        catch_up_all(runner)
    for projection in runner.projections:
        followed = read_tables(conn, projection.name)
        assert all(followed.values()), f"{projection.name} left a table empty"
        big_pages = Runner(world.app, page_size=1000)
        assert rebuilt(big_pages, conn, projection.name) == followed


def test_catching_up_together_in_rounds_builds_the_same_tables_as_a_rebuild_from_zero(
    world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    """Every read model in one pass (`Runner.catch_up_all`, what the follower does), one of
    them ahead of the rest for a while, builds what a rebuild of each alone builds."""
    runner.catch_up_all()
    for round_ in range(4):
        world.next_round()
        if round_ == 1:
            runner.catch_up(CaseSupervision())  # ahead: the next pages skip what it has
            world.next_round()
        runner.catch_up_all()
    for projection in runner.projections:
        followed = read_tables(conn, projection.name)
        assert all(followed.values()), f"{projection.name} left a table empty"
        assert rebuilt(Runner(world.app, page_size=1000), conn, projection.name) == followed


def test_a_page_ends_at_the_stop_even_when_later_events_are_recorded(
    world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    world.next_round()
    topics = sorted(CaseSupervision.topics())
    with runner.connect(autocommit=True) as reader:
        ids = [row[0] for row in reader.execute(
            "SELECT notification_id FROM assured_events WHERE topic = ANY(%s) "
            "ORDER BY notification_id", (topics,)).fetchall()]
        assert len(ids) > 4
        stop = ids[3]
        rows, end = runner.pager._page(reader, 0, stop, topics, 1000)
        assert [row[0] for row in rows] == ids[:4] and end == stop
        rows, end = runner.pager._page(reader, 0, ids[-1], topics, 2)
        assert [row[0] for row in rows] == ids[:2] and end == ids[1]


def test_the_garbage_collector_is_paused_while_pages_are_handled_then_as_it_was() -> None:
    assert gc.isenabled()
    with paging.collector_paused():
        assert not gc.isenabled()
        with paging.collector_paused():  # another runner of the process, at the same time
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paging.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()


def test_a_crash_after_a_page_is_written_but_before_it_commits_counts_nothing_twice(
    world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    class PowerCut(BaseException):
        """The process dies: not an error a read model can stop at (projections/faults.py)."""

    class CutOff(CaseSupervision):
        pages = 0

        def end_page(self, cursor: psycopg.Cursor[Any]) -> None:
            self.pages += 1
            if self.pages == 3:  # the third page's rows are written; its commit never comes
                raise PowerCut("power cut")

    world.next_round()
    runner.catch_up(CaseSupervision())
    world.next_round()
    world.next_round()
    with pytest.raises(PowerCut, match="power cut"):
        runner.catch_up(CutOff())
    stopped_at = position(conn, "case_supervision")
    chronicled = conn.execute("SELECT count(*) FROM case_chronology").fetchone()
    assert chronicled == conn.execute(CASE_TOPICS_SQL, (stopped_at,)).fetchone()

    runner.catch_up(CaseSupervision())  # the restart
    followed = read_tables(conn, "case_supervision")
    assert rebuilt(runner, conn, "case_supervision") == followed


def test_a_restart_resumes_from_the_last_committed_page(
    world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    world.next_round()
    runner.catch_up(CaseSupervision())
    stopped_at = position(conn, "case_supervision")
    world.next_round()
    restarted = Runner(world.app, page_size=3)
    processed = restarted.catch_up(CaseSupervision())
    recorded_since = conn.execute(
        "SELECT count(*) FROM assured_events WHERE notification_id > %s AND topic = ANY(%s)",
        (stopped_at, CaseSupervision.topics())).fetchone()
    assert recorded_since is not None and processed == recorded_since[0] > 0
    assert restarted.catch_up(CaseSupervision()) == 0


def test_two_runners_of_one_projection_never_process_a_page_twice(
    world: World, app: Assured, conn: psycopg.Connection[Any]
) -> None:
    Runner(app).catch_up(CaseSupervision())
    for _ in range(3):
        world.next_round()
    runners = [Runner(app, page_size=5) for _ in range(2)]
    counts: list[int] = []
    threads = [threading.Thread(target=lambda r=r: counts.append(r.catch_up(CaseSupervision())))
               for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    followed = read_tables(conn, "case_supervision")
    assert rebuilt(runners[0], conn, "case_supervision") == followed
    assert len(counts) == 2


def test_only_events_of_the_projection_topics_are_decoded(
    world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    world.next_round()
    decoded: list[str] = []
    decode = runner.pager.decode

    def counting(topic: str, *rest: Any) -> Any:
        decoded.append(topic)
        return decode(topic, *rest)

    runner.pager.decode = counting  # type: ignore[assignment]
    runner.catch_up(CaseSupervision())
    assert decoded and set(decoded) <= set(CaseSupervision.topics())
    all_events = conn.execute("SELECT count(*) FROM assured_events").fetchone()
    assert all_events is not None and len(decoded) < all_events[0]


# --- following live ---------------------------------------------------------------------------


def test_following_shows_a_new_case_in_the_read_tables_within_a_second(
    app: Assured, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    runner.catch_up(CaseSupervision())
    with following(runner, poll_interval=30.0):  # so only the store's NOTIFY can wake it
        time.sleep(0.3)
        case = new_case("CH-0001")
        app.record(case)
        seconds = eventually(lambda: conn.execute(
            "SELECT 1 FROM case_chronology WHERE case_id = %s", (case.id,)).fetchone())
    assert seconds < 1.0


def test_following_polls_for_events_whose_notification_was_missed(
    app: Assured, runner: Runner, conn: psycopg.Connection[Any], owner_url: str
) -> None:
    runner.catch_up(CaseSupervision())
    case = new_case("CH-0002")
    with following(runner, poll_interval=0.3), psycopg.connect(owner_url) as owner:
        time.sleep(0.3)
        stored = [app.mapper.to_stored_event(e) for e in case.collect_events()]
        with owner.transaction():  # by hand, around the chain, as the schema's owner: no NOTIFY
            owner.cursor().executemany(
                "INSERT INTO assured_events (originator_id, originator_version, topic, state, "
                "chain_position, chain_hash, recorded_at) VALUES (%s, %s, %s, %s, 0, '', now())",
                [(s.originator_id, s.originator_version, s.topic, s.state) for s in stored])
        eventually(lambda: conn.execute("SELECT 1 FROM case_state WHERE case_id = %s",
                                        (case.id,)).fetchone(), timeout=3)


def test_a_reader_can_wait_until_the_projection_has_seen_their_write(
    app: Assured, runner: Runner, database_url: str
) -> None:
    runner.catch_up(CaseSupervision())
    with following(runner), psycopg.connect(database_url, autocommit=True) as reader:
        case = new_case("CH-0003", "looked_after")
        receipt = app.record(case)
        assert receipt.notification_id is not None
        assert wait_for(reader, "case_supervision", receipt.notification_id, timeout=2)
        assert reader.execute("SELECT 1 FROM case_state WHERE case_id = %s",
                              (case.id,)).fetchone()
        assert not wait_for(reader, "case_supervision", receipt.notification_id + 50,
                            timeout=0.2)


def test_following_carries_on_after_losing_its_database_connections(
    app: Assured, runner: Runner, conn: psycopg.Connection[Any], postgres: tuple[str, Any]
) -> None:
    runner.catch_up(CaseSupervision())
    with following(runner, poll_interval=0.2), psycopg.connect(postgres[0],
                                                                autocommit=True) as admin:
        time.sleep(0.3)
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE application_name = %s", (CONNECTION_NAME,))
        case = new_case("CH-0004")
        app.record(case)
        eventually(lambda: conn.execute("SELECT 1 FROM case_state WHERE case_id = %s",
                                        (case.id,)).fetchone(), timeout=5)


# --- rebuilding and versions ------------------------------------------------------------------


def test_a_rebuild_while_the_log_is_followed_swaps_in_complete_tables(
    world: World, app: Assured, conn: psycopg.Connection[Any], caplog: pytest.LogCaptureFixture
) -> None:
    follower = Runner(app, page_size=5)
    catch_up_all(follower)
    world.next_round()
    with caplog.at_level(logging.ERROR), following(follower, poll_interval=0.2):
        world.next_round()
        Runner(app, page_size=5).rebuild("case_supervision")
        world.next_round()
        eventually(lambda: all(s.lag == 0 for s in follower.status()))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    followed = read_tables(conn, "case_supervision")
    assert rebuilt(follower, conn, "case_supervision") == followed


def test_tables_of_another_version_are_refused_until_rebuilt(
    world: World, app: Assured, runner: Runner
) -> None:
    class NextVersion(CaseSupervision):
        version = CaseSupervision.version + 1

    world.next_round()
    runner.catch_up(CaseSupervision())
    newer = Runner(app, [NextVersion()])
    with pytest.raises(ProjectionOutdated, match="rebuild"):
        newer.catch_up(NextVersion())
    assert [s.state for s in newer.status()] == ["outdated"]
    newer.rebuild("case_supervision")
    assert [(s.state, s.built_version) for s in newer.status()] == [
        ("current", NextVersion.version)]


def test_following_rebuilds_an_outdated_projection_first(
    world: World, app: Assured, runner: Runner
) -> None:
    class NextVersion(CaseSupervision):
        version = CaseSupervision.version + 1

    world.next_round()
    runner.catch_up(CaseSupervision())
    newer = Runner(app, [NextVersion()])
    with following(newer, poll_interval=0.2):
        eventually(lambda: [s.state for s in newer.status()] == ["current"])
    assert newer.status()[0].built_version == NextVersion.version


def test_status_reports_each_projection_position_the_log_head_and_the_lag(
    world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    assert {s.state for s in runner.status()} == {"not built"}
    world.next_round()
    catch_up_all(runner)
    built_at = conn.execute("SELECT max(notification_id) FROM assured_events").fetchone()
    world.next_round()
    statuses = {s.name: s for s in runner.status()}
    assert set(statuses) == {p.name for p in all_projections()}
    supervision = statuses["case_supervision"]
    assert built_at is not None and supervision.position == built_at[0]
    assert supervision.position is not None and supervision.head > supervision.position
    assert supervision.lag == conn.execute(
        "SELECT count(*) FROM assured_events WHERE notification_id > %s AND topic = ANY(%s)",
        (supervision.position, CaseSupervision.topics())).fetchone()[0]  # type: ignore[index]
    assert supervision.state == "behind"
    catch_up_all(runner)
    assert {s.state for s in runner.status()} == {"current"}


def test_only_a_runner_alone_in_its_process_pauses_the_collector(app: Assured) -> None:
    """The pause is process-wide: in `assured up` and the API, workflows and requests run
    beside the follower, so only `assured projections …` (a process of its own) pauses it."""
    assert not Runner(app).pager.pause_collector
    assert Runner(app, alone_in_process=True).pager.pause_collector
