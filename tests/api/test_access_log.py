"""What is logged and protected (issue 11, item 7): every read is in the access log, without
its content; answers are never stored by a cache; a history PDF of hostile words fetches
nothing."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from eventsourcing.utils import get_topic
from fastapi.testclient import TestClient

from api.app import create_app
from domain.accounts import Role, View
from domain.application import Assured
from domain.case_commands import OpenCase
from domain.safeguarder_commands import ApplyToPanel, RecordFeedback
from tests.refusals import at

CANARY = "Zebedee Quixote-Canary"


@pytest.fixture
def beacon() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Count(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Count)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()


def _views(app: Assured) -> list[Any]:
    found = app.recorder.select_notifications(1, 100_000,
                                              topics=[get_topic(View.Recorded)])  # type: ignore[attr-defined]
    return [app.mapper.to_domain_event(n) for n in found]


def _seed(app: Assured, words: str) -> tuple[str, str]:
    safeguarder = app.apply_to_panel(ApplyToPanel(name=CANARY, region="East", by="setup",
                                                  at=at(0))).aggregate_id
    app.record_feedback(RecordFeedback(record_id=safeguarder, source="family", tone="positive",
                                       summary=words, by="setup", at=at(1)))
    case = app.open_case(OpenCase(child_reference="CH-0042", agency="Children's social care",
                                  legal_status="child_in_need", risk="medium", nation="ENG",
                                  practitioner="pr-1", supervisor="su-1", by="pr-1",
                                  at=at(0))).aggregate_id
    return str(safeguarder), str(case)


def test_twenty_random_reads_leave_exactly_twenty_access_records_without_content(
        client: TestClient, app: Assured, headers: Callable[..., dict[str, str]]) -> None:
    safeguarder, case = _seed(app, f"{CANARY} was kind")
    reads = [f"/safeguarders/{safeguarder}", f"/safeguarders/{safeguarder}/file",
             f"/safeguarders/{safeguarder}/evidence-pack", f"/cases/{case}",
             f"/cases/{case}/chronology", f"/cases/{case}/rag-trend",
             f"/history/safeguarder/{safeguarder}", f"/history/case/{case}",
             f"/history/safeguarder/{safeguarder}?format=pdf",
             "/safeguarders?region=East&status=applied", "/safeguarders", "/cases?overdue=false",
             "/register", "/scorecard/2026Q3", "/supervision/drift",
             "/supervision/children-in-need-overdue", "/supervision/overdue-actions",
             "/support-managers/sm-east/caseload"]
    auditor = headers(Role.AUDITOR, "au-1")
    before = len(_views(app))
    chosen = random.Random(11).choices(reads, k=20)
    for path in chosen:
        answer = client.get(path, headers=auditor)
        assert answer.status_code == 200, (path, answer.text)
        assert answer.headers["cache-control"] == "no-store"
    views = _views(app)[before:]
    assert len(views) == 20
    assert all(v.actor == "au-1" for v in views)
    assert {v.route for v in views} <= {p.split("?")[0].replace(safeguarder, "{record_id}")
                                        .replace(case, "{record_id}")
                                        .replace("safeguarder/", "{kind}/")
                                        .replace("case/", "{kind}/").replace("2026Q3", "{quarter}")
                                        .replace("sm-east", "{manager}") for p in reads}
    filtered = [v for v in views if v.route == "/safeguarders" and "region=East" in v.filters]
    assert all("status=applied" in v.filters for v in filtered)
    for view in views:
        assert CANARY not in repr(view.__dict__) and "kind" not in view.filters


def test_a_history_pdf_whose_words_name_files_and_urls_fetches_nothing(
        client: TestClient, app: Assured, headers: Callable[..., dict[str, str]],
        beacon: tuple[str, list[str]]) -> None:
    url, hits = beacon
    safeguarder, _ = _seed(app, f'<img src="file:///etc/passwd"> <img src="{url}/x.png"> '
                                f'<link rel="stylesheet" href="{url}/s.css"> {url}/y.png')
    pdf = client.get(f"/history/safeguarder/{safeguarder}?format=pdf",
                     headers=headers(Role.AUDITOR, "au-1"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert hits == []
    from tests.projections.test_quarterly_report import pdf_text

    assert "file:///etc/passwd" in pdf_text(pdf.content)  # shown as the words they are


def test_no_answer_of_the_api_may_be_stored(client: TestClient,
                                            headers: Callable[..., dict[str, str]]) -> None:
    for path, who in (("/cases", headers(Role.AUDITOR, "au-1")), ("/healthz", {}),
                      ("/cases", {})):
        assert client.get(path, headers=who).headers["cache-control"] == "no-store"


def test_the_access_log_writer_stops_with_the_api_after_saving_every_read(
        settings: Any, app: Assured, headers: Callable[..., dict[str, str]]) -> None:
    def writers() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "access-log" and t.is_alive()]

    already = writers()
    safeguarder, _ = _seed(app, "kind words")
    before = len(_views(app))
    with TestClient(create_app(settings, app), raise_server_exceptions=False) as api:
        for _ in range(3):
            assert api.get(f"/safeguarders/{safeguarder}",
                           headers=headers(Role.AUDITOR, "au-2")).status_code == 200
        assert len(writers()) == len(already) + 1
    assert writers() == already
    assert len(_views(app)) == before + 3
    with TestClient(create_app(settings, app), raise_server_exceptions=False) as api:
        # a later web application over the same store starts a writer of its own
        assert api.get(f"/safeguarders/{safeguarder}",
                       headers=headers(Role.AUDITOR, "au-2")).status_code == 200
    assert len(_views(app)) == before + 4 and writers() == already
