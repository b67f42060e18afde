"""The servers a test run started and left running: the PostgreSQL and Temporal processes that
carry the run's mark in their environment (tests/conftest.py sets it; every process the suite
starts, and every process those start, inherit it)."""

from __future__ import annotations

import signal
import time

import psutil


def _is_server(process: psutil.Process) -> bool:
    """A postmaster (not one of its backends) or a Temporal server."""
    command = process.cmdline()
    if not command:
        return False
    name = command[0].rsplit("/", 1)[-1]
    return (name == "postgres" and "-D" in command) or (name == "temporal" and "server" in command)


def _marked(mark: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if (process.status() != psutil.STATUS_ZOMBIE and _is_server(process)
                    and process.environ().get("ASSURED_SUITE_RUN") == mark):
                found.append(process)
        except psutil.Error:
            continue  # gone, or not ours to read
    return found


def servers_left(mark: str, grace: float = 10.0) -> list[psutil.Process]:
    """The run's servers still running after `grace` seconds (those stopping at that moment
    are given the time to finish). This process's own, which stop at its exit, are stopped
    first, as its exit would."""
    from infra import embedded

    embedded.leave_everything()
    deadline = time.monotonic() + grace
    while (left := _marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def stop(processes: list[psutil.Process]) -> None:
    for process in processes:
        try:  # PostgreSQL's fast shutdown is SIGINT; Temporal stops on SIGTERM
            is_postgres = process.cmdline()[0].endswith("postgres")
            process.send_signal(signal.SIGINT if is_postgres else signal.SIGTERM)
        except psutil.Error:
            continue
    _, alive = psutil.wait_procs(processes, timeout=20)
    for process in alive:
        process.kill()
