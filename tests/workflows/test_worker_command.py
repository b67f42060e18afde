"""`assured worker` on the embedded default: it starts the Temporal dev server and runs the
workflows against the embedded PostgreSQL, end to end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.client import Client

from api.settings import Settings
from api.store import encryption_key, open_application
from domain.case import Case
from workflows.codec import data_converter
from workflows.common import TASK_QUEUE
from workflows.escalation import EscalationInput, EscalationWorkflow, ResolveRequest, escalation_id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def worker_process() -> Iterator[Settings]:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-worker-"))
    os.chmod(data_dir, 0o755)
    settings = Settings(data_dir=data_dir, temporal_address=f"127.0.0.1:{free_port()}",
                        temporal_ui_port=free_port())
    env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir),
               ASSURED_TEMPORAL_ADDRESS=settings.temporal_address,
               ASSURED_TEMPORAL_UI_PORT=str(settings.temporal_ui_port))
    assured = Path(sys.executable).with_name("assured")
    process = subprocess.Popen([str(assured), "worker"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.monotonic() + 60
    while not any("Worker polling" in line for line in lines):
        assert process.poll() is None and time.monotonic() < deadline, "".join(lines)
        lines.append(process.stdout.readline())  # type: ignore[union-attr]
    yield settings
    process.terminate()
    process.wait(timeout=30)


async def test_the_worker_command_runs_a_process_end_to_end(worker_process: Settings) -> None:
    app = open_application(worker_process)
    began = datetime.now(UTC) - timedelta(hours=1)
    case = Case.open(child_reference="CH-9001", agency="school", practitioner="pat",
                     supervisor="sam", legal_status="early_help", risk="medium", nation="WLS",
                     by="pat", at=began)
    case.raise_concern("c1", "attendance falling", by="sam", at=began)
    app.record(case)

    client = await Client.connect(worker_process.temporal_address,
                                  data_converter=data_converter(encryption_key(worker_process)))
    handle = await client.start_workflow(
        EscalationWorkflow.run, EscalationInput(str(case.id), "case-concern", "c1", "WLS"),
        id=escalation_id(str(case.id), "c1"), task_queue=TASK_QUEUE)
    answer = await handle.execute_update(EscalationWorkflow.resolve,
                                         ResolveRequest("plan agreed with school", "sam"))
    assert answer.startswith("Resolved at stage 1")
    assert app.load(case.id, Case).concerns["c1"]["outcome"] == "plan agreed with school"
    app.close()
