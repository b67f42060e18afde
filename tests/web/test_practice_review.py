"""Journey 4: the practice review sub-group, in the browser.

Priya chairs the sub-group. From the register she notifies a serious incident the partnership
learned of two days ago (a rapid review starts, its statutory clocks counted in England's
working days); the referral is first refused for a rapid review's type, with what she typed
kept. On the review's page she sees each deadline counted down, records the Panel
notification, asks the police for information and records it received, completes the rapid
review, decides on an LCSPR (refused without a reviewer, recorded with one), adds a
recommendation and its progress. She plans an audit whose returns were due three days ago: the
audit cycle asks each agency and chases the missing returns. She filters the register, reads
the quarter's scorecard (every chart has its words) and downloads the report as a PDF.
"""

from __future__ import annotations

import re
import io
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from domain.accounts import Role
from domain.scorecard import MEASURE_KEYS
from domain.calendar import working_days_between
from domain.policy import DEFAULT_POLICY
from tests.web.conftest import Visit
from tests.web.seeds import NOW, TODAY
from tests.web.test_support_manager import fill_date

HOSTILE = '<script>alert("x")</script> Child B & "sibling" <b>harmed</b>'
CHAIR = "prm-priya"


@pytest.fixture(scope="module")
def chair(site: Any) -> str:
    site.who(Role.PRACTICE_REVIEW_MEMBER, CHAIR)
    practitioner = site.who(Role.PRACTITIONER, "pr-priya")
    for n in range(3):  # open cases for the audit to select from
        answer = site.post("/cases", practitioner, child_reference=f"C-PR-{n}",
                           agency="Children's social care", practitioner="pr-priya",
                           supervisor="su-priya", legal_status="child_in_need", risk="medium",
                           nation="ENG", at=(NOW - timedelta(days=40)).isoformat())
        assert answer.status_code == 201, answer.text
    return CHAIR


def words_due(due: Any) -> str:
    ahead = working_days_between(TODAY, due, "ENG")
    when = f"{due.day} {due:%B}" if due.year == TODAY.year else f"{due.day} {due:%B %Y}"
    return f"due in {ahead} working day{'' if ahead == 1 else 's'}, {when}"


