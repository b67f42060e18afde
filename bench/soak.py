"""Soak: minutes of mixed load on the whole system, with memory, latency and projection lag
compared between the first minute and the last.

Run: `.venv/bin/python bench/soak.py [--minutes 10] [--rate 8] [--warm-up 120]`.

Starts its own embedded PostgreSQL and Temporal dev server in a temporary folder, and the
system as production runs it: `assured api` (one uvicorn worker), `assured worker` and
`assured projections run`, each a process of its own; all are stopped at the end. Records and
accounts are made through the application first (200 Safeguarders). Then, for `--minutes`, a
fixed `--rate` of requests per second (open loop: each is timed from when it was due, so a
stall is counted), in turn:

- command: `POST /safeguarders/{id}/record-performance-evidence` (one event);
- read: `GET /safeguarders/{id}` (authorised, redacted, the read itself logged);
- page: `GET /app/my-work` of the support manager (the obligations read model);
- workflow: `POST /safeguarders`, an application to the panel, which starts the applicant's
  appointment workflow on the worker.

Every 5 seconds: each process's resident memory, and the read models' lag (the largest
`assured_projection_lag_events` on `/metrics`). Printed: each minute's p95, memory and lag (the
series shows whether memory levels off), then the last minute against the minute after a
warm-up (`--warm-up`, 2 minutes by default: the baseline column), and memory also against the
raw first minute. Targets: p95 latency and memory at the end within 1.5 x and 1.25 x the
steady start; the lag at the end no more than 100 events (the follower keeps up); no failed
request.
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent))

from api.auth import COOKIE, WITH_SECOND_FACTOR, Principal, issue_token
from bench.api_load import serve, stop_embedded_postgres
from domain.accounts import Role
from domain.safeguarder_commands import ApplyToPanel
from infra.settings import Settings
from infra.store import application
from tests.accounts import account_for
from tests.servers import free_port, temporal_dev_server

from table import Row, at_most, print_table  # bench/: this script's folder is on the path
from table import Target

RECORDS = 200
ADMIN = Principal("pa-1", Role.PANEL_ADMIN)
MANAGER = Principal("support-manager-east-1", Role.SUPPORT_MANAGER, "East")
KINDS = ("command", "read", "page", "workflow")
WARM_UP = 120.0
"""Seconds of load before the steady state's baseline: the worker's workflow cache fills (two
new workflows a second, `ASSURED_WORKER_CACHED_WORKFLOWS`), the processes' record caches and
the interpreter's allocations grow to their working size."""


@dataclass
class Sample:
    at: float
    kind: str
    ms: float
    ok: bool


def seed(settings: Settings) -> list[str]:
    with application(settings) as app:
        account_for(app, ADMIN)
        account_for(app, MANAGER)
        at = datetime.now(UTC) - timedelta(days=1)
        return [str(app.apply_to_panel(ApplyToPanel(name=f"Safeguarder {n}", region="East",
                                                    by="bench", at=at)).aggregate_id)
                for n in range(RECORDS)]


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return float("nan")


def lag(http: httpx.Client) -> float:
    text = http.get("/metrics").text
    found = [float(v) for v in re.findall(r"^assured_projection_lag_events\{[^}]*\} (\S+)$",
                                          text, re.M)]
    return max(found, default=float("nan"))


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    assured = Path(sys.executable).with_name("assured")
    return subprocess.Popen([str(assured), *args], env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def requests_for(ids: list[str], admin: str) -> Callable[[int, httpx.Client], httpx.Response]:
    bearer = {"Authorization": f"Bearer {admin}"}

    def send(n: int, http: httpx.Client) -> httpx.Response:
        kind = KINDS[n % len(KINDS)]
        record = ids[n % len(ids)]
        if kind == "command":
            return http.post(f"/safeguarders/{record}/record-performance-evidence",
                             json={"standard": "PS-3", "evidence": "sampled at session"},
                             headers=bearer)
        if kind == "read":
            return http.get(f"/safeguarders/{record}", headers=bearer)
        if kind == "page":
            return http.get("/app/my-work")
        return http.post("/safeguarders", json={"name": f"Applicant {n}", "contact": {},
                                                "region": "East"}, headers=bearer)
    return send


def load(url: str, cookie: str, send: Callable[[int, httpx.Client], httpx.Response],
         rate: float, seconds: float, began: float, samples: list[Sample]) -> None:
    """Open loop: request n is due at began + n / rate; its latency counts from then."""
    local = threading.local()

    def one(n: int, due: float) -> None:
        http = getattr(local, "http", None)
        if http is None:
            http = local.http = httpx.Client(base_url=url, cookies={COOKIE: cookie}, timeout=60)
        try:
            ok = send(n, http).status_code < 400
        except httpx.HTTPError:
            ok = False
        samples.append(Sample(due - began, KINDS[n % len(KINDS)],
                              (time.perf_counter() - due) * 1000, ok))

    with ThreadPoolExecutor(16) as pool:
        n = 0
        while (due := began + n / rate) < began + seconds:
            time.sleep(max(0.0, due - time.perf_counter()))
            pool.submit(one, n, due)
            n += 1


def watch(url: str, pids: dict[str, int], began: float, until: threading.Event,
          found: list[dict[str, float]], data_dir: Path) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        while not until.wait(5):
            row = {"at": time.perf_counter() - began}
            row.update({name: rss_mib(pid) for name, pid in pids.items()})
            try:
                row["lag"] = lag(http)
            except httpx.HTTPError:
                row["lag"] = float("nan")
            found.append(row)


def within(factor: float) -> Target:
    return Target(f"<= {factor:g} x start",
                  lambda row: row.ratio is not None and row.ratio <= factor)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main(minutes: float = 10.0, rate: float = 8.0, warm_up: float | None = None) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-bench-soak-"))
    os.chmod(data_dir, 0o755)
    atexit.register(shutil.rmtree, data_dir, True)  # last: after the settings' own exit steps
    seconds = minutes * 60
    warm_up = min(WARM_UP, seconds / 5) if warm_up is None else warm_up
    window = min(60.0, (seconds - warm_up) / 2)
    assert window > 0, "the run must be longer than its warm-up"
    samples: list[Sample] = []
    watched: list[dict[str, float]] = []
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        with temporal_dev_server(data_dir / "temporal") as overrides:
            settings = Settings(data_dir=data_dir, token_minutes=int(minutes) + 60,
                                **overrides)  # type: ignore[arg-type]
            ids = seed(settings)
            admin = issue_token(ADMIN, settings, amr=WITH_SECOND_FACTOR)
            manager = issue_token(MANAGER, settings)
            port = free_port()
            env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir),
                       ASSURED_TEMPORAL_ADDRESS=str(overrides["temporal_address"]),
                       ASSURED_TEMPORAL_UI_PORT=str(overrides["temporal_ui_port"]),
                       ASSURED_WEB_ASSETS_DIR=str(Path(__file__).parent.parent / "node_modules"))
            processes["worker"] = spawn(["worker"], env, data_dir / "worker.log")
            processes["projections"] = spawn(["projections", "run"], env,
                                             data_dir / "projections.log")
            api = serve(env, port)
            processes["api"] = api
            url = f"http://127.0.0.1:{port}"
            print(f"  the system is up; {minutes:g} minutes of load at {rate:g} requests/s",
                  flush=True)
            began = time.perf_counter()
            done = threading.Event()
            watcher = threading.Thread(target=watch, args=(url, {
                name: p.pid for name, p in processes.items()}, began, done, watched, data_dir))
            watcher.start()
            try:
                load(url, manager, requests_for(ids, admin), rate, seconds, began, samples)
                time.sleep(5)
            finally:
                done.set()
                watcher.join(30)
    finally:
        for process in processes.values():
            stop(process)
        stop_embedded_postgres(data_dir)
    report(samples, watched, seconds, window, warm_up, rate, minutes)


