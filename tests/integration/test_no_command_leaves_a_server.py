"""No command leaves a server behind, unless another command of this checkout still uses it
(infra/embedded.py): the commands share the data folder's PostgreSQL, the last to leave stops
it, and a command killed outright leaves it to the next command, which stops it when done."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from infra.embedded import postgres_running
from tests.servers import free_port

ASSURED = str(Path(sys.executable).with_name("assured"))


def serve_api(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen([ASSURED, "api", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while True:
        assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "assured api did not answer in 90 s"
        time.sleep(0.2)


def test_the_last_command_to_leave_stops_the_database_and_a_killed_one_leaves_it_to_the_next(
) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-users-")) / "var"
    os.chmod(data_dir.parent, 0o755)  # (run as root, the server's own user reaches it)
    env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir), ASSURED_TEMPORAL_ADDRESS="127.0.0.1:1")
    port = free_port()
    api = serve_api(env, port)
    try:
        server = postgres_running(data_dir)
        assert server is not None
        # Another command, while the API runs: it uses the same server and leaves it running.
        added = subprocess.run([ASSURED, "users", "add", "robin", "--role", "auditor"], env=env,
                               capture_output=True, text=True, timeout=120, check=False)
        assert added.returncode == 0, added.stderr
        assert postgres_running(data_dir) == server
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").json()["checks"]["database"]
        api.terminate()  # the last user: it stops the server as it goes
        api.wait(60)
        assert postgres_running(data_dir) is None and not server.alive()

        # Killed outright, the API cannot stop it: the next command does, when it is done.
        api = serve_api(env, port)
        server = postgres_running(data_dir)
        assert server is not None
        api.kill()
        api.wait(10)
        assert server.alive()
        unlocked = subprocess.run([ASSURED, "users", "unlock", "robin"], env=env,
                                  capture_output=True, text=True, timeout=120, check=False)
        assert unlocked.returncode == 0, unlocked.stderr
        assert postgres_running(data_dir) is None and not server.alive()
    finally:
        if api.poll() is None:
            api.kill()
            api.wait(10)
        leftover = postgres_running(data_dir)
        if leftover is not None:
            leftover.stop(signal.SIGINT)
        shutil.rmtree(data_dir.parent, ignore_errors=True)
