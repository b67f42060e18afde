"""Every kind of PDF renders without a WeasyPrint warning: a record's history and the quarterly
report (with its inline SVG trend charts). The logger is not silenced: what it would say is
captured at every level and checked."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from domain.application import Assured
from domain.safeguarder_commands import ApplyToPanel, Contact, RecordInterview
from projections.reports import quarterly
from projections.reports.history import as_pdf, build_history
from tests.api.test_replay import case_with_history
from tests.projections.test_quarterly_report import report  # noqa: F401 (the fixture)


def _weasyprint_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]


def test_a_history_pdf_renders_without_warnings(app: Assured,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    case = case_with_history(app)
    on = datetime(2025, 5, 6, 10, tzinfo=UTC)
    made = app.apply_to_panel(ApplyToPanel(
        name="Ms <b>Bold</b> & \u00c9lodie O'Neill", contact=Contact(phone="0131 496 0000"),
        region="East", by="pa-1", at=on)).record
    app.record_interview(RecordInterview(record_id=made.id, passed=True,
                                         notes="<style>*{colour: red}</style>" * 20,
                                         by="pa-1", at=on))
    for kind, record_id in (("case", case.id), ("safeguarder", made.id)):
        pdf = as_pdf(build_history(app, kind, record_id))
        assert pdf.startswith(b"%PDF")
    assert _weasyprint_warnings(caplog) == []
    assert any(r.name.startswith("weasyprint") for r in caplog.records), "the logger was heard"


def test_the_quarterly_report_pdf_renders_without_warnings(
        report: quarterly.QuarterlyReport,  # noqa: F811
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    assert quarterly.as_pdf(report).startswith(b"%PDF")
    assert _weasyprint_warnings(caplog) == []
    assert any(r.name.startswith("weasyprint") for r in caplog.records), "the logger was heard"


def test_a_chart_carries_its_paint_as_svg_attributes(
        report: quarterly.QuarterlyReport) -> None:  # noqa: F811
    html = quarterly.as_html(report)
    assert "<svg" in html and "fill: " not in html and "stroke: " not in html
    assert "<style" not in html.split("<svg", 1)[1]  # no stylesheet that matches the page
