"""The record cache, with two applications on one store as two processes would be.

A reader always sees what another process recorded; a writer may start from its cached copy,
but a save on a stale copy conflicts and nothing is lost; nothing a writer does to its copy
reaches what others read.
"""

from __future__ import annotations

import pytest

from domain.case import Case
from domain.case_commands import ChangeRisk
from domain.errors import ConcurrencyConflict, RuleBroken
from tests.integration.test_store import open_case
from tests.refusals import at


def test_a_read_sees_what_another_process_recorded(make_app) -> None:  # type: ignore[no-untyped-def]
    here, there = make_app(cache_size=100), make_app(cache_size=100)
    case = open_case(here)
    assert here.load(case.id, Case, private=False).risk == "medium"  # now cached here
    there.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    assert here.load(case.id, Case, private=False).risk == "high"
    assert here.load(case.id, Case).version == 2


def test_a_save_on_a_stale_cached_copy_conflicts(make_app) -> None:  # type: ignore[no-untyped-def]
    here, there = make_app(cache_size=100), make_app(cache_size=100)
    case = open_case(here)
    here.load(case.id, Case)
    there.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    stale = here.load(case.id, Case, latest=False)
    assert stale.risk == "medium"
    with pytest.raises(ConcurrencyConflict):
        here.change_risk(ChangeRisk(record_id=case.id, new_risk="low", by="pat", at=at(2)),
                         on=stale)
    assert [e.originator_version for e in here.stored_events(case.id)] == [1, 2]


def test_a_change_to_a_private_copy_never_reaches_the_cached_record(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(cache_size=100)
    case = open_case(app)
    shared = app.load(case.id, Case, private=False)
    mine = app.load(case.id, Case)
    assert mine is not shared
    mine.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    assert app.load(case.id, Case, private=False).risk == "medium"
    with pytest.raises(RuleBroken, match="risk"):
        app.change_risk(ChangeRisk(record_id=case.id, new_risk="medium", by="sam", at=at(1)))
    assert app.load(case.id, Case, private=False) is shared


def test_a_saved_record_replaces_the_cached_one(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(cache_size=100)
    case = open_case(app)
    assert app.cache.get(case.id) is None  # a record is cached when it is first loaded
    app.load(case.id, Case)
    app.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    cached = app.load(case.id, Case, private=False, latest=False)
    assert (cached.version, cached.risk) == (2, "high")
