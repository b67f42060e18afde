"""Workflows on the Temporal dev server: started and completed per second, and the worker's
memory with many open appointment workflows.

Run: `.venv/bin/python bench/workflows_at_scale.py [OPEN] [CLOSED] [NOOP]` (defaults 10,000,
300, 300). (Not `workflows.py`: a script's folder comes first on the path, and a module of
that name there hid the `workflows` package from every other script here.)

Starts its own embedded PostgreSQL and Temporal dev server (state in a file, as `assured up`
keeps it) in a temporary folder, and `assured worker` as a process of its own (so its memory
is its own); everything is stopped at the end. Records are made through the application first:
OPEN applicants and CLOSED applicants who failed their interview. Then:

At most IN_FLIGHT (50) workflows are started and not yet done at any time (a start waits for
a place), so what waits is on the server's queue, where a workflow task has no deadline, not
in the worker, where it has 10 s (workflows/capacity.py):

- baseline: NOOP workflows that do nothing (one worker in this process, its own task queue):
  the server's own rate of starts and completions;
- CLOSED appointment workflows of the failed applicants: each reads its record, plans, and
  ends (two activities, one of them local), per second started and completed;
- OPEN appointment workflows of the applicants: each reads its record, plans its term and
  waits for the interview (open: a workflow per Safeguarder waits for years). Done when the
  server shows it waiting (no workflow task, no activity pending). Per second started and
  waiting; the worker's resident memory (RSS) every 1,000 waiting, and once they all wait (a
  sample of 50 across them queried, most replayed from their history), against its RSS before
  the first start.
- workflows whose history shows a workflow task timed out or failed (and was retried by the
  server: every one is still counted above only once it ended or came to wait). Not a target
  of the issue; a health figure, printed with how each timed out.
Target (issue 13): the worker's RSS with 10,000 open appointment workflows under 1 GiB.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent.parent))

from temporalio import workflow
from temporalio.api.enums.v1 import EventType, TimeoutType, WorkflowTaskFailedCause
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from bench.api_load import stop_embedded_postgres
from bench.soak import stop
from domain.safeguarder_commands import ApplyToPanel, RecordInterview
from infra.settings import Settings
from infra.store import application
from infra.temporal import connect
from tests.servers import temporal_dev_server
from workflows.appointment.types import AppointmentInput, appointment_id
from workflows.appointment.workflow import AppointmentWorkflow

from table import Row, print_table, under  # bench/: this script's folder is on the path

BATCH = 250
"""Workflows started together; the next batch starts when these are done."""
AT_ONCE = 50
"""Start calls (and looks at started workflows) under way at once."""
POLL = 1.0
"""Seconds between two looks at a started open workflow that is not waiting yet."""
CHECK_EVERY = 10
"""One open workflow in this many has its history checked for retried workflow tasks (every
closed one has)."""
MEMORY_EVERY = 1_000
SAMPLE = 50
"""Open workflows queried at the end, spread over all of them (most are no longer cached)."""
GIB = 1024 ** 3


@workflow.defn(sandboxed=False)
class Noop:
    @workflow.run
    async def run(self) -> None:
        return None


def seed(settings: Settings, open_: int, closed: int) -> tuple[list[str], list[str]]:
    """Applicants (left open) and failed applicants; their ids."""
    at = datetime.now(UTC) - timedelta(days=30)
    applicants, failed = [], []
    with application(settings) as app, contextlib.redirect_stdout(io.StringIO()):
        for n in range(open_ + closed):
            rid = app.apply_to_panel(ApplyToPanel(name=f"Applicant {n}", region="East",
                                                  by="panel-lead", at=at)).aggregate_id
            if n < open_:
                applicants.append(str(rid))
            else:
                app.record_interview(RecordInterview(record_id=rid, passed=False,
                                                     notes="not ready", by="panel-lead",
                                                     at=at + timedelta(days=1)))
                failed.append(str(rid))
    return applicants, failed


def rss(pid: int) -> int:
    """Resident memory of `pid` and its children (bytes)."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) * 1024
    return total


@dataclass
class Run:
    """Per second started and done (completed, or for open ones: waiting, their first steps
    done), both from the first start; the workflow tasks seen retried; the worker's RSS as the
    run went (done so far, MiB)."""

    started: float = 0.0
    done: float = 0.0
    retried: int = 0
    how: Counter[str] = field(default_factory=Counter)
    which: list[int] = field(default_factory=list)
    """The retried ones' places in the order started."""
    memory: list[tuple[int, float]] = field(default_factory=list)


