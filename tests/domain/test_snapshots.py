"""State is identical with and without snapshots, over generated command sequences."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.application import Assured, project
from domain.case import Case
from domain.errors import RuleBroken
from domain.panel import PanelRegion
from domain.safeguarder import Safeguarder
from tests.refusals import at

MANAGER = "sm-east-1"


def safeguarder_commands(n: int, day: int) -> list[Callable[[Safeguarder], Any]]:
    when = at(10 + day)
    return [
        lambda s: s.record_support_session(f"s{n}", "reflection", by=MANAGER, at=when),
        lambda s: s.record_sampled_report(f"r{n}", f"s{n % 3}", "read", by=MANAGER, at=when),
        lambda s: s.record_feedback("family", "positive", f"thanks {n}", by=MANAGER, at=when),
        lambda s: s.raise_concern(f"c{n % 4}", "work", "late report", by=MANAGER, at=when),
        lambda s: s.resolve_concern(f"c{n % 4}", "resolved", by=MANAGER, at=when),
        lambda s: s.record_performance_evidence("Standard 3", f"e{n}", by=MANAGER, at=when),
    ]


def case_commands(n: int, day: int) -> list[Callable[[Case], Any]]:
    when = at(10 + day)
    return [
        lambda c: c.change_risk(["low", "medium", "high", "escalating"][n % 4], by="sam", at=when),
        lambda c: c.raise_concern(f"c{n % 4}", "no change", by="sam", at=when),
        lambda c: c.escalate_concern(f"c{n % 4}", "no response", by="sam", at=when),
        lambda c: c.resolve_concern(f"c{n % 4}", "plan agreed", by="sam", at=when),
        lambda c: c.raise_disagreement(f"d{n % 3}", ["school", "police"], "threshold",
                                       by="sam", at=when),
        lambda c: c.resolve_disagreement(f"d{n % 3}", "agreed", by="sam", at=when),
    ]


def new_safeguarder() -> list[Any]:
    region = PanelRegion.establish("East", by="lead", at=at(0))
    region.add_support_manager(MANAGER, by="lead", at=at(0))
    s = Safeguarder.apply_to_panel(name="A", contact={}, region="East", by="lead", at=at(0))
    s.record_interview(True, "", by="lead", at=at(1))
    s.record_assessment(True, "", by="lead", at=at(2))
    s.appoint(at(3).date(), by="ministers", at=at(3))
    s.allocate(region, MANAGER, "needs", by="lead", at=at(4))
    return [s, region]


def new_case() -> list[Any]:
    case = Case.open(child_reference="CHILD-0042", agency="social-work", practitioner="pat",
                     supervisor="sam", legal_status="child_in_need", risk="medium",
                     nation="SCT", by="pat", at=at(0))
    return [case]


def run(app: Assured, record_id: Any, command: Callable[[Any], Any]) -> None:
    with contextlib.suppress(RuleBroken):  # a refused command records nothing
        app.change(record_id, command)


steps = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 50), st.integers(0, 100)),
                 max_size=40)


@settings(max_examples=60, deadline=None)
@given(steps=steps, interval=st.integers(1, 7), kind=st.sampled_from(["safeguarder", "case"]))
def test_state_is_identical_with_and_without_snapshots(steps: list[tuple[int, int, int]],
                                                       interval: int, kind: str) -> None:
    app = Assured({"PERSISTENCE_MODULE": "eventsourcing.popo",
                   "SNAPSHOT_INTERVAL": str(interval)})
    make, commands = ((new_safeguarder, safeguarder_commands) if kind == "safeguarder"
                      else (new_case, case_commands))
    created = make()
    app.record(*created)
    record_id = created[0].id
    for choice, n, day in steps:
        run(app, record_id, commands(n, day)[choice])
    from_snapshot = app.load(record_id)
    from_events_alone = project(None, app.stored_events(record_id))
    assert from_snapshot.__dict__ == from_events_alone.__dict__
    if from_snapshot.version >= interval:
        assert app.snapshots is not None
        assert list(app.snapshots.get(record_id)), "a snapshot was taken"
