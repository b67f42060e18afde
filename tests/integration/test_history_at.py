"""The record as known at an instant, on PostgreSQL: the snapshot taken by then is found by its
plain time (schema version 4), and the result is what replaying every event gives, at every
instant, even when that time is missing (a snapshot of an earlier schema) or lies. Without
snapshots the events are decoded straight from the checked read's rows: the same answers, and
the same refusals of a damaged record."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from domain.application import Assured
from domain.errors import IntegrityCheckFailed
from domain.case_commands import ChangeRisk, OpenCase, RaiseCaseConcern
from domain.history import known_at, recorded_state_at, state_of
from infra.migrations import EVENTS, SNAPSHOTS
from tests.refusals import at


def long_case(app: Assured) -> Any:
    case = app.open_case(OpenCase(
        child_reference="CHILD-0042", agency="school", practitioner="pat", supervisor="sam",
        legal_status="early_help", risk="low", nation="ENG", by="pat", at=at(0))).record
    risk = "low"
    for day in range(1, 14):
        if day % 4 == 0:
            app.raise_case_concern(RaiseCaseConcern(
                record_id=case.id, concern_id=f"c{day}",
                summary="<script>alert('seen')</script> O'Brien; DROP TABLE x; --", by="pat",
                at=at(day)))
        else:
            risk = "high" if risk == "low" else "low"
            app.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="sam", at=at(day)))
    return case


def assert_every_instant_as_replayed(app: Assured, record_id: Any) -> None:
    events = app.stored_events(record_id)
    instants = [events[0].timestamp.replace(year=2000)] + [e.timestamp for e in events]
    for instant in instants:
        expected, found = known_at(events, instant), recorded_state_at(app, record_id, instant)
        assert (found is None) == (expected is None), instant
        if expected is not None:
            assert state_of(found) == state_of(expected), instant


@pytest.fixture
def snapshotting(make_app: Any) -> tuple[Assured, Any]:
    app = make_app(snapshot_interval=3)
    return app, long_case(app)


def test_each_snapshot_keeps_its_state_time_in_plain_and_the_history_uses_it(
        snapshotting: tuple[Assured, Any], owner_url: str) -> None:
    app, case = snapshotting
    events = app.stored_events(case.id)
    with psycopg.connect(owner_url) as conn:
        times = conn.execute(f"SELECT originator_version, modified_on FROM {SNAPSHOTS} "
                             "WHERE originator_id = %s ORDER BY originator_version",
                             (case.id,)).fetchall()
    assert times == [(v, events[v - 1].timestamp) for v in (3, 6, 9, 12)]
    found = app.snapshots.recorder.select_taken_by(case.id, events[7].timestamp)  # type: ignore[union-attr]
    assert found is not None and found.originator_version == 6
    assert app.snapshots.recorder.select_taken_by(  # type: ignore[union-attr]
        case.id, events[1].timestamp) is None
    assert_every_instant_as_replayed(app, case.id)


@pytest.mark.parametrize("plain_time", [
    "NULL",                                 # snapshots taken before schema version 4
    "'2000-01-01T00:00:00+00'",             # a time that says every snapshot is early
    "'2999-01-01T00:00:00+00'",             # a time that says none is
    "now() - (originator_version * interval '1 day')",  # out of order
])
def test_a_missing_or_false_plain_time_changes_no_answer(
        snapshotting: tuple[Assured, Any], owner_url: str, plain_time: str) -> None:
    app, case = snapshotting
    with psycopg.connect(owner_url) as conn:
        conn.execute(f"UPDATE {SNAPSHOTS} SET modified_on = {plain_time}")
    assert_every_instant_as_replayed(app, case.id)


def test_without_snapshots_the_rows_decoded_straight_give_every_instant_alike(
        make_app: Any) -> None:
    app = make_app()
    case = long_case(app)
    assert app.snapshots is None and hasattr(app.recorder, "select_checked_rows")
    assert_every_instant_as_replayed(app, case.id)


@pytest.mark.parametrize(("damage", "names"), [
    (f"DELETE FROM {EVENTS} WHERE originator_version = 5", "version 5 is missing"),
    (f"UPDATE {EVENTS} SET state = overlay(state placing '\\x00'::bytea from 40) "
     "WHERE originator_version = 5", "does not open in its place"),
])
def test_a_damaged_record_is_refused_as_known_at_any_later_instant(
        make_app: Any, owner_url: str, damage: str, names: str) -> None:
    app = make_app()
    case = long_case(app)
    last = app.stored_events(case.id)[-1].timestamp
    with psycopg.connect(owner_url) as conn:
        conn.execute(damage)
    with pytest.raises(IntegrityCheckFailed, match=names) as refused:
        recorded_state_at(app, case.id, last)
    assert refused.value.position is not None