async def waiting(handle: WorkflowHandle[Any, Any]) -> None:
    """Until the workflow waits: no workflow task to run and no activity pending (its first
    steps are done, it sleeps on a timer or a condition)."""
    while True:
        raw = (await handle.describe()).raw_description
        if not raw.HasField("pending_workflow_task") and not raw.pending_activities:
            return
        await asyncio.sleep(POLL)


async def retried(handle: WorkflowHandle[Any, Any]) -> str | None:
    """How a workflow task of the workflow timed out or failed, if one did (its history records
    the first; the server retries it with a backoff growing to 10 minutes, which is what stalled
    the earlier full-scale runs)."""
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
            kind = event.workflow_task_timed_out_event_attributes.timeout_type
            return f"timed out ({TimeoutType.Name(kind)})"
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
            cause = event.workflow_task_failed_event_attributes.cause
            message = event.workflow_task_failed_event_attributes.failure.message[:60]
            return f"failed ({WorkflowTaskFailedCause.Name(cause)}: {message})"
    return None


async def started_and_done(client: Client, starts: list[tuple[object, object, str, str]],
                           open_: bool = False, worker_pid: int | None = None) -> Run:
    """Start every (workflow run, arg, id, queue) in batches of BATCH (AT_ONCE start calls
    at a time), each batch done (completed, or with `open_`: every one waiting) before the
    next starts, so that no more than a batch waits for the worker, and it waits on the
    server's queue, not in the worker. Every workflow's history (open: one in CHECK_EVERY)
    is checked for a workflow task that timed out or failed."""
    run = Run()
    began = time.perf_counter()
    gate = asyncio.Semaphore(AT_ONCE)
    starting = 0.0

    async def start(wf: object, arg: object, wid: str, queue: str) -> WorkflowHandle[Any, Any]:
        async with gate:
            args = [] if arg is None else [arg]
            return await client.start_workflow(wf, args=args, id=wid,  # type: ignore[call-overload]
                                               task_queue=queue)

    async def done(handle: WorkflowHandle[Any, Any], n: int) -> None:
        check = not open_ or n % CHECK_EVERY == 0
        async with gate:
            await (waiting(handle) if open_ else handle.result())
            how = await retried(handle) if check else None
            if how is not None:
                run.retried += 1
                run.how[how] += 1
                run.which.append(n)

    for first in range(0, len(starts), BATCH):
        batch = starts[first:first + BATCH]
        started_at = time.perf_counter()
        handles = await asyncio.gather(*(start(*s) for s in batch))
        starting += time.perf_counter() - started_at
        await asyncio.gather(*(done(h, n) for n, h in enumerate(handles, first)))
        so_far = first + len(batch)
        if worker_pid is not None and (so_far % MEMORY_EVERY < len(batch)
                                       or so_far == len(starts)):
            run.memory.append((first + len(batch), rss(worker_pid) / 2 ** 20))
            print(f"    {first + len(batch):,} waiting, {time.perf_counter() - began:.0f} s; "
                  f"worker RSS {run.memory[-1][1]:.0f} MiB", flush=True)
    run.started = len(starts) / starting
    run.done = len(starts) / (time.perf_counter() - began)
    return run


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    assured = Path(sys.executable).with_name("assured")
    log = open(Path(env["ASSURED_DATA_DIR"]) / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen([str(assured), "worker"], env=env, stdout=subprocess.PIPE,
                              stderr=log)
    assert worker.stdout is not None
    deadline = time.monotonic() + 120
    for line in worker.stdout:  # "Worker polling at …"
        if b"polling" in line:
            return worker
        assert time.monotonic() < deadline, "the worker did not start"
    raise RuntimeError("the worker stopped before it polled")


async def measure(settings: Settings, worker_pid: int, applicants: list[str],
                  failed: list[str], noop: int) -> dict[str, Any]:
    client = await connect(settings)
    queue = f"bench-noop-{uuid.uuid4().hex[:6]}"
    figures: dict[str, Any] = {}
    async with Worker(client, task_queue=queue, workflows=[Noop]):
        figures["noop"] = await started_and_done(
            client, [(Noop.run, None, f"noop-{uuid.uuid4().hex}", queue) for _ in range(noop)])
    figures["closed"] = await started_and_done(
        client, [(AppointmentWorkflow.run, AppointmentInput(s), appointment_id(s),
                  settings.task_queue) for s in failed])
    figures["rss idle"] = rss(worker_pid)
    figures["open"] = await started_and_done(
        client, [(AppointmentWorkflow.run, AppointmentInput(s), appointment_id(s),
                  settings.task_queue) for s in applicants], open_=True, worker_pid=worker_pid)
    # Every one waits (seen above); a sample across them answers a query, most of them replayed
    # from their history, since the cache holds only the last ones.
    step = max(1, len(applicants) // SAMPLE)
    for s in applicants[::step][:SAMPLE]:
        await client.get_workflow_handle(appointment_id(s)).query(
            AppointmentWorkflow.deadlines, rpc_timeout=timedelta(seconds=30))
    await asyncio.sleep(5)
    figures["rss open"] = rss(worker_pid)
    return figures


def main(open_: int = 10_000, closed: int = 300, noop: int = 300) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-bench-workflows-"))
    os.chmod(data_dir, 0o755)
    atexit.register(shutil.rmtree, data_dir, True)  # last: after the settings' own exit steps
    try:
        with temporal_dev_server(data_dir / "temporal") as overrides:
            settings = Settings(data_dir=data_dir, **overrides)  # type: ignore[arg-type]
            began = time.perf_counter()
            applicants, failed = seed(settings, open_, closed)
            print(f"  {open_ + closed:,} applicants recorded in "
                  f"{time.perf_counter() - began:.0f} s", flush=True)
            env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir),
                       ASSURED_TEMPORAL_ADDRESS=str(overrides["temporal_address"]),
                       ASSURED_TEMPORAL_UI_PORT=str(overrides["temporal_ui_port"]))
            worker = start_worker(env)
            try:
                figures = asyncio.run(measure(settings, worker.pid, applicants, failed, noop))
            finally:
                stop(worker)
                if os.environ.get("BENCH_KEEP_LOG"):
                    shutil.copy(data_dir / "worker.log", "/tmp/bench-worker.log")
    finally:
        stop_embedded_postgres(data_dir)
    noop_, closed_, open__ = figures["noop"], figures["closed"], figures["open"]
    capacity = Settings().capacity
    print(f"\nTemporal dev server (state in a file), `assured worker` in its own process "
          f"(caches {capacity.cached_workflows} workflows, holds {capacity.workflow_tasks} "
          f"workflow tasks at once), {os.cpu_count()} CPUs; started in batches of {BATCH}, "
          f"each done before the next; baseline: {noop} workflows that do nothing")
    print("  worker RSS as the open ones came to wait: " + ", ".join(
        f"{n:,}: {mib:.0f} MiB" for n, mib in open__.memory))
    how = closed_.how + open__.how
    if how:
        print("  workflow tasks that timed out or failed, by how: " + ", ".join(
            f"{kind}: {n}" for kind, n in how.most_common()) + f"; which, in the order started: "
              f"closed {sorted(closed_.which)}, open {sorted(open__.which)}")
    rows = [
        Row(f"appointments of failed applicants ({closed}): started (the start calls' own "
            "time)", closed_.started,
            noop_.started, "workflows/s"),
        Row("  the same: completed (read the record, plan, end)", closed_.done, noop_.done,
            "workflows/s"),
        Row(f"open appointments ({open_:,}): started (the start calls' own time)",
            open__.started, noop_.started, "workflows/s"),
        Row("  the same: waiting (read the record, plan the term, wait; all the time, the "
            "checks included)", open__.done, noop_.done, "workflows/s"),
        Row(f"workflows whose workflow task timed out or failed and was retried (every closed "
            f"one, one open in {CHECK_EVERY}; each still ended or came to wait)",
            closed_.retried + open__.retried),
        Row(f"worker RSS with {open_:,} open appointments (baseline: before they started)",
            figures["rss open"] / 2 ** 20, figures["rss idle"] / 2 ** 20, "MiB",
            under(1024, "MiB")),
        Row("baseline: workflows that do nothing, started", noop_.started, noop_.started,
            "workflows/s"),
        Row("baseline: the same, completed", noop_.done, noop_.done, "workflows/s"),
    ]
    print_table("Workflows", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
