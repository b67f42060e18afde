"""No command leaves a server behind, unless another command of this checkout still uses it
(infra/embedded.py): the commands share the data folder's PostgreSQL, the last to leave stops
it, and a command killed outright leaves it to the next command, which stops it when done.
(`assured projections run` stands for the long-running commands: it starts quickest.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from infra.embedded import postgres_running

ASSURED = str(Path(sys.executable).with_name("assured"))


def follow(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`assured projections run`, once it follows the log."""
    with log.open("wb") as out:
        runner = subprocess.Popen([ASSURED, "projections", "run"], env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while "Following the event log" not in log.read_text(errors="replace"):
        assert runner.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, "assured projections run did not start in 90 s"
        time.sleep(0.2)
    return runner


def status(env: dict[str, str]) -> None:
    """A short command on the same data folder: `assured projections status`."""
    done = subprocess.run([ASSURED, "projections", "status"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_last_command_to_leave_stops_the_database_and_a_killed_one_leaves_it_to_the_next(
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="assured-users-"))
    os.chmod(folder, 0o755)  # (run as root, the server's own user reaches it)
    data_dir = folder / "var"
    env = dict(os.environ, ASSURED_DATA_DIR=str(data_dir), ASSURED_VERIFY_INTERVAL_SECONDS="0")
    runner = follow(env, folder / "first.log")
    try:
        server = postgres_running(data_dir)
        assert server is not None
        status(env)  # another command meanwhile: it uses the same server, and leaves it running
        assert postgres_running(data_dir) == server
        runner.send_signal(signal.SIGINT)  # the last user: it stops the server as it goes
        assert runner.wait(60) == 0
        assert postgres_running(data_dir) is None and not server.alive()

        # Killed outright, it cannot stop the server: the next command does, when it is done.
        runner = follow(env, folder / "second.log")
        server = postgres_running(data_dir)
        assert server is not None
        runner.kill()
        runner.wait(10)
        assert server.alive()
        status(env)
        assert postgres_running(data_dir) is None and not server.alive()
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait(10)
        leftover = postgres_running(data_dir)
        if leftover is not None:
            leftover.stop(signal.SIGINT)
        shutil.rmtree(folder, ignore_errors=True)
