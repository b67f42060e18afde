"""Journey 6: an auditor finds a Safeguarder's record and reads its history: every event with
who did it, when it happened and when it was recorded, a support session entered weeks late
marked as such; the record as it was known before that entry; what changed in what was known
since; who viewed the record; and the history as a PDF."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import expect
from pypdf import PdfReader

from domain.accounts import Role
from tests.web.conftest import Visit, account
from tests.web.seeds import TODAY, Panel, at, months_ago
from api.web.wording import UK


def test_an_auditor_finds_a_record_and_replays_what_was_known_when(visit: Visit) -> None:
    site = visit.site
    panel = Panel(site, "ax", region="North")
    panel.region_with_manager()
    quinn = panel.appointed("Quinn Abbot", months_ago(5))
    time.sleep(1.2)  # the moment is typed to the second: a whole second on either side of it
    before_late_entry = datetime.now(UTC)
    time.sleep(1.2)
    panel.post(f"/safeguarders/{quinn}/record-support-session", panel.manager,
               session_id="S-LATE-1", notes="Entered from the paper diary",
               at=at(TODAY - timedelta(days=40)))
    panel.post(f"/safeguarders/{quinn}/record-feedback", panel.manager,
               source="professional", tone="positive", summary="Clear, timely report")
    auditor = account(site, "auditor-ax", Role.AUDITOR)

    page = visit.sign_in(auditor)
    expect(page.locator("main")).to_contain_text("Nothing is asked of you")
    visit.follow("Find a record")
    visit.arrived("Find a record")
    page.get_by_label("Name, reference or id").fill("quinn")
    page.get_by_role("button", name="Search").click()  # htmx: the results change in place
    expect(page.locator("#results")).to_contain_text("1 record found")
    visit.check()
    visit.follow("Quinn Abbot")
    visit.arrived("Quinn Abbot")

    late = page.locator("tr", has_text="Support session held")
    expect(late.locator(".govuk-tag")).to_have_text("Entered late")
    expect(late).to_contain_text("40 days after it happened")
    on_time = page.locator("tr", has_text="Feedback received")
    expect(on_time).to_contain_text("Clear, timely report")
    expect(on_time.locator(".govuk-tag")).to_have_count(0)
    expect(page.locator("#timeline + table")).to_contain_text("Appointed")
    expect(page.locator("#timeline + table")).to_contain_text("pa-ax")

    local = before_late_entry.astimezone(UK)
    group = page.get_by_role("group", name="As known at")
    group.get_by_label("Day").fill(str(local.day))
    group.get_by_label("Month").fill(str(local.month))
    group.get_by_label("Year").fill(str(local.year))
    page.get_by_label("As known at: time (optional)").fill(f"{local:%H:%M:%S}")
    page.get_by_role("button", name="Show the record as it was known").click()
    expect(page.locator("#replay-result")).to_contain_text("As known at")
    expect(page.locator("#replay-result")).to_contain_text("Quinn Abbot")
    expect(page.locator("#replay-result")).not_to_contain_text("S-LATE-1")
    assert "known-day" in page.url  # the moment is in the address, to share or come back to
    visit.check()

    group = page.get_by_role("group", name="From")
    for label, value in (("Day", local.day), ("Month", local.month), ("Year", local.year)):
        group.get_by_label(label).fill(str(value))
    page.get_by_label("From: time (optional)").fill(f"{local:%H:%M:%S}")
    until = datetime.now(UTC).astimezone(UK) + timedelta(minutes=1)
    group = page.get_by_role("group", name="To")
    for label, value in (("Day", until.day), ("Month", until.month), ("Year", until.year)):
        group.get_by_label(label).fill(str(value))
    page.get_by_label("To: time (optional)").fill(f"{until:%H:%M}")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#changes-result")).to_contain_text("sessions.S-LATE-1")
    visit.check()

    expect(page.locator("#viewers + table")).to_contain_text(auditor)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the history as a PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"  # tagged PDF/UA, in English
    assert "Quinn Abbot" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    visit.screenshot("6-auditor")


def test_the_find_page_works_without_javascript_too(site: Any) -> None:
    """The same search as a plain GET: the whole page, with the results."""
    import httpx

    from api.auth import COOKIE, WITH_SECOND_FACTOR, Principal, issue_token

    site.who(Role.AUDITOR, "auditor-ax2")  # the account
    token = issue_token(Principal("auditor-ax2", Role.AUDITOR), site.settings,
                        amr=WITH_SECOND_FACTOR)
    answer = httpx.get(f"{site.url}/app/find", params={"q": "no such name at all"},
                       cookies={COOKIE: token})
    assert answer.status_code == 200
    assert "0 records found" in answer.text and "<html" in answer.text
