"""`assured users add`, run as a person runs it (a real process, no terminal): the password
comes from standard input or is generated and shown once; never from the command line, never
a prompt. The account then signs in over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi.testclient import TestClient

from infra.settings import Settings

ASSURED = str(Path(sys.executable).with_name("assured"))


@pytest.fixture
def env(database_url: str, cipher_key: str, settings: Settings) -> dict[str, str]:
    """The API's own store, for the command."""
    return {**os.environ, "ASSURED_DATABASE_URL": database_url,
            "ASSURED_ENCRYPTION_KEY": cipher_key, "ASSURED_DATA_DIR": str(settings.data_dir)}


def _add(env: dict[str, str], *args: str,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ASSURED, "users", "add", *args], check=False, input=stdin, env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


def _signs_in(client: TestClient, username: str, password: str) -> bool:
    answer = client.post("/auth/token", data={"username": username, "password": password})
    return answer.status_code == 200 and "access_token" in answer.json()


def test_a_password_from_standard_input_is_stored_and_never_echoed(
        env: dict[str, str], client: TestClient) -> None:
    password = "a long passphrase: Ōban 1984!"
    made = _add(env, "pat.practitioner", "--role", "practitioner", "--password-stdin",
                stdin=password + "\n")
    assert made.returncode == 0, made.stderr
    assert password not in made.stdout + made.stderr
    assert "Account pat.practitioner (practitioner) created." in made.stdout
    assert _signs_in(client, "pat.practitioner", password)
    assert not _signs_in(client, "pat.practitioner", password + "x")


def test_without_a_terminal_a_password_is_generated_and_printed_once(
        env: dict[str, str], client: TestClient) -> None:
    made = _add(env, "sm.north", "--role", "support_manager", "--region", "North")
    assert made.returncode == 0, made.stderr
    [line] = [x for x in made.stdout.splitlines() if x.startswith("One-time password")]
    password = line.split(": ", 1)[1]
    assert len(password) >= 16 and made.stdout.count(password) == 1
    assert _signs_in(client, "sm.north", password)


def test_the_command_line_takes_no_password_and_an_empty_one_is_refused(
        env: dict[str, str]) -> None:
    on_the_line = _add(env, "kim", "--role", "auditor", "--password", "hunter22")
    assert on_the_line.returncode == 2 and "No such option" in on_the_line.stderr
    empty = _add(env, "kim", "--role", "auditor", "--password-stdin", stdin="\n")
    assert empty.returncode == 2 and "password read from standard input is empty" in empty.stderr
