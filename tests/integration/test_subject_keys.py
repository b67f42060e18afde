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


def feedback(app: Assured, safeguarder_id: object) -> list[str]:
    """The summaries of the feedback on the Safeguarder's record, as its events read."""
    return [e.summary for e in app.stored_events(safeguarder_id)  # type: ignore[arg-type]
            if type(e).__name__ == "FeedbackReceived"]


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
        # the feedback is the giver's too, but erasing the Safeguarder erases it with them
        assert feedback(fresh, erased.id) == [ERASED]
        assert record.erased_on == at(3)
        other = fresh.load(kept.id, Safeguarder)
        assert other.name == "Blair Other"
        assert feedback(fresh, kept.id) == ["Blair Other listened well"]
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


def test_erasing_the_person_who_gave_feedback_erases_their_words_alone(
        make_app, owner_url: str) -> None:  # type: ignore[no-untyped-def]
    from domain.feedback import FeedbackGiven

    app = make_app(snapshot_interval=2)
    safeguarder = apply(app, "Dana Kept")
    app.record_feedback(RecordFeedback(record_id=safeguarder.id, source="family", tone="mixed",
                                       summary=f"{CANARY} from a grandparent", by="pa-1",
                                       at=at(3)))
    events = app.stored_events(safeguarder.id)
    given = [e for e in events if type(e).__name__ == "FeedbackReceived"]
    assert [e.summary for e in given] == ["Dana Kept listened well",
                                          f"{CANARY} from a grandparent"]  # positive control
    giver = app.load(given[1].giver_id, FeedbackGiven)
    assert giver.safeguarder_id == safeguarder.id and given[0].giver_id != giver.id
    before = stored(owner_url)

    app.erase_subject(EraseSubject(record_id=giver.id, grounds="Art. 17 request of the "
                                   "grandparent", by="dpo-1", at=at(4)))

    after = stored(owner_url)
    assert after[: len(before)] == before
    for fresh in (app, make_app()):
        assert feedback(fresh, safeguarder.id) == ["Dana Kept listened well", ERASED]
        record = fresh.load(safeguarder.id, Safeguarder)
        assert record.name == "Dana Kept" and record.erased_on is None
        assert len(record.concerns) == 1 and len(record.feedback) == 2
    with pytest.raises(RuleBroken, match="erased"):
        app.record_feedback(RecordFeedback(record_id=safeguarder.id, source="family",
                                           tone="mixed", summary="again", giver_id=giver.id,
                                           by="pa-1", at=at(5)))


def test_an_agreed_actions_text_is_the_childs_and_goes_with_the_case(make_app) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from domain.case import Case
    from domain.case_commands import AgreedAction, CompleteAction, OpenCase, RecordDiscussion

    app = make_app(snapshot_interval=3)
    case = app.open_case(OpenCase(
        child_reference="C-ACT-0001", agency="Children's social care", practitioner="pr-1",
        supervisor="su-1", legal_status="child_in_need", risk="medium", nation="ENG",
        by="pr-1", at=at(0))).record
    app.record_discussion(RecordDiscussion(
        record_id=case.id, discussion_id="d-1", supervisor="su-1", supervisee="pr-1", needs="n",
        risks="r", engagement="e", capacity_for_change="c", plan="p", rag="A",
        next_discussion_on=(at(1) + timedelta(days=30)).date(),
        actions=[AgreedAction(action_id="a-1", description=f"{CANARY} visit at home",
                              owner="pr-1", due=(at(1) + timedelta(days=7)).date())],
        by="su-1", at=at(1)))
    app.complete_action(CompleteAction(record_id=case.id, action_id="a-1", by="pr-1",
                                       at=at(2)))
    assert app.load(case.id, Case).actions["a-1"]["description"] == f"{CANARY} visit at home"

    app.erase_subject(EraseSubject(record_id=case.id, grounds="Art. 17", by="dpo-1", at=at(3)))

    for fresh in (app, make_app()):
        erased = fresh.load(case.id, Case)
        action = erased.actions["a-1"]
        assert action["description"] == ERASED and action["owner"] == "pr-1"
        assert action["status"] == "completed"
        recorded = next(e for e in fresh.stored_events(case.id)
                        if type(e).__name__ == "DiscussionRecorded")
        assert CANARY not in repr(vars(recorded)) and recorded.actions[0]["action_id"] == "a-1"


def test_feedback_as_the_previous_release_sealed_it_still_loads_and_erases_with_the_safeguarder(
        make_app) -> None:  # type: ignore[no-untyped-def]
    """Before a feedback giver was a subject, FeedbackReceived was version 2, with its summary
    sealed under the Safeguarder's key alone: it loads with no giver, and is the Safeguarder's."""
    import json

    from eventsourcing.persistence import StoredEvent
    from eventsourcing.utils import get_topic

    app = make_app()
    safeguarder = app.apply_to_panel(ApplyToPanel(name="Evan Older", region="East", by="pa-1",
                                                  at=at(0))).record
    version, topic = 2, get_topic(Safeguarder.FeedbackReceived)
    state = {"timestamp": {"_type_": "datetime_iso", "_data_": "2026-03-02T10:00:00+00:00"},
             "source": "family", "tone": "positive", "summary": f"{CANARY} as written before",
             "actor": "sm-1", "class_version": 2,
             "occurred_on": {"_type_": "datetime_iso", "_data_": "2026-03-01T09:00:00+00:00"}}
    keys = app.mapper.subject_keys
    sealed = keys.seal(topic, safeguarder.id, version, state)  # the previous release's layout
    assert set(sealed) >= {"_personal_"} and "_personal_of_" not in sealed
    app.recorder.insert_events([StoredEvent(
        originator_id=safeguarder.id, originator_version=version, topic=topic,
        state=app.mapper.seal(json.dumps(sealed).encode(), safeguarder.id, version, topic))])

    event = make_app().stored_events(safeguarder.id)[-1]
    assert (event.summary, event.giver_id) == (f"{CANARY} as written before", None)
    app.erase_subject(EraseSubject(record_id=safeguarder.id, grounds="Art. 17", by="dpo-1",
                                   at=at(3)))
    assert feedback(make_app(), safeguarder.id) == [ERASED]
