"""The projections' decoder reads every stored event exactly as the application's mapper does."""

from __future__ import annotations

from domain.application import Assured
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import ApplyToPanel, Resign
from domain.subject_commands import EraseSubject
from projections.decoding import EventDecoder
from tests.integration.test_upcasting import store_version_1_feedback
from tests.projections.stories import World
from tests.refusals import at


def test_the_fast_decoder_reads_every_stored_event_as_the_application_does(
    app: Assured, world: World
) -> None:
    for _ in range(3):
        world.next_round()
    store_version_1_feedback(app, app.load(world.safeguarders[0], Safeguarder))
    decode = EventDecoder(app.mapper)
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    assert len(notifications) > 100
    for n in notifications:
        expected = app.mapper.to_domain_event(n)
        actual = decode(n.topic, n.originator_id, n.originator_version, n.state)
        assert type(actual) is type(expected)
        assert vars(actual) == vars(expected)


def test_a_records_rows_decoded_in_one_loop_are_the_events_one_by_one(
    app: Assured, world: World
) -> None:
    """`EventDecoder.record_events` (the history's replay of a long record) writes out the
    decoder's common steps in one loop; every record's events read that way equal those
    decoded one at a time, personal fields, an upcast event and an erased record among them."""
    for _ in range(2):
        world.next_round()
    feedback_of = world.safeguarders[0]
    store_version_1_feedback(app, app.load(feedback_of, Safeguarder))
    erased = app.apply_to_panel(ApplyToPanel(name="Dara O'Brien <b>Erased</b>", region="East",
                                             by="pa-1", at=at(0))).record.id
    app.resign(Resign(record_id=erased, reason="moved", by="pa-1", at=at(11)))
    app.erase_subject(EraseSubject(record_id=erased, grounds="Art. 17", by="dpo", at=at(12)))
    decode = EventDecoder(app.mapper)
    records = {n.originator_id for n in app.recorder.select_notifications(start=1, limit=10_000)}
    assert {feedback_of, erased} <= records and len(records) > 10
    kinds = set()
    for record_id in records:
        rows = app.recorder.select_checked_rows(record_id)
        loop = list(decode.record_events(record_id, rows))
        one_by_one = [decode(topic, record_id, version, state)
                      for version, topic, state, *_ in rows]
        assert [type(e) for e in loop] == [type(e) for e in one_by_one]
        assert [vars(e) for e in loop] == [vars(e) for e in one_by_one]
        kinds.update(type(e).__name__ for e in loop)
    assert {"Opened", "RiskChanged", "Erased"} <= kinds, kinds