def report(samples: list[Sample], watched: list[dict[str, float]], seconds: float,
           window: float, warm_up: float, rate: float, minutes: float) -> None:
    def requests_in(start: float) -> list[Sample]:
        return [s for s in samples if start <= s.at < start + window]

    def watched_in(start: float) -> list[dict[str, float]]:
        found = [w for w in watched if start <= w["at"] < start + window]
        return found or [min(watched, key=lambda w: abs(w["at"] - start))]

    steady, last, first = warm_up, seconds - window, 0.0
    failed = sum(not s.ok for s in samples)
    print(f"\nSoak: {minutes:g} minutes at {rate:g} requests/s (commands, reads, My work pages "
          f"and applications that start workflows, in turn), {len(samples):,} requests, "
          f"{failed} failed. Warm-up: the first {warm_up:.0f} s are left out of the baseline; "
          f"the baseline is the {window:.0f} s after it, the figure the last {window:.0f} s; "
          f"memory is also shown against the first {window:.0f} s, warm-up included")
    series(samples, watched, window, seconds)
    rows = []
    for kind in KINDS:
        rows.append(Row(f"{kind}: p95 latency",
                        p95([s.ms for s in requests_in(last) if s.kind == kind]),
                        p95([s.ms for s in requests_in(steady) if s.kind == kind]), "ms",
                        within(1.5)))
    for name in ("api", "worker", "projections"):
        end = statistics.fmean(w[name] for w in watched_in(last))
        rows.append(Row(f"{name} process: memory (RSS)", end,
                        statistics.fmean(w[name] for w in watched_in(steady)), "MiB",
                        within(1.25)))
        rows.append(Row(f"  the same, against the first {window:.0f} s (warm-up included)", end,
                        statistics.fmean(w[name] for w in watched_in(first)), "MiB"))
    rows.append(Row("read models' lag, largest in the window",
                    max(w["lag"] for w in watched_in(last)),
                    max(w["lag"] for w in watched_in(steady)), "events",
                    at_most(100, "events")))
    rows.append(Row("failed requests", failed, None, "", at_most(0, "")))
    print_table("Soak", rows)


def series(samples: list[Sample], watched: list[dict[str, float]], window: float,
           seconds: float) -> None:
    """Each window of the run: p95 of every request, each process's mean RSS, the largest lag;
    whether memory levels off is read here, not assumed."""
    print(f"  {'from s':>6} {'p95 ms':>7} {'api MiB':>8} {'worker MiB':>11} "
          f"{'projections MiB':>16} {'lag':>4}")
    start = 0.0
    while start < seconds - 1:
        ms = [s.ms for s in samples if start <= s.at < start + window]
        rows = [w for w in watched if start <= w["at"] < start + window]
        if rows:
            print(f"  {start:6.0f} {p95(ms):7.0f} "
                  f"{statistics.fmean(w['api'] for w in rows):8.0f} "
                  f"{statistics.fmean(w['worker'] for w in rows):11.0f} "
                  f"{statistics.fmean(w['projections'] for w in rows):16.0f} "
                  f"{max(w['lag'] for w in rows):4.0f}")
        start += window


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=8.0)
    parser.add_argument("--warm-up", type=float, default=None, help="seconds left out of the "
                        "baseline (default: 2 minutes, or a fifth of a shorter run)")
    options = parser.parse_args()
    main(options.minutes, options.rate, options.warm_up)
