"""The API under load on the loopback: a no-op route's saturation (the floor), a command route
and a read route, each as requests/s, p50 and p99 with its ratio to the floor; then p99 at a
fixed 100 requests/s.

Run: `.venv/bin/python bench/api_load.py [SECONDS] [CONNECTIONS]` (defaults 10 and 32).

`assured api` serves on one uvicorn worker, on its own embedded PostgreSQL in a temporary
folder, stopped at the end. The load comes from other processes: Debian's `wrk` for saturation
(`apt-get install -y wrk`), and bench/open_loop.py for the fixed rate (it measures each request
from when it was due, so a stall is counted, not hidden). Routes:
- floor: `GET /healthz` (the same middleware, nothing else);
- command: `POST /safeguarders/{id}/record-performance-evidence`, spread over 200 Safeguarders
  (authorise on the loaded record, check, save one event);
- read: `GET /safeguarders/{id}` (authorise, redact, and record the read as a View event).
Targets: read >= 0.4 x floor, command >= 0.3 x floor, p99 <= 25 ms for both at 100 requests/s.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent.parent))

from api.auth import WITH_SECOND_FACTOR, Principal, issue_token
from domain.accounts import Role
from domain.safeguarder_commands import ApplyToPanel
from infra.settings import Settings
from infra.store import application
from tests.accounts import account_for
from tests.servers import free_port

RECORDS = 200
CALLER = Principal("pa-1", Role.PANEL_ADMIN)  # a real account, signed in with both factors
BENCH = Path(__file__).parent

WRK_POST = """
counter = 0
ids = {%(ids)s}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %(token)s"
request = function()
  counter = counter + 1
  local path = "/safeguarders/" .. ids[(counter %% #ids) + 1] .. "/record-performance-evidence"
  return wrk.format(nil, path, nil, '{"standard": "PS-3", "evidence": "sampled at session"}')
end
"""
WRK_GET = """
counter = 0
ids = {%(ids)s}
wrk.headers["Authorization"] = "Bearer %(token)s"
request = function()
  counter = counter + 1
  return wrk.format("GET", "/safeguarders/" .. ids[(counter %% #ids) + 1])
end
"""


def seed(settings: Settings) -> list[str]:
    with application(settings) as app:
        account_for(app, CALLER)
        at = datetime.now(UTC) - timedelta(days=1)
        return [str(app.apply_to_panel(ApplyToPanel(name=f"Safeguarder {n}", region="East",
                                                    by="bench", at=at)).aggregate_id)
                for n in range(RECORDS)]


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    assured = Path(sys.executable).with_name("assured")
    server = subprocess.Popen([str(assured), "api", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.2)


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict[str, float]:
    """requests/s, p50 and p99 (ms) from one wrk run."""
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        if script:
            lua.write(script)
            args[1:1] = ["-s", lua.name]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert errors is None, f"wrk saw failures:\n{out}"
    return {"rate": rate, "p50": _ms(out, "50%"), "p99": _ms(out, "99%")}


def _ms(out: str, which: str) -> float:
    value, unit = re.search(rf"{which}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def fixed_rate(url: str, kind: str, token: str, ids: list[str], rate: int,
               seconds: int) -> dict[str, float]:
    found = subprocess.run(
        [sys.executable, str(BENCH / "open_loop.py"), url, kind, token, ",".join(ids),
         str(rate), str(seconds)], capture_output=True, text=True, check=True).stdout
    return json.loads(found)  # type: ignore[no-any-return]


def main(seconds: int = 10, connections: int = 32) -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    data_dir = Path(tempfile.mkdtemp(prefix="assured-bench-api-"))
    os.chmod(data_dir, 0o755)
    port = free_port()
    env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir), ASSURED_TEMPORAL_ADDRESS="127.0.0.1:1",
               ASSURED_SNAPSHOT_INTERVAL="50")
    settings = Settings(data_dir=data_dir, temporal_address="127.0.0.1:1", token_minutes=120)
    ids = seed(settings)
    token = issue_token(CALLER, settings, amr=WITH_SECOND_FACTOR)
    server = serve(env, port)
    url = f"http://127.0.0.1:{port}"
    quoted = ", ".join(f'"{i}"' for i in ids)
    try:
        wrk(f"{url}/healthz", 2, connections)  # warm up
        floor = wrk(f"{url}/healthz", seconds, connections)
        command = wrk(url, seconds, connections, WRK_POST % {"ids": quoted, "token": token})
        read = wrk(url, seconds, connections, WRK_GET % {"ids": quoted, "token": token})
        steady = {kind: fixed_rate(url, kind, token, ids, 100, seconds)
                  for kind in ("command", "read")}
    finally:
        server.terminate()
        server.wait(30)
        stop_embedded_postgres(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"Loopback, one uvicorn worker, wrk -t2 -c{connections} -d{seconds}s; "
          f"fixed rate by bench/open_loop.py")
    print(f"{'route':<58}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'x floor':>9}{'target':>9}")
    rows = [("floor  GET /healthz", floor, None),
            ("command  POST /safeguarders/{id}/record-performance-evidence", command, 0.3),
            ("read  GET /safeguarders/{id}", read, 0.4)]
    for name, figure, target in rows:
        ratio = figure["rate"] / floor["rate"]
        met = "" if target is None else f">= {target} {'met' if ratio >= target else 'NOT met'}"
        print(f"{name:<58}{figure['rate']:>8.0f}{figure['p50']:>9.1f}{figure['p99']:>9.1f}"
              f"{ratio:>9.2f}  {met}")
    for kind, figure in steady.items():
        met = "met" if figure["p99"] <= 25 else "NOT met"
        print(f"at 100 req/s, {kind:<44}{figure['rate']:>8.0f}{figure['p50']:>9.1f}"
              f"{figure['p99']:>9.1f}{'':>9}  p99 <= 25 ms {met}")


def stop_embedded_postgres(data_dir: Path) -> None:
    """The embedded server detaches from its parent: stop it by its pid."""
    pid_file = data_dir / "pg" / "postmaster.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text().splitlines()[0])
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
