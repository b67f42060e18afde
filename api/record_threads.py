"""Where a request's work on records runs: a few threads of its own, about one per core.

Loading, checking and saving a record is Python work holding the GIL, with short waits on
PostgreSQL between. On the framework's pool of 40 threads, concurrent requests spent much of
their time fighting over the GIL (a quarter of the process's CPU went to the kernel's futexes
under load in bench/api_load.py); a pool the size of the machine does the same work faster.
Slow work (a PDF, a report) stays on the framework's pool and cannot hold these up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Request

T = TypeVar("T")


def install(state: Any, threads: int) -> None:
    """Called as the application starts: a limiter belongs to one event loop."""
    state.record_threads = CapacityLimiter(threads)


async def on_records(request: Request, work: Callable[..., T], *args: Any) -> T:
    return await to_thread.run_sync(work, *args, limiter=request.app.state.record_threads)
