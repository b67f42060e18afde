"""The projections' decoder reads every stored event exactly as the application's mapper does."""

from __future__ import annotations

from domain.application import Assured
from domain.safeguarder import Safeguarder
from projections.decoding import EventDecoder
from tests.integration.test_upcasting import store_version_1_feedback
from tests.projections.stories import World


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
