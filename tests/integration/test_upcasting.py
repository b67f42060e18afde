"""Events carry a schema version; an old stored event loads through its upcaster.

The library records an event class's `class_version` in the stored state when it is above 1;
an event stored without it is version 1. `Safeguarder.FeedbackReceived` is at version 2: it
gained `tone`. Version 1 events, as the first release wrote them, load with tone
'not recorded'.
"""

from __future__ import annotations

import json

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.application import Assured
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import ApplyToPanel, RecordFeedback
from domain.safeguarder_values import Tone
from tests.refusals import at

# State of a FeedbackReceived event exactly as version 1 stored it (no class_version, no tone).
VERSION_1_STATE = {
    "timestamp": {"_type_": "datetime_iso", "_data_": "2026-03-02T10:00:00+00:00"},
    "source": "family",
    "summary": "Explained the hearing clearly",
    "actor": "sm-east-1",
    "occurred_on": {"_type_": "datetime_iso", "_data_": "2026-03-01T09:00:00+00:00"},
}


def store_version_1_feedback(app: Assured, safeguarder: Safeguarder) -> None:
    """Write the old event through the same compression and encryption as the store uses,
    bound to its place."""
    version, topic = safeguarder.version + 1, get_topic(Safeguarder.FeedbackReceived)
    payload = app.mapper.seal(json.dumps(VERSION_1_STATE).encode(),  # type: ignore[attr-defined]
                              safeguarder.id, version, topic)
    app.recorder.insert_events([StoredEvent(
        originator_id=safeguarder.id, originator_version=version, topic=topic, state=payload,
    )])


def test_a_stored_version_1_feedback_event_loads_with_tone_not_recorded(app: Assured) -> None:
    safeguarder = Safeguarder.apply_to_panel(ApplyToPanel(name="Alex", region="North",
                                                          by="lead", at=at(0)))
    app.record(safeguarder)
    store_version_1_feedback(app, safeguarder)

    loaded = app.load(safeguarder.id, Safeguarder)
    assert loaded.version == 2
    assert loaded.feedback == [{"source": "family", "tone": Tone.NOT_RECORDED,
                                "giver_id": None, "on": at(0).replace(month=3, day=1, hour=9)}]
    event = app.stored_events(safeguarder.id)[-1]
    assert event.summary == "Explained the hearing clearly" and event.giver_id is None


def test_new_feedback_events_are_stored_at_version_3(app: Assured) -> None:
    safeguarder = Safeguarder.apply_to_panel(ApplyToPanel(name="Alex", region="North",
                                                          by="lead", at=at(0)))
    safeguarder.record_feedback(RecordFeedback(record_id=safeguarder.id, source="reporter",
                                               tone="mixed", summary="thorough", by="sm",
                                               at=at(1)))
    app.record(safeguarder)
    stored = app.recorder.select_events(safeguarder.id)[-1]
    state = app.mapper.transcoder.decode(app.mapper.open(  # type: ignore[attr-defined]
        stored.state, stored.originator_id, stored.originator_version, stored.topic))
    assert state["class_version"] == 3
