"""Each data subject's personal fields under their own key, on a real PostgreSQL: erasing one
Safeguarder destroys their key and snapshots; their history still replays, reading "[erased]";
nothing of anyone else's changes, and no stored event byte changes."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from domain.application import Assured
from domain.errors import RuleBroken
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    ApplyToPanel,
    Contact,
    RaiseSafeguarderConcern,
    RecordFeedback,
)
from domain.subject_commands import EraseSubject, LiftLegalHold, PlaceLegalHold
from domain.subjects import ERASED
from tests.refusals import at

CANARY = "CANARY-ERASE-5T8WQ"


def apply(app: Assured, name: str) -> Safeguarder:
    created = app.apply_to_panel(ApplyToPanel(
        name=name, contact=Contact(email=f"{name.lower()}@example.org", phone="0131 496 0000"),
        region="East", by="pa-1", at=at(0)))
    record = created.record
    app.raise_safeguarder_concern(RaiseSafeguarderConcern(
        record_id=record.id, concern_id="c-1", about="behaviour",
        summary=f"{name} was late to a hearing", by="pa-1", at=at(1)))
    app.record_feedback(RecordFeedback(record_id=record.id, source="professional",
                                       tone="positive", summary=f"{name} listened well",
                                       by="pa-1", at=at(2)))
    return record


def stored(owner_url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(owner_url) as conn:
        return conn.execute("SELECT notification_id, state, chain_hash FROM assured_events "
                            "ORDER BY notification_id").fetchall()


def test_erasing_a_safeguarder_reads_erased_and_changes_no_stored_byte(
        make_app, owner_url: str, postgres: tuple[str, Path]) -> None:  # type: ignore[no-untyped-def]
    app = make_app(snapshot_interval=2)
    erased, kept = apply(app, f"Alex{CANARY}"), apply(app, "Blair Other")
    assert app.load(erased.id, Safeguarder).name == f"Alex{CANARY}"  # positive control
    with psycopg.connect(owner_url) as conn:
        snapshots = conn.execute("SELECT count(*) FROM assured_snapshots WHERE originator_id "
                                 "= %s", (erased.id,)).fetchone()
    assert snapshots and snapshots[0] > 0
    before = stored(owner_url)

    app.erase_subject(EraseSubject(record_id=erased.id, grounds="Art. 17 request",
                                   by="pa-1", at=at(3)))

    after = stored(owner_url)
    assert after[: len(before)] == before  # nothing stored was changed, only the erasure added
    for fresh in (app, make_app()):
        record = fresh.load(erased.id, Safeguarder)
        assert record.name == ERASED and record.contact == {}
        assert record.feedback[0]["summary"] == ERASED
        assert record.erased_on == at(3)
        other = fresh.load(kept.id, Safeguarder)
        assert other.name == "Blair Other" and other.feedback[0]["summary"] == "Blair Other " \
            "listened well"
    with psycopg.connect(owner_url) as conn:
        left = conn.execute("SELECT count(*) FROM assured_snapshots WHERE originator_id = %s",
                            (erased.id,)).fetchone()
        key = conn.execute("SELECT wrapped, erased_at FROM subject_keys WHERE subject_id = %s",
                           (erased.id,)).fetchone()
    assert left == (0,) and key is not None and key[0] is None and key[1] is not None
    with pytest.raises(RuleBroken, match="erased record takes no further changes"):
        app.record_feedback(RecordFeedback(record_id=erased.id, source="professional",
                                           tone="positive", summary="more", by="pa-1",
                                           at=at(4)))


def test_a_legal_hold_refuses_erasure_until_it_is_lifted(app: Assured) -> None:
    record = apply(app, "Casey Held")
    app.place_legal_hold(PlaceLegalHold(record_id=record.id, grounds="Inquiry 2026/4",
                                        by="pa-1", at=at(3)))
    version = app.load(record.id).version
    with pytest.raises(RuleBroken, match="legal hold is not erased"):
        app.erase_subject(EraseSubject(record_id=record.id, grounds="request", by="pa-1",
                                       at=at(4)))
    assert app.load(record.id, Safeguarder).name == "Casey Held"
    assert app.load(record.id).version == version
    app.lift_legal_hold(LiftLegalHold(record_id=record.id, grounds="Inquiry closed",
                                      by="pa-1", at=at(5)))
    app.erase_subject(EraseSubject(record_id=record.id, grounds="request", by="pa-1", at=at(6)))
    assert app.load(record.id, Safeguarder).name == ERASED


def test_erasing_a_childs_case_forgets_its_supervision_rows_and_keeps_the_rest(
        app: Assured, database_url: str) -> None:
    from domain.case import Case
    from domain.case_commands import OpenCase, RaiseCaseConcern
    from projections.case_supervision import CaseSupervision
    from projections.runner import Runner

    cases = []
    for reference in ("C-ERASE-0001", "C-KEEP-0002"):
        case = app.open_case(OpenCase(
            child_reference=reference, agency="Children's social care", practitioner="pr-1",
            supervisor="su-1", legal_status="child_in_need", risk="medium", nation="ENG",
            by="pr-1", at=at(0))).record
        app.raise_case_concern(RaiseCaseConcern(record_id=case.id, concern_id="k-1",
                                                summary=f"{reference} missed school",
                                                by="pr-1", at=at(1)))
        cases.append(case)
    runner = Runner(app, [CaseSupervision()])
    runner.catch_up(runner.projections[0])
    count = "SELECT count(*) FROM case_state WHERE case_id = %s"
    with psycopg.connect(database_url) as conn:
        assert conn.execute(count, (cases[0].id,)).fetchone() == (1,)  # the positive control

    app.erase_subject(EraseSubject(record_id=cases[0].id, grounds="Art. 17", by="dpo-1",
                                   at=at(2)))
    runner.catch_up(runner.projections[0])

    erased, kept = app.load(cases[0].id, Case), app.load(cases[1].id, Case)
    assert erased.child_reference == ERASED and kept.child_reference == "C-KEEP-0002"
    with psycopg.connect(database_url) as conn:
        assert conn.execute(count, (cases[0].id,)).fetchone() == (0,)
        assert conn.execute(count, (cases[1].id,)).fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM case_chronology WHERE case_id = %s",
                            (cases[0].id,)).fetchone() == (0,)