def test_the_sub_group_runs_a_rapid_review_an_audit_and_the_scorecard(
        visit: Visit, chair: str) -> None:
    page = visit.sign_in(chair)
    visit.follow("Register")
    visit.arrived("Register of reviews and audits")

    # A serious incident, first with the wrong kind of review.
    aware = TODAY - timedelta(days=2)
    visit.follow("Refer a case or notify a serious incident")
    visit.arrived("Refer a case or notify a serious incident")
    page.get_by_label("Review reference").fill("SI-PRIYA-1")
    page.get_by_label("Who referred it?").fill("Children's social care")
    page.get_by_label("A serious incident (a rapid review starts)").check()
    page.get_by_label("Thematic review").check()
    page.get_by_label("England").check()
    page.get_by_label("What happened?").fill(HOSTILE)
    fill_date(page, "When did the partnership become aware of it?", aware)
    fill_date(page, "Date of the referral", TODAY - timedelta(days=1))
    visit.submit("Record the referral")
    visit.arrived("Refer a case or notify a serious incident")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A serious incident must be handled by a rapid review")
    expect(page.locator("#review_type-error")).to_be_visible()
    expect(page.get_by_label("What happened?")).to_have_value(HOSTILE)
    expect(page.get_by_label("Review reference")).to_have_value("SI-PRIYA-1")
    page.get_by_label("Rapid review", exact=True).check()
    visit.submit("Record the referral")
    visit.arrived("SI-PRIYA-1")

    # The statutory clocks, in working days.
    notify_due = DEFAULT_POLICY.panel_notification.after(aware, "ENG")
    rapid_due = DEFAULT_POLICY.rapid_review.after(aware, "ENG")
    deadlines = page.locator(".assured-deadlines")
    expect(deadlines).to_contain_text(f"Notify the national Panel: Due {words_due(notify_due)}")
    expect(deadlines).to_contain_text(f"Complete the rapid review: Due {words_due(rapid_due)}")
    expect(page.locator("main")).to_contain_text(HOSTILE)  # shown as text, never run

    visit.follow("Record the Panel notification")
    visit.arrived("Record the Panel notification")
    fill_date(page, "Date the Panel was notified", TODAY - timedelta(days=1))
    visit.submit("Record the notification")
    visit.arrived("SI-PRIYA-1")
    expect(deadlines).to_contain_text("Notify the national Panel: Done in time")

    # Information from the police: asked, then received.
    visit.follow("Ask an agency for information")
    visit.arrived("Ask an agency for information")
    page.get_by_label("Which agency?").fill("Police")
    fill_date(page, "When is it needed by?", TODAY + timedelta(days=7))
    fill_date(page, "Date of the request", TODAY - timedelta(days=1))
    visit.submit("Send the request")
    visit.arrived("SI-PRIYA-1")
    expect(page.locator("#information + table")).to_contain_text("Waiting")
    visit.follow("Record information received")
    visit.arrived("Record information received")
    page.get_by_label("Police, due").check()
    page.get_by_label("What the agency sent (optional)").fill("Two call-outs; <i>none</i> "
                                                               "referred on.")
    fill_date(page, "Date it was received", TODAY)
    visit.submit("Record it as received")
    visit.arrived("SI-PRIYA-1")
    expect(page.locator("#information + table")).to_contain_text("Received")
    expect(page.locator("#information + table")).to_contain_text("<i>none</i> referred on")

    # The rapid review completed, then the decision on an LCSPR.
    visit.follow("Complete the rapid review")
    visit.arrived("Complete the rapid review")
    page.get_by_label("Findings").fill("Agencies did not share the referral.")
    page.get_by_label("Learning (optional)").fill("Share referrals the same day\n"
                                                  "Check the sibling's file")
    page.get_by_label("Yes").check()
    page.get_by_label("Why?").fill("Criteria met: serious harm, agencies could have worked "
                                   "better together.")
    fill_date(page, "Date it was completed", TODAY)
    visit.submit("Record the rapid review")
    visit.arrived("SI-PRIYA-1")
    expect(deadlines).to_contain_text("Complete the rapid review: Done in time")
    expect(page.locator("#rapid-review + dl")).to_contain_text("Check the sibling's file")

    visit.follow("Decide on an LCSPR")
    visit.arrived("Decide on an LCSPR")
    page.get_by_label("Yes").check()
    page.get_by_label("Why?").fill("The rapid review recommends it.")
    fill_date(page, "Date of the decision", TODAY)
    visit.submit("Record the decision")
    visit.arrived("Decide on an LCSPR")
    expect(page.locator("#reviewer-error")).to_contain_text(
        "A commissioned LCSPR needs a reviewer and a scope")
    expect(page.get_by_label("Why?")).to_have_value("The rapid review recommends it.")
    page.get_by_label("Reviewer (if commissioned)").fill("Independent reviewer A")
    page.get_by_label("Scope (if commissioned)").fill("Information sharing in the six months "
                                                      "before the incident")
    visit.submit("Record the decision")
    visit.arrived("SI-PRIYA-1")
    expect(page.locator("#lcspr + dl")).to_contain_text("Commissioned")

    visit.follow("Add a recommendation")
    visit.arrived("Add a recommendation")
    page.get_by_label("Recommendation").fill("Same-day sharing of referrals between police "
                                             "and children's social care")
    page.get_by_label("Which agency owns it?").fill("Police")
    fill_date(page, "When is it due?", TODAY + timedelta(days=60))
    fill_date(page, "Date it was made", TODAY)
    visit.submit("Add it")
    visit.arrived("SI-PRIYA-1")
    visit.follow("Record progress on a recommendation")
    visit.arrived("Record progress on a recommendation")
    page.get_by_label("REC-", exact=False).first.check()
    page.get_by_label("What was done?").fill("Protocol drafted & shared with the partners.")
    fill_date(page, "Date of the progress", TODAY)
    visit.submit("Record the progress")
    visit.arrived("SI-PRIYA-1")
    expect(page.locator("#recommendations ~ .govuk-summary-card")).to_contain_text(
        "Protocol drafted & shared")

    # An audit whose returns were due three days ago: asked, and chased by its cycle.
    visit.follow("Back to the register")
    visit.follow("Plan an audit")
    visit.arrived("Plan an audit")
    page.get_by_label("Audit reference").fill("MAPA-PRIYA-1")
    page.get_by_label("Theme").fill("Supervision of children in need")
    page.get_by_label("Multi-agency", exact=True).check()
    page.get_by_label("Multi-agency practice audit").check()
    page.get_by_label("Year of the audit plan").fill(str(TODAY.year))
    page.get_by_label("Agencies asked for a return").fill("Police\nHealth")
    page.get_by_label("How many cases?").fill("two")
    fill_date(page, "When are the returns due?", TODAY - timedelta(days=3))
    fill_date(page, "Date of the plan", TODAY - timedelta(days=20))
    visit.submit("Plan the audit")
    visit.arrived("Plan an audit")
    expect(page.locator("#sample_size-error")).to_contain_text("must be a whole number")
    expect(page.get_by_label("Agencies asked for a return")).to_have_value("Police\nHealth")
    page.get_by_label("How many cases?").fill("2")
    visit.submit("Plan the audit")
    visit.arrived("MAPA-PRIYA-1")
    returns = page.locator("#returns ~ table")
    for _ in range(30):
        if returns.locator("tbody tr", has_text="Not chased").count() == 0 \
                and returns.locator("tbody tr").count() == 2:
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(returns).to_contain_text("Overdue")
    expect(returns).not_to_contain_text("Not chased")  # each chased by the audit cycle
    visit.check()

    # The register, filtered (htmx swaps the results in place).
    visit.follow("Register")
    visit.arrived("Register of reviews and audits")
    page.get_by_label("Show").select_option("audit")
    page.get_by_role("button", name="Filter the register").click()
    expect(page.locator("#results")).not_to_contain_text("SI-PRIYA-1")
    expect(page.locator("#results")).to_contain_text("MAPA-PRIYA-1")
    expect(page).to_have_url(re.compile(r"kind=audit"))
    visit.check()

    # The scorecard, its charts in words, and the report as a PDF.
    visit.follow("Scorecard")
    visit.arrived("Quarterly scorecard")
    charts = page.locator("img.assured-chart")
    assert charts.count() == len(MEASURE_KEYS)  # a chart per measure
    visit.screenshot("4a-scorecard")
    for n in range(charts.count()):
        assert charts.nth(n).get_attribute("alt").startswith("Bar chart of ")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the quarterly report as a PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    assert "Panel notifications" in "".join(p.extract_text() for p in reader.pages)

    # The review's page, as it ends.
    visit.follow("Register")
    visit.follow("SI-PRIYA-1")
    visit.arrived("SI-PRIYA-1")
    expect(page.locator("main")).to_contain_text("LCSPR commissioned")
    visit.screenshot("4-practice-review")
