"""The auditor's replay: history, state at an instant, changes, as text, JSON and PDF."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from api.cli.main import app as cli
from projections.reports.history import as_json, as_pdf, build_history
from domain.application import Assured
from domain.case import Case
from domain.errors import RecordNotFound
from domain.case_commands import ChangeLegalStatus, OpenCase, RaiseCaseConcern
from tests.refusals import at


def case_with_history(app: Assured) -> Case:
    opened = app.open_case(OpenCase(child_reference="CH-2026-0042", agency="Northfield Primary",
                                    practitioner="pat", supervisor="sam",
                                    legal_status="child_in_need", risk="medium", nation="ENG",
                                    by="pat", at=at(0)))
    case_id = opened.aggregate_id
    app.change_legal_status(ChangeLegalStatus(record_id=case_id, new_status="child_protection",
                                              by="sam", at=at(3)))
    # Recorded late: it happened earlier than the change of legal status recorded before it.
    app.raise_case_concern(RaiseCaseConcern(record_id=case_id, concern_id="c1",
                                            summary="bruising", by="pat", at=at(1)))
    return app.load(case_id, Case)


def test_history_shows_what_who_when_happened_and_when_recorded(app: Assured) -> None:
    case = case_with_history(app)
    history = build_history(app, "case", case.id)
    assert [e.what for e in history.events] == ["Opened", "Legal status changed",
                                                "Concern raised"]
    change = history.events[1]
    assert change.by == "sam" and change.happened == "8 Jan 2026 09:00 UTC"
    assert change.details["new status"] == "child protection"


def test_state_as_happened_by_includes_a_late_entry_that_as_known_at_did_not(app: Assured) -> None:
    case = case_with_history(app)
    events = app.stored_events(case.id)
    known = build_history(app, "case", case.id, as_known_at=events[1].timestamp)
    assert known.state is not None and known.state["concerns"] == "—"
    happened = build_history(app, "case", case.id, as_happened_by=at(2))
    assert happened.state is not None and "bruising" in happened.state["concerns"]
    assert happened.state["legal status"] == "child in need"


def test_diff_lists_what_changed_between_two_instants(app: Assured) -> None:
    case = case_with_history(app)
    events = app.stored_events(case.id)
    history = build_history(app, "case", case.id,
                            between=(events[0].timestamp, events[1].timestamp))
    changed = {c["field"]: (c["before"], c["after"]) for c in history.changes}
    assert changed["legal status"] == ("child in need", "child protection")
    assert "concerns" not in " ".join(changed)


def test_json_and_pdf_exports_carry_the_history(app: Assured) -> None:
    case = case_with_history(app)
    history = build_history(app, "case", case.id, as_happened_by=at(5))
    assert json.loads(as_json(history))["events"][2]["what"] == "Concern raised"
    pages = PdfReader(io.BytesIO(as_pdf(history))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Legal status changed" in text and "As it had happened by" in text


def test_an_unknown_kind_or_a_record_of_another_kind_is_not_found(app: Assured) -> None:
    case = case_with_history(app)
    with pytest.raises(RecordNotFound):
        build_history(app, "review", case.id)
    with pytest.raises(RecordNotFound):
        build_history(app, "person", case.id)


def test_the_history_command(app: Assured, database_url: str, cipher_key: str,
                             tmp_path: Path) -> None:
    case = case_with_history(app)
    env = {"ASSURED_DATABASE_URL": database_url, "ASSURED_ENCRYPTION_KEY": cipher_key}
    runner = CliRunner()
    shown = runner.invoke(cli, ["history", "case", str(case.id), "--as-known-at",
                                (at(0) + timedelta(days=400)).isoformat()], env=env)
    assert shown.exit_code == 0, shown.output
    assert "Concern raised" in shown.output and "As known at" in shown.output
    pdf = tmp_path / "h.pdf"
    made = runner.invoke(cli, ["history", "case", str(case.id), "--format", "pdf", "--out",
                               str(pdf)], env=env)
    assert made.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    diffed = runner.invoke(cli, ["history", "case", str(case.id), "--diff",
                                 at(0).isoformat(), (at(0) + timedelta(days=400)).isoformat()],
                           env=env)
    assert diffed.exit_code == 0 and "Changes in what was known" in diffed.output
    missing = runner.invoke(cli, ["history", "review", str(case.id)], env=env)
    assert missing.exit_code == 2


@pytest.mark.parametrize("written", ["-143171", "1767225600", "1.5e9"])
def test_a_time_in_a_query_is_written_out_never_seconds_since_1970(
        client, headers, written: str) -> None:  # type: ignore[no-untyped-def]
    from domain.accounts import Role

    made = client.post("/safeguarders", json={"name": "Sam", "contact": {}, "region": "West"},
                       headers=headers(Role.PANEL_ADMIN)).json()
    answer = client.get(f"/history/safeguarder/{made['id']}", params={"as_known_at": written},
                        headers=headers(Role.AUDITOR))
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "as_known_at"
