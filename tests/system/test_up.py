"""`make run` on a clean data folder, as a person runs it in a terminal.

1. It brings the whole system up; the printed sign-in page answers, and the administrator it
   printed signs in through the web sign-in (password and security code). A Safeguarder's
   application is made, which starts its appointment process. Ctrl-C stops every process it
   started.
2. The next `make run` finds the application, and its process still running: the interview
   recorded now is taken by that process. SIGTERM (to `make`) stops it as Ctrl-C does.
3. A run killed outright (SIGKILL, with its `make`) leaves its PostgreSQL and Temporal behind;
4. the next run uses them, and after its Ctrl-C nothing is left.

Each run is a subprocess in a session of its own, so Ctrl-C goes to its process group as a
terminal sends it; every wait is bounded. What a run says once it is asked to stop has no
traceback (while running, a retried activity's warning may carry one: that is the worker's log).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import psutil
import pyotp
from temporalio.client import Client, WorkflowExecutionStatus

from tests.leftovers import stop
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
UP_SECONDS = 240  # a first run makes the database; the machine may be busy
STOP_SECONDS = 90


class Run:
    """One `make run`, its output gathered line by line."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "run"], cwd=ROOT, env=env, text=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, seconds: float = UP_SECONDS) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while True:
            found = re.search(pattern, self.output)
            if found:
                return found
            assert self.process.poll() is None, f"make run ended:\n{self.output}"
            assert time.monotonic() < deadline, f"no {pattern!r} in {seconds} s:\n{self.output}"
            time.sleep(0.2)

    def interrupt(self) -> str:
        """Ctrl-C, as a terminal sends it: to the whole foreground process group; what it
        said from then on."""
        asked = len(self.lines)
        os.killpg(self.process.pid, signal.SIGINT)
        return self._stopped(asked)

    def _stopped(self, asked: int) -> str:
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"make run did not stop in {STOP_SECONDS} s:\n{self.output}") from None
        self._reader.join(10)
        return "\n".join(self.lines[asked:])

    def terminate(self) -> str:
        """SIGTERM to make alone (as `kill PID` does): make passes it on to `assured up`."""
        asked = len(self.lines)
        self.process.terminate()
        return self._stopped(asked)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self._reader.join(10)


def servers_under(data_dir: Path) -> list[psutil.Process]:
    """Running processes serving this data folder: its PostgreSQL and its Temporal."""
    found = []
    for process in psutil.process_iter():
        try:
            if (process.status() != psutil.STATUS_ZOMBIE
                    and any(str(data_dir) in part for part in process.cmdline())):
                found.append(process)
        except psutil.Error:
            continue
    return found


