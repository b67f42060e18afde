"""Who uses the embedded run's own servers, and stopping them when the last user leaves.

The embedded default runs a private PostgreSQL (`<data>/pg`) and a Temporal dev server (its
file `<data>/temporal.db`). Neither is a child that dies with the command that started it: the
PostgreSQL detaches, and the dev server runs in a session of its own (so that Ctrl-C reaches
the command first, which stops its worker before the server goes). So every command of this
checkout that uses them is recorded as a *user* under `<data>/run/users.json` (its pid and the
time its process started, so a reused pid is not taken for it), and the last user to leave
stops them: at its exit, or in `leave()` when it wants to say so.

A user killed outright (SIGKILL) cannot leave: its entry stays, but it counts no more once its
process is gone. The next command of this checkout finds the servers it left and uses them
(the PostgreSQL by its `postmaster.pid`, the dev server by `<data>/run/temporal.json`), and
when that command is the last to leave, it stops them. Nothing is left orphaned for longer than
until the next command.

Every change to the list, and every start and stop, happens under one lock (`<data>/run/lock`),
so a command that joins while another leaves either keeps the servers up or finds them stopped
and starts them again, never half-stopped.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psutil

from infra.private import FILE, FOLDER, for_server, private_folder, tighten

log = logging.getLogger(__name__)

Say = Callable[[str], None]

STOP_SECONDS = 30.0
"""How long a server is given to stop cleanly before it is killed."""


def run_folder(data_dir: Path) -> Path:
    return private_folder(data_dir / "run")


@contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """The lock every user of `data_dir`'s servers takes to join, leave, start or stop them."""
    fd = os.open(run_folder(data_dir) / "lock", os.O_RDWR | os.O_CREAT, FILE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@dataclass(frozen=True)
class Process:
    """A process named by its pid and the time it started (a pid alone may be reused)."""

    pid: int
    started: float

    @classmethod
    def this(cls) -> Process:
        return cls.of(os.getpid())

    @classmethod
    def of(cls, pid: int) -> Process:
        return cls(pid, psutil.Process(pid).create_time())

    def alive(self) -> bool:
        try:
            found = psutil.Process(self.pid)
            return (abs(found.create_time() - self.started) < 0.05
                    and found.status() != psutil.STATUS_ZOMBIE)
        except psutil.Error:
            return False

    def stop(self, sig: int = signal.SIGTERM, seconds: float = STOP_SECONDS) -> bool:
        """Signal it, and wait until it has gone (killing it after `seconds`); True if it
        stopped of itself."""
        if not self.alive():
            return True
        with suppress(ProcessLookupError):
            os.kill(self.pid, sig)
        if _gone(self, seconds):
            return True
        log.warning("pid %s did not stop within %s s: killed", self.pid, seconds)
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        _gone(self, 10)
        return False


def _gone(process: Process, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    with suppress(psutil.Error):
        found = psutil.Process(process.pid)
        while time.monotonic() < deadline:
            if not process.alive():
                return True
            with suppress(psutil.TimeoutExpired, ChildProcessError):
                found.wait(0.1)  # reaps it when it is our own child
    return not process.alive()


def _read(path: Path) -> object:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def _write(path: Path, value: object) -> None:
    fresh = path.with_suffix(".new")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE)
    with os.fdopen(fd, "w") as out:
        json.dump(value, out)
    fresh.replace(path)


def users(data_dir: Path) -> list[Process]:
    """The live users of `data_dir`'s servers (callers hold the lock)."""
    listed = _read(data_dir / "run" / "users.json")
    found = [Process(int(p), float(t)) for p, t in listed] if isinstance(listed, list) else []
    return [user for user in found if user.alive()]


def _keep(data_dir: Path, live: list[Process]) -> None:
    _write(run_folder(data_dir) / "users.json", [[u.pid, u.started] for u in live])


_joined: set[Path] = set()


def join(data_dir: Path) -> None:
    """Record this process as a user of `data_dir`'s servers (callers hold the lock); it leaves
    at exit, stopping them if it is the last."""
    me = Process.this()
    live = users(data_dir)
    if me not in live:
        _keep(data_dir, [*live, me])
    key = data_dir.resolve()
    if key not in _joined:
        _joined.add(key)
        atexit.register(leave, data_dir)


def leave(data_dir: Path, say: Say | None = None) -> bool:
    """This process no longer uses `data_dir`'s servers; if no other live user remains, stop
    them: the Temporal dev server this checkout started, then the PostgreSQL. True if it
    stopped them (or there was nothing left to stop)."""
    key = data_dir.resolve()
    if key not in _joined or not (data_dir / "run").is_dir():
        return False
    _joined.discard(key)
    me = Process.this()
    with locked(data_dir):
        others = [user for user in users(data_dir) if user != me]
        _keep(data_dir, others)
        if others:
            if say:
                say(f"Leaving PostgreSQL and Temporal running: {len(others)} other command(s) "
                    f"of this checkout use them (pid {', '.join(str(u.pid) for u in others)})")
            return False
        stop_temporal(data_dir, say)
        stop_postgres(data_dir, say)
        return True


def leave_everything(say: Say | None = None) -> None:
    """Leave every data folder this process joined (as its exit would)."""
    for data_dir in list(_joined):
        leave(data_dir, say)


# The Temporal dev server ------------------------------------------------------------------

def temporal_record(data_dir: Path) -> tuple[Process, str] | None:
    """The dev server this checkout started and that still runs: its process and address."""
    found = _read(data_dir / "run" / "temporal.json")
    if not isinstance(found, dict):
        return None
    server = Process(int(found["pid"]), float(found["started"]))
    return (server, str(found["address"])) if server.alive() else None


def record_temporal(data_dir: Path, pid: int, address: str) -> None:
    server = Process.of(pid)
    _write(run_folder(data_dir) / "temporal.json",
           {"pid": server.pid, "started": server.started, "address": address})


def stop_temporal(data_dir: Path, say: Say | None = None) -> None:
    """Stop the dev server this checkout started, if it runs (callers hold the lock)."""
    found = temporal_record(data_dir)
    if found is not None:
        server, address = found
        if say:
            say(f"Stopping the Temporal dev server at {address} (pid {server.pid})")
        server.stop(signal.SIGTERM)
    (data_dir / "run" / "temporal.json").unlink(missing_ok=True)


# The embedded PostgreSQL ------------------------------------------------------------------

def postgres_running(data_dir: Path) -> Process | None:
    """The embedded PostgreSQL under `data_dir/pg`, if it runs (the first line of its
    `postmaster.pid`, checked to be a postgres serving that folder)."""
    pgdata = (data_dir / "pg").resolve()
    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
        found = psutil.Process(pid)
        serves = found.status() != psutil.STATUS_ZOMBIE and str(pgdata) in found.cmdline()
    except (FileNotFoundError, IndexError, ValueError, psutil.Error):
        return None
    return Process(pid, found.create_time()) if serves else None


def stop_postgres(data_dir: Path, say: Say | None = None) -> None:
    """A fast shutdown of the embedded PostgreSQL, if it runs (callers hold the lock): open
    transactions roll back, clients are told, the data is checkpointed."""
    server = postgres_running(data_dir)
    if server is None:
        return
    if say:
        say(f"Stopping PostgreSQL (pid {server.pid})")
    as_root = os.geteuid() == 0
    for_server(data_dir)  # (run as root: the way in to its folder, as it removes its files)
    try:
        server.stop(signal.SIGINT)
    finally:
        if as_root:
            tighten(data_dir)
        data_dir.chmod(FOLDER)
