"""Soak: minutes of mixed load on the whole system, with memory, latency and projection lag
compared between the first minute and the last.

Run: `.venv/bin/python bench/soak.py [--minutes 10] [--rate 8]`.

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
`assured_projection_lag_events` on `/metrics`). Printed: the last minute against the first
(the baseline column). Targets: p95 latency and memory at the end within 1.5 x and 1.25 x the
start; the lag at the end no more than 100 events (the follower keeps up); no failed request.
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


def main(minutes: float = 10.0, rate: float = 8.0) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-bench-soak-"))
    os.chmod(data_dir, 0o755)
    atexit.register(shutil.rmtree, data_dir, True)  # last: after the settings' own exit steps
    seconds = minutes * 60
    window = min(60.0, seconds / 3)
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
    report(samples, watched, seconds, window, rate, minutes)


def report(samples: list[Sample], watched: list[dict[str, float]], seconds: float,
           window: float, rate: float, minutes: float) -> None:
    start = [s for s in samples if s.at < window]
    end = [s for s in samples if s.at >= seconds - window]
    start_w = [w for w in watched if w["at"] < window] or watched[:1]
    end_w = [w for w in watched if w["at"] >= seconds - window] or watched[-1:]
    failed = sum(not s.ok for s in samples)
    print(f"\nSoak: {minutes:g} minutes at {rate:g} requests/s (commands, reads, My work pages "
          f"and applications that start workflows, in turn), {len(samples):,} requests, "
          f"{failed} failed; the last {window:.0f} s against the first {window:.0f} s "
          f"(baseline)")
    rows = []
    for kind in KINDS:
        first = [s.ms for s in start if s.kind == kind]
        last = [s.ms for s in end if s.kind == kind]
        rows.append(Row(f"{kind}: p95 latency", p95(last), p95(first), "ms", within(1.5)))
    for name in ("api", "worker", "projections"):
        rows.append(Row(f"{name} process: memory (RSS)",
                        statistics.fmean(w[name] for w in end_w),
                        statistics.fmean(w[name] for w in start_w), "MiB", within(1.25)))
    rows.append(Row("read models' lag, largest in the window",
                    max(w["lag"] for w in end_w), max(w["lag"] for w in start_w), "events",
                    at_most(100, "events")))
    rows.append(Row("failed requests", failed, None, "", at_most(0, "")))
    print_table("Soak", rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=8.0)
    options = parser.parse_args()
    main(options.minutes, options.rate)
