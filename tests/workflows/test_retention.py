"""The retention process on the Temporal dev server, with time skipping: records past their
retention period (domain/policy.py) are listed, wait for the data protection officer's
approval, and are erased; a legal hold keeps a record out of it, and stops its erasure when it
is placed after the listing. A Scottish looked-after child's case, kept to the 100th birthday,
is never listed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError

from domain.application import Assured
from domain.case_commands import CloseCase, OpenCase
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import ApplyToPanel, Resign
from domain.subject_commands import PlaceLegalHold
from domain.subjects import ERASED
from tests.refusals import at
from tests.workflows.conftest import Running, eventually, keep_history
from workflows.retention.types import Approval, RetentionInput, RetentionOutcome
from workflows.retention.workflow import RetentionWorkflow

DPO = "dpo-1"


def left_the_panel(app: Assured, name: str, on: datetime) -> Safeguarder:
    record = app.apply_to_panel(ApplyToPanel(name=name, region="East", by="pa-1",
                                             at=on - timedelta(days=30))).record
    app.resign(Resign(record_id=record.id, reason=f"{name} moved abroad", by="pa-1", at=on))
    return record


def hold(app: Assured, record_id: uuid.UUID, on: datetime) -> None:
    app.place_legal_hold(PlaceLegalHold(record_id=record_id, grounds="Inquiry 2026/4",
                                        by=DPO, at=on))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_records_past_retention_are_erased_once_approved_and_a_hold_stops_it(
        running: Running) -> None:
    app = running.app
    due = left_the_panel(app, "Ainsley Due", at(10))
    held_later = left_the_panel(app, "Bryn Later", at(10.2))
    held_before = left_the_panel(app, "Cai Held", at(12))
    hold(app, held_before.id, at(13))
    serving = app.apply_to_panel(ApplyToPanel(name="Dara Serving", region="East", by="pa-1",
                                              at=at(0))).record
    looked_after = app.open_case(OpenCase(
        child_reference="C-SCT-0101", agency="Social work", practitioner="pr-1",
        supervisor="su-1", legal_status="looked_after", risk="low", nation="SCT",
        by="pr-1", at=at(0))).record
    app.close_case(CloseCase(record_id=looked_after.id, reason="Returned home", by="su-1",
                             at=at(14)))

    with running.env.with_time_skipping_disabled():
        handle = await running.client.start_workflow(
            RetentionWorkflow.run, RetentionInput(approval_days=3650),
            id=f"retention-{uuid.uuid4().hex[:8]}", task_queue=running.task_queue)
    assert await eventually(lambda: _sleeping(handle))  # nothing is due in 2026: it waits
    # Six years after they left (policy.safeguarder_retention), and a day.
    await running.env.fast_forward(handle, datetime(2032, 1, 20, tzinfo=UTC)
                                   - await running.env.get_current_time(handle))
    listed = await eventually(lambda: handle.query(RetentionWorkflow.listed))
    assert {d.record_id for d in listed} == {str(due.id), str(held_later.id)}
    assert app.load(due.id, Safeguarder).name == "Ainsley Due"  # nothing erased unapproved

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await handle.execute_update(RetentionWorkflow.approve, Approval("pa-1", "panel_admin"))
    assert "approved by the data_protection_officer" in str(refused.value.cause)
    hold(app, held_later.id, at(20))
    await handle.execute_update(RetentionWorkflow.approve,
                                Approval(DPO, "data_protection_officer"))
    outcome = await handle.result()
    await keep_history(handle, "RetentionWorkflow-erased-once-approved-one-held")

    assert outcome == RetentionOutcome(erased=[str(due.id)], held=[str(held_later.id)],
                                       approved_by=DPO)
    assert app.load(due.id, Safeguarder).name == ERASED
    for kept, name in ((held_later, "Bryn Later"), (held_before, "Cai Held"),
                       (serving, "Dara Serving")):
        assert app.load(kept.id, Safeguarder).name == name
    assert app.load(looked_after.id).child_reference == "C-SCT-0101"
    erasure = [e for e in app.stored_events(due.id) if type(e).__name__ == "Erased"]
    assert len(erasure) == 1 and erasure[0].actor == DPO
    assert "Retention period ended on 2032-01-15" in erasure[0].grounds


async def _sleeping(handle: object) -> bool:
    """Whether the run listed nothing due and set a timer for the next record's due date."""
    history = await handle.fetch_history()  # type: ignore[attr-defined]
    return any(e.HasField("timer_started_event_attributes") for e in history.events)
