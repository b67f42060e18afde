"""The web pages under load: My work, a Safeguarder's electronic file and the register of
reviews and audits, with ten times the demo data set, on one uvicorn worker.

Run: `.venv/bin/python bench/web_pages.py [REQUESTS] [SCALE]` (defaults 300 and 10).

`assured api` serves on one uvicorn worker, on its own embedded PostgreSQL in a temporary
folder, stopped at the end. The data: `assured demo`'s records SCALE times over (a Safeguarder
through a whole term, a child's case, a rapid review, a multi-agency audit, each with its
history), written through the application. Each page is asked for REQUESTS times by one client
and then by four at once (closed loop, httpx keep-alive), after a warm-up that builds the read
models; figures are p50, p95 and p99 in ms, with the floor (`GET /healthz`, the same middleware
and nothing else) measured in the same run. Pages:
- My work of the support manager who supports every demo Safeguarder;
- a Safeguarder's electronic file, over each of the SCALE Safeguarders in turn (each view is
  also recorded in the access log, as it is in use);
- the register: `/app/register` where the practice review pages are installed, else the API's
  `GET /register`, which reads the same rows (the label says which).
Target (issue 10): p95 <= 150 ms for each page, one worker.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from uuid import UUID

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent))

from api.auth import COOKIE, Principal, issue_token
from api.cli.demo import audit_life, case_life, review_life, safeguarder_life
from api.web.pages import PAGE_ROUTERS
from bench.api_load import serve, stop_embedded_postgres
from domain.accounts import Role
from infra.settings import Settings
from infra.store import application
from tests.accounts import account_for
from tests.servers import free_port

TARGET_P95_MS = 150.0
MANAGER = Principal("support-manager-east-1", Role.SUPPORT_MANAGER, "East")  # the demo's
REVIEWER = Principal("practice-review-chair", Role.PRACTICE_REVIEW_MEMBER)
CALLERS = (MANAGER, REVIEWER)


def seed(settings: Settings, scale: int) -> list[UUID]:
    """The demo's records `scale` times over; the Safeguarders' ids."""
    safeguarders = []
    with application(settings) as app, contextlib.redirect_stdout(io.StringIO()):
        for caller in CALLERS:
            account_for(app, caller)
        for n in range(scale):
            suffix = f"B{n:03d}"
            safeguarders.append(safeguarder_life(app))
            case = case_life(app, suffix)
            review_life(app, suffix)
            audit_life(app, [str(case)], suffix)
    return safeguarders


def percentiles(times: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": statistics.median(times), "p95": cuts[94], "p99": cuts[98]}


def load(url: str, cookie: str, paths: Callable[[int], str], requests: int,
         clients: int) -> dict[str, float]:
    """Each of `clients` asks for `requests // clients` pages in turn; latencies in ms."""
    def one_client(first: int) -> list[float]:
        taken = []
        with httpx.Client(base_url=url, cookies={COOKIE: cookie}, timeout=30) as http:
            for n in range(first, requests, clients):
                started = time.perf_counter()
                answer = http.get(paths(n))
                taken.append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, f"{paths(n)}: {answer.status_code}"
        return taken

    with ThreadPoolExecutor(clients) as pool:
        found = [t for taken in pool.map(one_client, range(clients)) for t in taken]
    return percentiles(found)


def register_path() -> tuple[str, str]:
    """The register page if the practice review pages are installed, else the API's."""
    pages = {getattr(r, "path", "") for router in PAGE_ROUTERS for r in router.routes}
    if "/app/register" in pages:
        return "/app/register", "register  GET /app/register"
    return "/register", "register  GET /register (API: no register page here yet)"


def main(requests: int = 300, scale: int = 10) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-bench-web-"))
    os.chmod(data_dir, 0o755)
    atexit.register(shutil.rmtree, data_dir, True)  # last: after the settings' own exit steps
    port = free_port()
    env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir), ASSURED_TEMPORAL_ADDRESS="127.0.0.1:1",
               ASSURED_WEB_ASSETS_DIR=str(Path(__file__).parent.parent / "node_modules"))
    settings = Settings(data_dir=data_dir, temporal_address="127.0.0.1:1", token_minutes=120)
    started = time.perf_counter()
    safeguarders = seed(settings, scale)
    seeded = time.perf_counter() - started
    manager, reviewer = (issue_token(who, settings) for who in CALLERS)
    register, register_label = register_path()
    pages = [
        ("floor  GET /healthz", manager, lambda n: "/healthz"),
        ("My work  GET /app/my-work", manager, lambda n: "/app/my-work"),
        ("file  GET /app/safeguarders/{id}", manager,
         lambda n: f"/app/safeguarders/{safeguarders[n % len(safeguarders)]}"),
        (register_label, reviewer, lambda n: register),
    ]
    server = serve(env, port)
    url = f"http://127.0.0.1:{port}"
    figures = {}
    try:
        for name, cookie, paths in pages:
            load(url, cookie, paths, 20, 1)  # warm up: the read models are built and current
            figures[name] = {clients: load(url, cookie, paths, requests, clients)
                             for clients in (1, 4)}
    finally:
        server.terminate()
        server.wait(30)
        stop_embedded_postgres(data_dir)
    print(f"Web pages, loopback, one uvicorn worker; {scale} x the demo data set ({scale} "
          f"Safeguarders, cases, reviews and audits with their histories, seeded in "
          f"{seeded:.0f} s); {requests} requests per page and client count, closed loop")
    print(f"{'page':<58}{'clients':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'p95/floor':>11}  target")
    for name, by_clients in figures.items():
        for clients, figure in by_clients.items():
            floor = figures["floor  GET /healthz"][clients]["p95"]
            target = "" if name.startswith("floor") else (
                f"p95 <= {TARGET_P95_MS:.0f} ms "
                f"{'met' if figure['p95'] <= TARGET_P95_MS else 'NOT met'}")
            print(f"{name:<58}{clients:>8}{figure['p50']:>9.1f}{figure['p95']:>9.1f}"
                  f"{figure['p99']:>9.1f}{figure['p95'] / floor:>11.1f}  {target}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
