"""On generated histories, with facts recorded late and out of order:
- the state as known at T equals the library's own load of the last version recorded by T,
  both replayed from every event (`known_at`) and read from the store (`recorded_state_at`,
  whose events are applied without the library's per-event `apply`);
- the state as happened by T equals giving only the commands whose facts happened by T to a
  new record, in the order they were recorded."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.application import Assured
from domain.case import Case
from domain.case_commands import (
    EscalateCaseConcern,
    OpenCase,
    RaiseCaseConcern,
    RaiseDisagreement,
    ResolveCaseConcern,
    ResolveDisagreement,
)
from domain.commands import RecordCommand
from domain.errors import RuleBroken
from domain.history import happened_by, known_at, recorded_state_at, state_of
from tests.refusals import at

IDENTITY = {"id", "version", "created_on", "modified_on"}

OPENING = OpenCase(child_reference="CH-0101", agency="health", practitioner="pat",
                   supervisor="sam", legal_status="child_in_need", risk="low", nation="NIR",
                   by="pat", at=at(0))


def command(record_id: UUID, choice: int, n: int, day: int) -> RecordCommand:
    on = {"record_id": record_id, "by": "sam", "at": at(day)}
    # Commands whose acceptance does not hang on facts dated later (risk or supervisor changes
    # would: "must move to a different level" depends on the order the facts are applied in).
    return [
        lambda: RaiseCaseConcern(concern_id=f"c{n % 3}", summary="no change", **on),
        lambda: EscalateCaseConcern(concern_id=f"c{n % 3}", reason="no reply", **on),
        lambda: ResolveCaseConcern(concern_id=f"c{n % 3}", outcome="agreed", **on),
        lambda: RaiseDisagreement(disagreement_id=f"d{n % 2}", between=["school", "police"],
                                  summary="threshold", **on),
        lambda: ResolveDisagreement(disagreement_id=f"d{n % 2}", outcome="agreed", **on),
    ][choice]()


def carry_out(case: Case, c: RecordCommand) -> None:
    """Give `c` to `case` directly, as the application would."""
    method = {RaiseCaseConcern: case.raise_concern, EscalateCaseConcern: case.escalate_concern,
              ResolveCaseConcern: case.resolve_concern,
              RaiseDisagreement: case.raise_disagreement,
              ResolveDisagreement: case.resolve_disagreement}[type(c)]
    method(c)  # type: ignore[operator]


def fields(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in state_of(aggregate).items() if k not in IDENTITY}


steps = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 9), st.integers(0, 60)),
                 min_size=1, max_size=25)


@settings(max_examples=150, deadline=None)
@given(steps=steps, cut_day=st.integers(-1, 61), cut_index=st.integers(0, 30))
def test_known_at_and_happened_by_equal_independent_replays(
    steps: list[tuple[int, int, int]], cut_day: int, cut_index: int
) -> None:
    app = Assured({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    case = app.open_case(OPENING).record
    accepted: list[tuple[int, int, int]] = []
    for step in steps:
        try:
            app.execute(command(case.id, *step))
            accepted.append(step)
        except RuleBroken:
            pass
    events = app.stored_events(case.id)

    # As known at the instant the cut_index-th event was recorded.
    cut = events[min(cut_index, len(events) - 1)]
    library = app.repository.get(case.id, version=cut.originator_version)
    assert state_of(known_at(events, cut.timestamp)) == state_of(library)
    assert state_of(recorded_state_at(app, case.id, cut.timestamp)) == state_of(library)

    # As happened by the end of day `cut_day`: replay only the commands dated by then.
    instant = at(cut_day)
    expected = Case.open(OPENING) if instant >= at(0) else None
    for step in accepted:
        if expected is not None and at(step[2]) <= instant:
            carry_out(expected, command(expected.id, *step))
    rebuilt = happened_by(events, instant)
    assert (rebuilt is None) == (expected is None)
    if expected is not None:
        assert fields(rebuilt) == fields(expected)
