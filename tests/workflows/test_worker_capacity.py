"""A worker whose workflow cache is far smaller than the workflows it runs (the production
default keeps 100 of thousands of sleeping appointments, workflows/capacity.py): a workflow
pushed out of the cache is replayed from its history when it is next asked, answers its query
and goes on through people's updates as if it had never left.

The cache holds two, and four appointments are started one after the other, so by the time the
last one waits the first has been evicted; every later task of it is a replay.
"""

from __future__ import annotations

import uuid

import pytest

from domain.panel import Region
from domain.panel_commands import AddSupportManager, EstablishRegion
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import ApplyToPanel
from infra.settings import Settings
from tests.workflows.conftest import Running, eventually
from tests.workflows.test_appointment import LEAD, MANAGER, a_week_ago, appointed, start
from workflows.appointment.workflow import AppointmentWorkflow
from workflows.capacity import Capacity
from workflows.worker import build_worker

SMALL = Capacity(cached_workflows=2, workflow_tasks=2, workflow_polls=2, activities=2)


async def test_an_appointment_pushed_out_of_a_small_cache_is_replayed_and_goes_on(
    running: Running,
) -> None:
    app, at = running.app, a_week_ago()
    region = app.establish_region(EstablishRegion(region=Region.EAST, by=LEAD, at=at))
    for manager in (MANAGER, "sm-east-b"):
        app.add_support_manager(AddSupportManager(record_id=region.aggregate_id,
                                                  manager=manager, by=LEAD, at=at))
    applicants = [app.apply_to_panel(ApplyToPanel(name=f"Applicant {n}", region=Region.EAST,
                                                  by="spt", at=at)).record for n in range(4)]
    small = Running(running.env, running.client, f"test-small-{uuid.uuid4().hex[:8]}", app)
    async with build_worker(running.client, app, small.task_queue, capacity=SMALL):
        handles = []
        for s in applicants:  # one after the other: each evicts the least recently used
            handle = await start(small, s)
            assert await handle.query(AppointmentWorkflow.deadlines) == []  # an applicant's
            handles.append(handle)
        first, s = handles[0], applicants[0]
        await appointed(small, first, s)  # three updates, each a replay of the evicted run
        assert app.load(s.id, Safeguarder).status == "appointed"
        deadlines = await eventually(lambda: first.query(AppointmentWorkflow.deadlines))
        assert any("allocat" in str(d).lower() for d in deadlines), deadlines
        for handle in handles:
            await handle.terminate("test over")


def test_the_worker_capacity_settings_must_fit_together() -> None:
    assert Settings().capacity == Capacity()
    assert Settings(worker_cached_workflows=0, worker_workflow_tasks=200).capacity == Capacity(
        cached_workflows=0, workflow_tasks=200)
    for wrong in ({"worker_workflow_tasks": 500}, {"worker_workflow_tasks": 1},
                  {"worker_workflow_polls": 1}, {"worker_activities": 0}):
        with pytest.raises(ValueError, match="ASSURED_WORKER_WORKFLOW_TASKS"):
            Settings(**wrong)  # type: ignore[arg-type]