def gone(process: psutil.Process) -> bool:
    """Ended (a zombie not yet reaped by its new parent has ended too)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def sign_in(base: str, username: str, password: str, secret: str) -> httpx.Client:
    """Sign in as the web page does (its form, with its CSRF token); the client keeps the
    session cookie."""
    http = httpx.Client(base_url=base, timeout=60)
    page = http.get("/sign-in")
    assert page.status_code == 200 and "Sign in" in page.text
    token = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
    assert token, page.text
    signed = http.post("/sign-in", data={"username": username, "password": password,
                                         "code": pyotp.TOTP(secret).now(),
                                         "csrf_token": token.group(1)})
    assert signed.status_code == 303 and signed.headers["location"] == "/app/my-work", \
        signed.text
    assert http.get("/app/my-work").status_code == 200
    return http


def workflow_status(address: str, workflow_id: str) -> WorkflowExecutionStatus | None:
    async def describe() -> WorkflowExecutionStatus | None:
        client = await Client.connect(address)
        return (await client.get_workflow_handle(workflow_id).describe()).status

    return asyncio.run(describe())


def test_make_run_comes_up_stops_clean_carries_on_and_adopts_what_a_kill_left(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    try:
        journey(data_dir)
    finally:  # whatever a failure left
        stop(servers_under(data_dir))


def journey(data_dir: Path) -> None:
    port, temporal = free_port(), f"127.0.0.1:{free_port()}"
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("ASSURED_", "MAKE", "MFLAGS")) or name == "ASSURED_SUITE_RUN"}
    env |= {"ASSURED_DATA_DIR": str(data_dir), "ASSURED_API_PORT": str(port),
            "ASSURED_TEMPORAL_ADDRESS": temporal, "ASSURED_TEMPORAL_UI_PORT": str(free_port()),
            "ASSURED_TOKEN_MINUTES": "60"}  # the first run's session serves the second

    # 1. Up; the printed administrator signs in; Ctrl-C stops everything.
    first = Run(env)
    try:
        base = first.wait_for(r"Sign in:\s+(http://\S+)/sign-in").group(1)
        password = first.wait_for(r"one-time password:\s+(\S+)").group(1)
        uri = first.wait_for(r"(otpauth://\S+)").group(1)
        first.wait_for("Ctrl-C stops everything")
        assert f"{base}/docs" in first.output and "Temporal UI:" in first.output
        assert re.search(r"username:\s+admin", first.output)
        http = sign_in(base, "admin", password, parse_qs(urlparse(uri).query)["secret"][0])
        applied = http.post("/safeguarders", json={
            "name": "Rhiannon O'Connor-Ng", "region": "East",
            "contact": {"email": "rhiannon@example.org"}, "at": "2025-09-01T09:00:00+00:00"})
        assert applied.status_code == 201, applied.text
        safeguarder, process_id = applied.json()["id"], applied.json()["workflow"]
        assert process_id == f"appointment-{safeguarder}"
        assert workflow_status(temporal, process_id) == WorkflowExecutionStatus.RUNNING
        # --demo (make run's): the loader runs, and is under way when Ctrl-C comes
        # (tests/e2e/test_demo_data.py checks the whole data set it loads).
        first.wait_for(r"Demo data: loading\n.")  # and the loader has said what it made
        running = servers_under(data_dir)
        assert len(running) == 2, running  # its PostgreSQL and its Temporal dev server
    except BaseException:
        first.kill()
        raise
    said = first.interrupt()
    assert "Stopping PostgreSQL" in said and "Stopped." in said and "Traceback" not in said
    assert re.search(r"Demo data: (loading stopped part way|loaded\.)", said), said
    assert servers_under(data_dir) == [] and all(gone(p) for p in running)

    # 2. The next run carries on: the record, and its process, which takes the next step.
    second = Run(env)
    try:
        second.wait_for("Ctrl-C stops everything")
        assert "First run" not in second.output  # the administrator is made once
        second.wait_for(r"Demo data: already loaded")  # (a load stopped part way stays so)
        found = http.get(f"/safeguarders/{safeguarder}")
        assert found.status_code == 200 and found.json()["name"] == "Rhiannon O'Connor-Ng"
        assert workflow_status(temporal, process_id) == WorkflowExecutionStatus.RUNNING
        interviewed = http.post(f"/safeguarders/{safeguarder}/record-interview",
                                json={"passed": True, "at": "2025-09-15T10:00:00+00:00"})
        assert interviewed.status_code == 200, interviewed.text
        assert interviewed.json()["workflow"] == process_id, interviewed.text  # it took it
    except BaseException:
        second.kill()
        raise
    said = second.terminate()  # SIGTERM stops it as cleanly as Ctrl-C
    assert "Stopped." in said and "Traceback" not in said and servers_under(data_dir) == []

    # 3. Killed outright, with its make: its PostgreSQL and Temporal are left running ...
    third = Run(env)
    try:
        third.wait_for("Ctrl-C stops everything")
    finally:
        third.kill()
    orphans = servers_under(data_dir)
    assert len(orphans) == 2, orphans

    # 4. ... the next run uses them, and its Ctrl-C leaves nothing.
    fourth = Run(env)
    try:
        fourth.wait_for("Ctrl-C stops everything")
        assert "using the private server already running" in fourth.output
        assert "using the dev server this checkout started" in fourth.output
        assert http.get(f"/safeguarders/{safeguarder}").status_code == 200
    except BaseException:
        fourth.kill()
        raise
    said = fourth.interrupt()
    assert "Stopped." in said and "Traceback" not in said, said
    assert servers_under(data_dir) == [] and all(gone(p) for p in orphans)
    http.close()
