"""The permissions table: generated from the policy, the README's copy current, and /docs
naming who may call each route."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli.main import app as cli
from api.permissions import END, START, readme_with_table, rows, table
from domain.accounts import Role

README = Path(__file__).resolve().parents[2] / "README.md"
OPEN = {"/healthz", "/readyz", "/metrics", "/auth/token", "/auth/login", "/auth/logout",
        "/auth/second-factor", "/auth/second-factor/confirm"}  # signing in


def _row(kind_words: str, what: str) -> dict[Role, str]:
    lines = table().splitlines()
    heading = lines.index(f"| **{kind_words}** |" + " |" * len(Role))
    for line in lines[heading + 1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == what:
            return dict(zip(Role, cells[1:], strict=True))
    raise AssertionError(f"no row {what!r} under {kind_words!r}")


def test_the_readme_shows_the_table_the_policy_makes() -> None:
    text = README.read_text()
    assert text.count(START) == 1 and text.count(END) == 1
    assert readme_with_table(text) == text, "run `make permissions`"
    assert table() in text
    checked = CliRunner().invoke(cli, ["permissions", "--readme", str(README), "--check"])
    assert checked.exit_code == 0, checked.output


def test_a_stale_copy_is_caught_and_rewritten(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    stale.write_text(f"# Notes\n\n{START}\n| old | table |\n{END}\n\nAfter.\n")
    checked = CliRunner().invoke(cli, ["permissions", "--readme", str(stale), "--check"])
    assert checked.exit_code == 1 and "not the policy's" in checked.output
    written = CliRunner().invoke(cli, ["permissions", "--readme", str(stale)])
    assert written.exit_code == 0, written.output
    assert table() in stale.read_text() and stale.read_text().endswith(f"{END}\n\nAfter.\n")
    assert "| old | table |" not in stale.read_text()


def test_the_table_says_what_the_policy_decides_in_words() -> None:
    assert _row("Safeguarder", "apply to panel") == {
        r: "yes" if r == Role.PANEL_ADMIN else "no" for r in Role}
    allocate = _row("Safeguarder", "allocate")
    assert allocate[Role.SUPPORT_MANAGER] == "allocated to them"
    assert _row("Safeguarder", "read")[Role.SUPPORT_MANAGER] == "allocated to them, in their region"
    grade = _row("case", "record audit grade")
    assert grade[Role.PRACTICE_REVIEW_MEMBER] == "named in an audit"
    assert grade[Role.AUDITOR] == "no" and grade[Role.PRACTITIONER] == "theirs"
    regions = _row("lists and processes", "read the list of regions")
    assert {r for r, cell in regions.items() if cell == "yes"} == {
        Role.PANEL_ADMIN, Role.SUPPORT_MANAGER, Role.MENTORING_COORDINATOR, Role.AUDITOR}
    ops = [cells for cells in (_row("lists and processes", r.what) for r in rows()
                               if r.kind == "") if cells[Role.OPS] != "no"]
    assert len(ops) == 1  # operations staff watch the processes and read nothing else
    assert "_" not in table().split("\n", 1)[0]  # the roles in words


def test_docs_name_the_roles_that_may_call_each_route(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert table() in schema["info"]["description"]
    allocate = schema["paths"]["/safeguarders/{record_id}/allocate"]["post"]
    assert allocate["description"].endswith(
        "Who may: panel administrator, support manager (allocated to them).")
    drift = schema["paths"]["/supervision/drift"]["get"]["description"]
    assert "practitioner" in drift and "auditor" in drift and "support manager" not in drift
    retry = schema["paths"]["/ops/workflows/{workflow_id}/retry"]["post"]["description"]
    assert retry.endswith("Who may: member of operations staff.")
    unlock = schema["paths"]["/accounts/{username}/unlock"]["post"]["description"]
    assert unlock.endswith("Who may: panel administrator, support manager, mentoring "
                           "coordinator.")
    history = schema["paths"]["/history/{kind}/{record_id}"]["get"]["description"]
    assert "case: practitioner (theirs)" in history
    undescribed = [f"{method} {path}" for path, ops in schema["paths"].items()
                   if path not in OPEN for method, op in ops.items()
                   if "Who may" not in op.get("description", "")]
    assert not undescribed
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
