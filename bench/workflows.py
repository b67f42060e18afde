"""Workflows on the Temporal dev server: started and completed per second, and the worker's
memory with many open appointment workflows.

Run: `.venv/bin/python bench/workflows.py [OPEN] [CLOSED] [NOOP]` (defaults 10,000, 300, 300).

Starts its own embedded PostgreSQL and Temporal dev server (state in a file, as `assured up`
keeps it) in a temporary folder, and `assured worker` as a process of its own (so its memory
is its own); everything is stopped at the end. Records are made through the application first:
OPEN applicants and CLOSED applicants who failed their interview. Then:

- baseline: NOOP workflows that do nothing (one worker in this process, its own task queue),
  started 50 at a time: the server's own rate of starts and completions;
- CLOSED appointment workflows of the failed applicants: each reads its record, plans, and
  ends (two activities, one of them local), started 50 at a time, per second started and
  completed;
- OPEN appointment workflows of the applicants: each reads its record, plans its term and
  waits for the interview (open: a workflow per Safeguarder waits for years). Per second
  started, and the worker's resident memory (RSS) once they all wait (the last 50 are queried
  to be sure), against its RSS before the first start.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from temporalio import workflow
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.worker import Worker

from bench.api_load import stop_embedded_postgres
from domain.safeguarder_commands import ApplyToPanel, RecordInterview
from infra.settings import Settings
from infra.store import application
from infra.temporal import connect
from tests.servers import temporal_dev_server
from workflows.appointment.types import AppointmentInput, appointment_id
from workflows.appointment.workflow import AppointmentWorkflow

from table import Row, print_table, under  # bench/: this script's folder is on the path

AT_ONCE = 50
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


async def started_and_completed(client: Client, starts: list[tuple[object, object, str, str]],
                                wait: bool = True) -> tuple[float, float]:
    """Start every (workflow run, arg, id, queue), AT_ONCE at a time; per second started and
    (with `wait`) completed, both from the first start."""
    began = time.perf_counter()
    gate = asyncio.Semaphore(AT_ONCE)
    handles = []

    async def start(run: object, arg: object, wid: str, queue: str) -> None:
        async with gate:
            args = [] if arg is None else [arg]
            handles.append(await client.start_workflow(run, args=args, id=wid,  # type: ignore[call-overload]
                                                       task_queue=queue))

    await asyncio.gather(*(start(*s) for s in starts))
    started = len(starts) / (time.perf_counter() - began)
    if not wait:
        return started, 0.0

    async def result(handle: object) -> None:
        async with gate:
            await handle.result()  # type: ignore[attr-defined]

    await asyncio.gather(*(result(h) for h in handles))
    return started, len(starts) / (time.perf_counter() - began)


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
                  failed: list[str], noop: int) -> dict[str, float]:
    client = await connect(settings)
    queue = f"bench-noop-{uuid.uuid4().hex[:6]}"
    figures: dict[str, float] = {}
    async with Worker(client, task_queue=queue, workflows=[Noop]):
        figures["noop started"], figures["noop completed"] = await started_and_completed(
            client, [(Noop.run, None, f"noop-{uuid.uuid4().hex}", queue) for _ in range(noop)])
    figures["closed started"], figures["closed completed"] = await started_and_completed(
        client, [(AppointmentWorkflow.run, AppointmentInput(s), appointment_id(s),
                  settings.task_queue) for s in failed])
    figures["rss idle"] = rss(worker_pid)
    figures["open started"], _ = await started_and_completed(
        client, [(AppointmentWorkflow.run, AppointmentInput(s), appointment_id(s),
                  settings.task_queue) for s in applicants], wait=False)
    deadline = time.monotonic() + 900
    for s in applicants[-AT_ONCE:]:  # the last started: all before them are waiting too
        while True:
            try:
                await client.get_workflow_handle(appointment_id(s)).query(
                    AppointmentWorkflow.deadlines, rpc_timeout=timedelta(seconds=30))
                break
            except RPCError:  # the worker is still busy with the starts
                assert time.monotonic() < deadline, "the open workflows did not settle"
                await asyncio.sleep(1)
    await asyncio.sleep(5)
    figures["rss open"] = rss(worker_pid)
    for s in applicants:
        await client.get_workflow_handle(appointment_id(s)).terminate("the benchmark is over")
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
                worker.terminate()
                try:
                    worker.wait(30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(10)
                if os.environ.get("BENCH_KEEP_LOG"):
                    shutil.copy(data_dir / "worker.log", "/tmp/bench-worker.log")
    finally:
        stop_embedded_postgres(data_dir)
    print(f"\nTemporal dev server (state in a file), `assured worker` in its own process, "
          f"{os.cpu_count()} CPUs; starts {AT_ONCE} at a time; baseline: {noop} workflows that "
          f"do nothing")
    rows = [
        Row(f"appointments of failed applicants ({closed}): started", figures["closed started"],
            figures["noop started"], "workflows/s"),
        Row("  the same: completed", figures["closed completed"], figures["noop completed"],
            "workflows/s"),
        Row(f"open appointments ({open_:,}): started", figures["open started"],
            figures["noop started"], "workflows/s"),
        Row(f"worker RSS with {open_:,} open appointments (baseline: before they started)",
            figures["rss open"] / 2 ** 20, figures["rss idle"] / 2 ** 20, "MiB",
            under(1024, "MiB")),
        Row("baseline: workflows that do nothing, started", figures["noop started"],
            figures["noop started"], "workflows/s"),
        Row("baseline: the same, completed", figures["noop completed"],
            figures["noop completed"], "workflows/s"),
    ]
    print_table("Workflows", rows)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
