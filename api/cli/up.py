"""`assured up`: the whole system on one machine, on the embedded default.

It starts, in order and saying so: the private PostgreSQL (under the data folder), the Temporal
dev server (its state in the data folder too), the workflow worker, the projection runner (with
the periodic verification of the log) and the web application with the API. On the first run
it makes an administrator account and prints its one-time password and second factor; with
`--demo` it loads the demo data set through the API once the API is ready (api/cli/demo_data.py).

Ctrl-C or SIGTERM stops every part in the reverse order, then the servers: those this checkout
started stop when no other command of this checkout uses them (infra/embedded.py). The next run
carries on with the same data and the same running processes; after `assured up` was killed
outright, the next run finds the servers it left and uses them.

In production each part runs on its own (`assured api`, `assured worker`,
`assured projections run`) and scales out.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

import uvicorn

from domain.application import Assured
from infra import embedded
from infra.migrations import MigrationError
from infra.settings import Mode, Settings

log = logging.getLogger(__name__)

ADMIN = "admin"
"""The administrator (panel_admin) account the first run makes."""


def say(text: str) -> None:
    print(text, flush=True)


class Stopping:
    """Ctrl-C and SIGTERM while `assured up` runs. The first asks every part to stop, in turn;
    a later one is only answered. No signal interrupts a part mid-step: an interrupted query,
    pool close or shutdown would print a traceback and could leave a connection half-used."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._wake: Callable[[], None] | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Stopping:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *_: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested.is_set():
            # (os.write: a print here could land in the middle of another print)
            with suppress(OSError):
                os.write(sys.stdout.fileno(), b"Still stopping: each part is stopped in turn.\n")
            return
        self.requested.set()
        if self._wake is not None:
            self._wake()

    def wake(self, loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
        """Set `event` on `loop` when a stop is asked (at once if it already was)."""
        self._wake = lambda: loop.call_soon_threadsafe(event.set)
        if self.requested.is_set():
            event.set()


class _Web(uvicorn.Server):
    """uvicorn, leaving the signals to `assured up`, which stops the parts in order."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def run_everything(settings: Settings, host: str, port: int, demo: bool = False) -> int:
    """Run the whole system until Ctrl-C or SIGTERM; the exit status."""
    with Stopping() as stopping:
        try:
            listening = socket.create_server((host, port))
        except OSError as problem:
            say(f"Cannot listen at {host}:{port} ({problem.strerror}): is Assured running "
                f"already? Another port: `assured up --port N` or ASSURED_API_PORT.")
            return 1
        say(f"Starting Assured (its data under {settings.data_dir.resolve()})")
        try:
            return _run(settings, listening, host, port, demo, stopping)
        except (RuntimeError, MigrationError) as problem:  # a server that would not start
            log.info("start-up", exc_info=problem)  # (`assured -v up` shows where)
            say(f"Assured could not start: {problem}")
            return 1
        finally:
            listening.close()
            embedded.leave(settings.data_dir, say)
            say("Stopped.")


def _run(settings: Settings, listening: socket.socket, host: str, port: int, demo: bool,
         stopping: Stopping) -> int:
    from infra.store import open_application

    embedded_run = settings.mode == Mode.EMBEDDED and settings.database_url is None
    say("[1/5] PostgreSQL: " + (_postgres_before(settings) if embedded_run
                                else "the configured database"))
    opened = open_application(settings)
    try:
        if embedded_run:
            running = embedded.postgres_running(settings.data_dir)
            say(f"      ready (pid {running.pid if running else '?'})")
        if stopping.requested.is_set():
            return 0
        say(f"[2/5] Temporal: {settings.temporal_address}")
        _temporal(settings)
        if stopping.requested.is_set():
            return 0
        return asyncio.run(_serve(settings, opened, listening, _base_url(host, port), demo,
                                  stopping))
    finally:
        opened.close()


def _postgres_before(settings: Settings) -> str:
    pgdata = settings.data_dir / "pg"
    found = embedded.postgres_running(settings.data_dir)
    if found is not None:
        return f"using the private server already running under {pgdata} (pid {found.pid})"
    return f"starting the private server under {pgdata}"


def _temporal(settings: Settings) -> None:
    from infra.temporal import ensure_dev_server

    if settings.mode != Mode.EMBEDDED:
        say("      the configured cluster")
        return
    ours = embedded.temporal_record(settings.data_dir)
    started = ensure_dev_server(settings)
    if started is not None:
        say(f"      dev server started (pid {started.pid}; its state in "
            f"{settings.data_dir / 'temporal.db'})")
    elif ours is not None and ours[1] == settings.temporal_address:
        say(f"      using the dev server this checkout started (pid {ours[0].pid})")
    else:
        say("      using the server already answering there")


def _first_admin(opened: Assured) -> tuple[str, str | None] | None:
    """On the first run, the administrator account: its password and second factor's URI."""
    from api.cli.accounts import make_account
    from domain.accounts import Account, Role

    if Account.create_id(ADMIN) in opened.repository:
        return None
    password = secrets.token_urlsafe(12)
    return password, make_account(opened, ADMIN, Role.PANEL_ADMIN.value, password,
                                  by="assured-up")


def _base_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


async def _serve(settings: Settings, opened: Assured, listening: socket.socket, base: str,
                 demo: bool, stopping: Stopping) -> int:
    from api.app import create_app
    from infra.verification import PeriodicVerification, Verifier
    from infra.worker import run_worker
    from projections.runner import Runner

    stop = asyncio.Event()
    stopping.wake(asyncio.get_running_loop(), stop)

    say(f"[3/5] Worker: connecting to Temporal at {settings.temporal_address}")
    worker_ready, worker_stop = asyncio.Event(), asyncio.Event()
    worker = asyncio.create_task(run_worker(settings, opened, stop=worker_stop,
                                            ready=worker_ready.set))
    follower_stop = threading.Event()
    follower: threading.Thread | None = None
    verification: PeriodicVerification | None = None
    web: _Web | None = None
    serving: asyncio.Task[None] | None = None
    loading: threading.Thread | None = None
    status = 0
    try:
        if not await _until(worker_ready, worker, stop, "The worker could not start"):
            return 1 if worker.done() else 0
        say(f"      polling the task queue {settings.task_queue!r}")

        runner = Runner(opened)
        follower = threading.Thread(target=runner.follow, kwargs={"stop_event": follower_stop},
                                    name="projections", daemon=True)
        follower.start()
        verification = PeriodicVerification(Verifier.of(opened, settings),
                                            settings.verify_interval_seconds).start()
        say(f"[4/5] Projection runner: following the event log for "
            f"{len(runner.projections)} read tables")

        say(f"[5/5] Web and API: starting at {base}")
        web = _Web(uvicorn.Config(create_app(settings, opened), log_level="warning",
                                  access_log=False, timeout_graceful_shutdown=5,
                                  log_config=None))  # our logging (infra/logs.py)
        serving = asyncio.create_task(web.serve(sockets=[listening]))
        while not (web.started or serving.done() or stop.is_set()):
            await asyncio.sleep(0.05)
        if not web.started:
            return 1 if serving.done() else 0
        say("      ready")
        # Made now, when its password is printed at once: one made earlier would be lost to a
        # Ctrl-C before the banner, and the next run makes none.
        _banner(settings, base, await asyncio.to_thread(_first_admin, opened))
        if demo:
            loading = threading.Thread(target=_load_demo, args=(base, settings, opened, stopping),
                                       name="demo-data", daemon=True)
            loading.start()

        parts = asyncio.ensure_future(stop.wait())
        done, _ = await asyncio.wait({parts, worker, serving},
                                     return_when=asyncio.FIRST_COMPLETED)
        parts.cancel()
        if worker in done or serving in done:
            failed = "The worker" if worker in done else "The web application"
            say(f"{failed} stopped unexpectedly"
                + (f": {worker.exception()}" if worker in done and worker.exception() else "")
                + "; stopping the rest.")
            status = 1
        return status
    finally:
        say("Stopping: the web application, the worker, the projection runner")
        if web is not None and serving is not None:
            web.should_exit = True
            await asyncio.gather(serving, return_exceptions=True)
        if loading is not None:  # its next request fails: it says so and ends
            await asyncio.to_thread(loading.join, 30)
        worker_stop.set()
        if not worker_ready.is_set():
            worker.cancel()  # still connecting: it has nothing under way to finish
        await asyncio.gather(worker, return_exceptions=True)
        follower_stop.set()
        if follower is not None:
            await asyncio.to_thread(follower.join, 15)
        if verification is not None:
            await asyncio.to_thread(verification.stop)


async def _until(ready: asyncio.Event, task: asyncio.Task[None], stop: asyncio.Event,
                 failure: str) -> bool:
    """Wait until `ready` is set (True), `task` ended (it failed: said) or a stop is asked."""
    waits = {asyncio.ensure_future(ready.wait()), asyncio.ensure_future(stop.wait())}
    await asyncio.wait({*waits, task}, return_when=asyncio.FIRST_COMPLETED)
    for wait in waits:
        wait.cancel()
    if task.done():
        problem = task.exception()
        log.info("%s", failure, exc_info=problem)
        say(f"{failure}: {problem or 'it ended'}")
        return False
    return ready.is_set() and not stop.is_set()


def _banner(settings: Settings, base: str, admin: tuple[str, str | None] | None) -> None:
    lines = ["", "Assured is up."]
    if admin is not None:
        password, uri = admin
        lines += ["First run: an administrator account was made. Sign in with",
                  f"  username:                 {ADMIN}",
                  f"  one-time password:        {password}   (shown once)"]
        if uri is not None:
            lines += ["  security code: add this to an authenticator app (shown once; a QR "
                      "code of it works too):", f"    {uri}"]
    temporal_host = settings.temporal_address.rpartition(":")[0] or "localhost"
    lines += [f"  Sign in:      {base}/sign-in",
              f"  API docs:     {base}/docs"]
    if settings.mode == Mode.EMBEDDED:
        lines += [f"  Temporal UI:  http://{temporal_host}:{settings.temporal_ui_port}"]
    lines += ["Ctrl-C stops everything.", ""]
    say("\n".join(lines))


def _load_demo(base: str, settings: Settings, opened: Assured, stopping: Stopping) -> None:
    """The demo data set, once the API answers /readyz (api/cli/demo_data.py loads it
    through the API, and does nothing when it is loaded already)."""
    say("Demo data: waiting for the API to be ready")
    deadline = time.monotonic() + 120
    while not stopping.requested.is_set():
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=5):  # 503 raises
                break
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            say("Demo data: not loaded, the API was not ready within 120 s (see /readyz)")
            return
        stopping.requested.wait(0.5)
    if stopping.requested.is_set():
        return
    say("Demo data: loading")
    try:
        from api.cli.demo_data import load_demo

        loaded = load_demo(base, settings, opened, say)
    except Exception as problem:  # (said; the system keeps running)
        log.info("the demo data", exc_info=problem)
        if stopping.requested.is_set():
            say("Demo data: loading stopped part way, as the system was stopping")
        else:
            say(f"Demo data: could not be loaded: {problem}")
        return
    say("Demo data: loaded." if loaded else "Demo data: already loaded, nothing added.")
