"""Concurrent writers to one record: exactly one wins, the other gets a conflict to map to 409."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk, RaiseCaseConcern
from domain.errors import ConcurrencyConflict
from tests.integration.test_store import open_case
from tests.refusals import at


def test_two_writers_from_the_same_version_one_wins(make_app) -> None:  # type: ignore[no-untyped-def]
    first, second = make_app(), make_app()
    case = open_case(first)
    mine, theirs = first.load(case.id, Case), second.load(case.id, Case)
    mine.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    theirs.change_risk(ChangeRisk(record_id=case.id, new_risk="low", by="pat", at=at(1)))
    first.record(mine)
    with pytest.raises(ConcurrencyConflict, match="changed by someone else"):
        second.record(theirs)
    assert first.load(case.id, Case).risk == "high"
    assert len(first.stored_events(case.id)) == 2


def test_a_command_on_a_stale_version_is_refused(app: Assured) -> None:
    case = open_case(app)
    stale = app.load(case.id, Case)  # as a reader saw it, before someone else's change
    app.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="pat", at=at(1)))
    with pytest.raises(ConcurrencyConflict, match="changed by someone else"):
        app.change_risk(ChangeRisk(record_id=case.id, new_risk="low", by="sam", at=at(2)),
                        on=stale)
    assert len(app.stored_events(case.id)) == 2
    assert app.load(case.id, Case).risk == "high"


def test_many_concurrent_writers_leave_no_gaps_and_lose_nothing(make_app) -> None:  # type: ignore[no-untyped-def]
    writers = [make_app() for _ in range(8)]
    case = open_case(writers[0])
    start = Barrier(len(writers))

    def write(n: int) -> bool:
        start.wait()
        try:
            writers[n].raise_case_concern(RaiseCaseConcern(
                record_id=case.id, concern_id=f"c{n}", summary="no progress", by="sam",
                at=at(1)))
            return True
        except ConcurrencyConflict:
            return False

    with ThreadPoolExecutor(len(writers)) as pool:
        outcomes = list(pool.map(write, range(len(writers))))
    events = writers[0].stored_events(case.id)
    assert sum(outcomes) >= 1
    assert len(events) == 1 + sum(outcomes)
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
