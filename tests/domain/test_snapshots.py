"""State is identical with and without snapshots, over generated command sequences."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.application import Assured, project
from domain.case import Case
from domain.case_commands import (
    ChangeRisk,
    EscalateCaseConcern,
    OpenCase,
    RaiseCaseConcern,
    RaiseDisagreement,
    ResolveCaseConcern,
    ResolveDisagreement,
)
from domain.commands import RecordCommand
from domain.errors import RuleBroken
from domain.panel import PanelRegion
from domain.panel_commands import AddSupportManager, EstablishRegion
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    RaiseSafeguarderConcern,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordPerformanceEvidence,
    RecordSampledReport,
    RecordSupportSession,
    ResolveSafeguarderConcern,
)
from tests.commands import Commands
from tests.refusals import at

MANAGER = "sm-east-1"

by_lead = Commands(by="lead")


def safeguarder_commands(record_id: UUID, n: int, day: int) -> list[Callable[[], RecordCommand]]:
    on = {"record_id": record_id, "by": MANAGER, "at": at(10 + day)}
    return [
        lambda: RecordSupportSession(session_id=f"s{n}", notes="reflection", **on),
        lambda: RecordSampledReport(report_ref=f"r{n}", session_id=f"s{n % 3}", discussion="read",
                                    **on),
        lambda: RecordFeedback(source="family", tone="positive", summary=f"thanks {n}", **on),
        lambda: RaiseSafeguarderConcern(concern_id=f"c{n % 4}", about="work",
                                        summary="late report", **on),
        lambda: ResolveSafeguarderConcern(concern_id=f"c{n % 4}", resolution="resolved", **on),
        lambda: RecordPerformanceEvidence(standard="Standard 3", evidence=f"e{n}", **on),
    ]


def case_commands(record_id: UUID, n: int, day: int) -> list[Callable[[], RecordCommand]]:
    on = {"record_id": record_id, "by": "sam", "at": at(10 + day)}
    return [
        lambda: ChangeRisk(new_risk=["low", "medium", "high", "escalating"][n % 4], **on),
        lambda: RaiseCaseConcern(concern_id=f"c{n % 4}", summary="no change", **on),
        lambda: EscalateCaseConcern(concern_id=f"c{n % 4}", reason="no response", **on),
        lambda: ResolveCaseConcern(concern_id=f"c{n % 4}", outcome="plan agreed", **on),
        lambda: RaiseDisagreement(disagreement_id=f"d{n % 3}", between=["school", "police"],
                                  summary="threshold", **on),
        lambda: ResolveDisagreement(disagreement_id=f"d{n % 3}", outcome="agreed", **on),
    ]


def new_safeguarder() -> list[Any]:
    region = PanelRegion.establish(EstablishRegion(region="East", by="lead", at=at(0)))
    region.add_support_manager(by_lead(AddSupportManager, region, manager=MANAGER, at=at(0)))
    s = Safeguarder.apply_to_panel(ApplyToPanel(name="A", region="East", by="lead", at=at(0)))
    s.record_interview(by_lead(RecordInterview, s, passed=True, at=at(1)))
    s.record_assessment(by_lead(RecordAssessment, s, passed=True, at=at(2)))
    s.appoint(by_lead(Appoint, s, term_starts_on=at(3).date(), by="ministers", at=at(3)))
    s.allocate(by_lead(Allocate, s, manager=MANAGER, reason="needs", at=at(4)), region)
    return [s, region]


def new_case() -> list[Any]:
    case = Case.open(OpenCase(child_reference="CHILD-0042", agency="social-work",
                              practitioner="pat", supervisor="sam",
                              legal_status="child_in_need", risk="medium", nation="SCT",
                              by="pat", at=at(0)))
    return [case]


def run(app: Assured, command: RecordCommand) -> None:
    with contextlib.suppress(RuleBroken):  # a refused command records nothing
        app.execute(command)


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
        run(app, commands(record_id, n, day)[choice]())
    from_snapshot = app.load(record_id)
    from_events_alone = project(None, app.stored_events(record_id))
    assert from_snapshot.__dict__ == from_events_alone.__dict__
    if from_snapshot.version >= interval:
        assert app.snapshots is not None
        assert list(app.snapshots.get(record_id)), "a snapshot was taken"
