"""Any record can be rebuilt as known at an instant, and as it had happened by an instant."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.application import Assured
from domain.case_commands import ChangeRisk, OpenCase, RaiseCaseConcern
from domain.history import happened_by, known_at
from tests.refusals import at


def test_a_late_recorded_fact_is_in_what_happened_but_not_in_what_was_known(
    memory_app: Assured,
) -> None:
    case = memory_app.open_case(OpenCase(
        child_reference="CHILD-0007", agency="school", practitioner="pat", supervisor="sam",
        legal_status="early_help", risk="low", nation="WLS", by="pat", at=at(0),
    )).record
    memory_app.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(20)))
    # Recorded now, though the concern was raised on day 10, before the risk changed.
    memory_app.raise_case_concern(RaiseCaseConcern(
        record_id=case.id, concern_id="c1", summary="bruising seen at school", by="pat",
        at=at(10),
    ))
    events = memory_app.stored_events(case.id)
    before_late_entry = events[1].timestamp

    known = known_at(events, before_late_entry)
    assert known.version == 2 and known.risk == "high" and known.concerns == {}

    by_day_15 = happened_by(events, at(15))
    assert by_day_15.risk == "low"
    assert list(by_day_15.concerns) == ["c1"]

    assert known_at(events, events[0].timestamp.replace(year=2000)) is None
    assert happened_by(events, at(-1)) is None
    assert happened_by(events, at(30)).__dict__ == memory_app.load(case.id).__dict__


def test_the_store_rebuilds_what_was_known_at_any_instant_from_snapshots_or_events() -> None:
    """`recorded_state_at` (latest snapshot taken by the instant, then events only up to it)
    gives what replaying every event gives, at every instant, with and without snapshots."""
    from domain.history import recorded_state_at, state_of

    snapshotting = Assured({"PERSISTENCE_MODULE": "eventsourcing.popo", "SNAPSHOT_INTERVAL": "3"})
    plain = Assured({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for app in (snapshotting, plain):
        case = app.open_case(OpenCase(
            child_reference="CHILD-0042", agency="school", practitioner="pat", supervisor="sam",
            legal_status="early_help", risk="low", nation="ENG", by="pat", at=at(0),
        )).record
        risk = "low"
        for day in range(1, 14):
            if day % 4 == 0:
                app.raise_case_concern(RaiseCaseConcern(
                    record_id=case.id, concern_id=f"c{day}", summary="<script>seen</script>",
                    by="pat", at=at(day)))
            else:
                risk = "high" if risk == "low" else "low"
                app.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="sam",
                                           at=at(day)))
        events = app.stored_events(case.id)
        assert len(events) == 14
        instants = [events[0].timestamp.replace(year=2000)] + [e.timestamp for e in events]
        for instant in instants:
            expected = known_at(events, instant)
            found = recorded_state_at(app, case.id, instant)
            assert (found is None) == (expected is None), instant
            if expected is not None:
                assert state_of(found) == state_of(expected), instant
    assert snapshotting.snapshots is not None and plain.snapshots is None


class Tally(Aggregate):
    """An aggregate with one event that applies itself and one made by `@event`."""

    def __init__(self) -> None:
        self.count = 0
        self.label = ""

    class Counted(Aggregate.Event):
        by: int

        def apply(self, aggregate: Any) -> None:
            aggregate.count += self.by

    def count_up(self, by: int) -> None:
        self.trigger_event(self.Counted, by=by)

    @event("Labelled")
    def relabel(self, label: str) -> None:
        self.label = label


def test_events_that_apply_themselves_and_decorated_ones_replay_alike() -> None:
    from domain.history import recorded_state_at, state_of

    app = Assured({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    tally = Tally()
    for n in range(1, 7):
        if n % 2:
            tally.count_up(n)
        else:
            tally.relabel(f"<b>{n}</b>")
        app.save(tally)
    events = app.stored_events(tally.id)
    for instant in [e.timestamp for e in events]:
        assert state_of(recorded_state_at(app, tally.id, instant)) == state_of(
            known_at(events, instant))
    last = recorded_state_at(app, tally.id, events[-1].timestamp)
    assert (last.count, last.label) == (9, "<b>6</b>")
