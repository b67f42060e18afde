"""`assured projections run | rebuild | status` on the test's database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from typer.testing import CliRunner

from domain.application import Assured
from projections.catalog import all_projections
from api.cli.projections import app as projections_cli
from tests.projections.stories import World

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings_env(database_url: str, cipher_key: str, monkeypatch: pytest.MonkeyPatch,
                 tmp_path: Path) -> dict[str, str]:
    env = {"ASSURED_DATABASE_URL": database_url, "ASSURED_ENCRYPTION_KEY": cipher_key,
           "ASSURED_DATA_DIR": str(tmp_path)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def test_status_then_rebuild_then_status(settings_env: dict[str, str], app: Assured) -> None:
    World(app).next_round()
    cli = CliRunner()
    before = cli.invoke(projections_cli, ["status"], terminal_width=200)
    assert before.exit_code == 0, before.output
    assert "case_supervision" in before.output and "not built" in before.output

    rebuilt = cli.invoke(projections_cli, ["rebuild"], terminal_width=200)
    assert rebuilt.exit_code == 0, rebuilt.output
    after = cli.invoke(projections_cli, ["status"], terminal_width=200)
    assert "not built" not in after.output
    assert after.output.count("current") == len(all_projections())

    unknown = cli.invoke(projections_cli, ["rebuild", "no_such_table"])
    assert unknown.exit_code == 2 and "No projection named" in unknown.output


def test_run_follows_the_log_until_interrupted(
    settings_env: dict[str, str], app: Assured, database_url: str
) -> None:
    runner = subprocess.Popen(
        [sys.executable, "-c", "from api.cli.projections import app; app()", "run"],
        cwd=ROOT, env={**os.environ, **settings_env}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        World(app).next_round()
        with psycopg.connect(database_url, autocommit=True) as conn:
            assert _eventually(lambda: _count(conn, "case_state") == 2)
    finally:
        runner.send_signal(signal.SIGINT)
        output, _ = runner.communicate(timeout=20)
    assert runner.returncode == 0, output
    assert "Following the event log" in output


def _count(conn: psycopg.Connection[Any], table: str) -> int:
    try:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    except psycopg.errors.UndefinedTable:
        return 0
    return int(row[0]) if row else 0


def _eventually(check: Any, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False
