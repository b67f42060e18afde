"""Production mode, part by part, as deploy/ runs it: `assured db migrate`, then `assured api`,
`assured worker` and `assured projections run`, each a process of its own with
ASSURED_MODE=production, pointed at a PostgreSQL and a Temporal the test started (a database
and three roles of its own on the suite's server; the suite's Temporal dev server).

A practitioner's case goes in over HTTP with a child's name and address in its discussion, and
hostile text in refused commands, a malformed one, a query string, a path and a failed sign-in. Every
line the four processes log is JSON, and none of them holds any of that text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from eventsourcing.cryptography import AESCipher
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from infra.checkpoints import LOG_FILE, new_key
from tests.servers import free_port

ASSURED = str(Path(sys.executable).with_name("assured"))
CHILD = "Jayden O'Connor-Ahmed"
ADDRESS = "14 Acacia Avenue, Leeds"
HOSTILE = ("<script>alert('Jayden')</script>", "שלום מרים", "Robert'); DROP TABLE cases;--",
           "\u202egnp.exe")
PERSONAL = (CHILD, "Jayden", "O'Connor", ADDRESS, "Acacia", *HOSTILE, "מרים", "DROP TABLE")
PASSWORD = "Winter-lantern-47-harbour"


@dataclass
class Production:
    env: dict[str, str]
    url: str
    http: httpx.Client
    logs: Path
    checkpoints: Path
    folder: Path


def _url(admin: str, dbname: str, user: str, password: str) -> str:
    params = conninfo_to_dict(admin) | {"dbname": dbname, "user": user, "password": password}
    return make_conninfo(**params)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def database(postgres: tuple[str, Path]) -> Iterator[dict[str, str]]:
    """A database with its owner, as a database administrator would hand it over: the migration
    role may create roles; the application's and the read-table writer's are made by migrate."""
    admin, _ = postgres
    tag = uuid.uuid4().hex[:8]
    name, owner = f"prod_{tag}", f"prod_owner_{tag}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD 'owner-pw'").format(
            sql.Identifier(owner)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name),
                                                                  sql.Identifier(owner)))
    yield {"ASSURED_MIGRATION_DATABASE_URL": _url(admin, name, owner, "owner-pw"),
           "ASSURED_DATABASE_URL": _url(admin, name, f"prod_app_{tag}", "app-pw"),
           "ASSURED_PROJECTIONS_DATABASE_URL": _url(admin, name, f"prod_proj_{tag}", "proj-pw")}


def _env(database: dict[str, str], temporal: dict[str, object], folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSURED_")}
    return env | database | {
        "ASSURED_MODE": "production",  # and so JSON logs, ASSURED_LOG_FORMAT being unset
        "ASSURED_ENCRYPTION_KEY": AESCipher.create_key(num_bytes=32),
        "ASSURED_TOKEN_SECRET": uuid.uuid4().hex * 2,
        "ASSURED_TEMPORAL_ADDRESS": str(temporal["temporal_address"]),
        "ASSURED_TASK_QUEUE": f"production-{uuid.uuid4().hex[:8]}",
        "ASSURED_DATA_DIR": str(folder / "data"),
        "ASSURED_CHECKPOINT_DIR": str(folder / "checkpoints"),
        "ASSURED_VERIFY_INTERVAL_SECONDS": "1",
        "ASSURED_WEB_ASSETS_DIR": str(Path(__file__).parents[2] / "node_modules"),
    }


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ASSURED, *args], env=env, input=stdin, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def production(database: dict[str, str], temporal_server: dict[str, object],
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Production]:
    folder = tmp_path_factory.mktemp("production")
    env = _env(database, temporal_server, folder)
    migrated = run(env, "db", "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "schema version" in migrated.stdout
    port = free_port()
    logs = folder / "logs"
    logs.mkdir()
    parts = {"api": ["api", "--host", "127.0.0.1", "--port", str(port)], "worker": ["worker"],
             "projections": ["projections", "run", "--poll-interval", "0.2"]}
    signer = {"ASSURED_CHECKPOINT_KEY": new_key()[0]}  # only the runner signs (deploy/)
    running = {name: subprocess.Popen(
        [ASSURED, *args], env=env | (signer if name == "projections" else {}),
        stdout=(logs / f"{name}.out").open("w"), stderr=(logs / f"{name}.log").open("w"))
        for name, args in parts.items()}
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url, timeout=60) as http:
            _until_ready(http, running)
            yield Production(env, url, http, logs, folder / "checkpoints", folder)
    finally:
        for process in running.values():
            process.terminate()
        for name, process in running.items():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
                pytest.fail(f"assured {name} did not stop on SIGTERM")


def _until_ready(http: httpx.Client, running: dict[str, subprocess.Popen[bytes]]) -> None:
    deadline = time.monotonic() + 90
    while True:
        for name, process in running.items():
            assert process.poll() is None, f"assured {name} exited ({process.returncode})"
        try:
            if http.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "assured api did not become ready"
        time.sleep(0.3)


def ago(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat()


def test_each_part_runs_on_its_own_in_production_and_logs_json_without_personal_data(
        production: Production) -> None:
    """Ana, a practitioner, is given an account with the command line; she signs in, opens a
    child's case and records a supervision discussion, which the case's cadence process takes
    (so the worker runs); the projection runner verifies the log and signs a checkpoint. On the
    way, someone fails to sign in under a hostile name, an opening naming the child and a second
    opening are refused, a malformed discussion is refused, and a list and a path are asked
    with hostile text."""
    added = run(production.env, "users", "add", "pr-ana", "--role", "practitioner",
                "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    http = production.http
    failed = http.post("/auth/token", data={"username": HOSTILE[0], "password": CHILD})
    assert failed.status_code == 401, failed.text
    signed = http.post("/auth/token", data={"username": "pr-ana", "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    ana = {"Authorization": f"Bearer {signed.json()['access_token']}"}

    opening = {"child_reference": "CSC-2026-4411", "agency": "Children's social care",
               "practitioner": "pr-ana", "supervisor": "su-sam", "legal_status": "child_in_need",
               "risk": "medium", "nation": "ENG", "at": ago(40)}
    named = http.post("/cases", headers=ana, json=opening | {"child_reference": CHILD})
    assert named.status_code == 409 and "pseudonymous" in named.text, named.text
    opened = http.post("/cases", headers=ana, json=opening)
    assert opened.status_code == 201, opened.text
    case = opened.json()["id"]
    again = http.post("/cases", headers=ana, json=opening | {"at": ago(39)})
    assert again.status_code == 409, again.text

    discussion = {"discussion_id": "D-1", "supervisor": "su-sam", "supervisee": "pr-ana",
                  "needs": f"{CHILD} needs a school place", "risks": " ".join(HOSTILE[:3]),
                  "engagement": "mother engages", "plan": f"visit {ADDRESS}",
                  "capacity_for_change": "some", "rag": "A", "actions": [], "at": ago(30),
                  "next_discussion_on": (datetime.now(UTC) + timedelta(days=30)).date().isoformat()}
    malformed = http.post(f"/cases/{case}/record-discussion", headers=ana,
                          json=discussion | {"plan": f"{CHILD}\x00{HOSTILE[3]}"})
    assert malformed.status_code == 422, malformed.text
    taken = http.post(f"/cases/{case}/record-discussion", headers=ana, json=discussion)
    assert taken.status_code == 200, taken.text
    assert taken.json()["workflow"] == f"cadence-{case}", "the worker's process took it"
    assert http.get("/cases", headers=ana, params={"q": CHILD, "x": HOSTILE[2]}).status_code < 500
    assert http.get(f"/cases/{HOSTILE[1]}", headers=ana).status_code in (404, 422)
    listed = http.get("/cases", headers=ana)
    assert case in {str(row["id"]) for row in listed.json()["items"]}, listed.text

    # The runner's verification, every second here, signs a checkpoint of the log so far: the
    # first may come before Ana's events (a tree of none), a later one covers them.
    deadline = time.monotonic() + 60
    while _last_checkpoint(production).get("tree_size", 0) == 0:
        assert time.monotonic() < deadline, "the projection runner signed no checkpoint"
        time.sleep(0.3)

    lines = _log_lines(production)
    assert any("Refused: POST /cases 409" in line["event"] for line in lines["api"]), lines["api"]
    assert any("Failed sign-in" in line["event"] for line in lines["api"])
    for name, parsed in lines.items():
        for line in parsed:
            text = json.dumps(line, ensure_ascii=False)
            leaked = [p for p in PERSONAL if p in text]
            assert not leaked, f"assured {name} logged {leaked}: {text}"
    for out in production.logs.glob("*.out"):
        assert not [p for p in PERSONAL if p in out.read_text()], out
    assert not (production.folder / "data").exists(), "production made an embedded data folder"


def _last_checkpoint(production: Production) -> dict[str, Any]:
    """The last checkpoint the runner signed ({} before the first)."""
    written = production.checkpoints / LOG_FILE
    lines = written.read_text().splitlines() if written.exists() else []
    return json.loads(lines[-1]) if lines else {}


def _log_lines(production: Production) -> dict[str, list[dict[str, Any]]]:
    """Each part's log so far: every line a JSON object with its time, level, logger, event."""
    found: dict[str, list[dict[str, Any]]] = {}
    for log in production.logs.glob("*.log"):
        parsed = []
        for line in log.read_text().splitlines():
            entry = json.loads(line)  # a line that is not JSON fails here, naming it
            assert {"timestamp", "level", "event"} <= entry.keys(), line
            parsed.append(entry)
        found[log.stem] = parsed
    return found


