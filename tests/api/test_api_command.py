"""`assured api` on the embedded default: it starts the private database itself, serves
the documentation at /docs, and stops the database when it is stopped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.api.dataset import free_port


def test_assured_api_serves_its_docs_on_the_embedded_default() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="assured-api-"))
    os.chmod(data_dir, 0o755)
    port = free_port()
    env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir), ASSURED_TEMPORAL_ADDRESS="127.0.0.1:1")
    server = subprocess.Popen([str(Path(sys.executable).with_name("assured")), "api", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
            try:
                docs = httpx.get(f"http://127.0.0.1:{port}/docs")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "assured api did not answer in 60 s"
                time.sleep(0.2)
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
        schema = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=60).json()  # made once
        assert "/safeguarders/{record_id}/record-interview" in schema["paths"]
        assert httpx.get(f"http://127.0.0.1:{port}/readyz").json()["checks"]["database"] is True
    finally:
        server.terminate()
        server.wait(timeout=30)
    # SIGTERM stops the private database too: PostgreSQL removes its pid file on shutdown.
    assert not (data_dir / "pg" / "postmaster.pid").exists()
    shutil.rmtree(data_dir, ignore_errors=True)