def test_a_part_missing_a_required_setting_says_which_and_starts_nothing(
        database: dict[str, str], temporal_server: dict[str, object], tmp_path: Path) -> None:
    env = _env(database, temporal_server, tmp_path)
    del env["ASSURED_PROJECTIONS_DATABASE_URL"]
    parts = [["api"], ["worker"], ["projections", "run"], ["db", "migrate"]]
    started = [subprocess.Popen([ASSURED, *args], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for args in parts]
    for args, process in zip(parts, started, strict=True):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 2, (args, out + err)
        assert "ASSURED_PROJECTIONS_DATABASE_URL" in err, (args, err)
        assert "Traceback" not in err, (args, err)


def test_a_part_on_a_database_not_yet_migrated_says_to_migrate_it(
        postgres: tuple[str, Path], temporal_server: dict[str, object], tmp_path: Path) -> None:
    admin, _ = postgres
    name = f"prod_empty_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    user = str(conninfo_to_dict(admin).get("user") or "postgres")
    urls = {"ASSURED_DATABASE_URL": _url(admin, name, user, ""),
            "ASSURED_PROJECTIONS_DATABASE_URL": _url(admin, name, user, "")}
    refused = run(_env(urls, temporal_server, tmp_path), "api")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "run `assured db migrate` first" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_worker_that_cannot_reach_temporal_says_where_it_looked(production: Production) -> None:
    refused = run(production.env | {"ASSURED_TEMPORAL_ADDRESS": "127.0.0.1:1"}, "worker")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "Temporal at 127.0.0.1:1 (namespace default) cannot be reached" in refused.stderr
    assert "Traceback" not in refused.stderr
