"""Journey 5: a supervisor and a practitioner, in the browser.

Sam supervises Kim's two cases. My cases lists the drifting one first (rated Amber, then Red),
each with the date of its last discussion and its RAG trend. Sam records a discussion on the
recording template (an action without its owner is refused, with everything typed kept), signs
it, raises a professional disagreement between the police and children's social care and
escalates it. Kim signs the record too, and sees it signed by both.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from domain.accounts import Role
from tests.web.conftest import Visit
from tests.web.seeds import NOW, TODAY
from tests.web.test_support_manager import fill_date

SUPERVISOR, PRACTITIONER = "su-sam5", "pr-kim5"
HOSTILE = '</textarea><script>alert(1)</script> Needs a "safe" bed & school place'


def _discussion(site: Any, who: dict[str, str], case: str, n: int, rag: str,
                days_ago: int) -> None:
    held = NOW - timedelta(days=days_ago)
    answer = site.post(
        f"/cases/{case}/record-discussion", who, discussion_id=f"D-SU5-{n}",
        supervisor=SUPERVISOR, supervisee=PRACTITIONER, needs="Stable placement",
        risks="Missing episodes", engagement="Engages with school", capacity_for_change="Some",
        plan="Weekly visits", rag=rag, actions=[],
        next_discussion_on=(held.date() + timedelta(days=28)).isoformat(),
        at=held.isoformat())
    assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def cases(site: Any) -> dict[str, str]:
    supervisor = site.who(Role.SUPERVISOR, SUPERVISOR)
    site.who(Role.PRACTITIONER, PRACTITIONER)
    made = {}
    for reference, status in (("C-SU5-0001", "child_protection"), ("C-SU5-0002",
                                                                   "looked_after")):
        answer = site.post("/cases", supervisor, child_reference=reference,
                           agency="Children's social care", practitioner=PRACTITIONER,
                           supervisor=SUPERVISOR, legal_status=status, risk="high",
                           nation="ENG", at=(NOW - timedelta(days=120)).isoformat())
        assert answer.status_code == 201, answer.text
        made[reference] = answer.json()["id"]
    _discussion(site, supervisor, made["C-SU5-0001"], 1, "G", 60)
    _discussion(site, supervisor, made["C-SU5-0002"], 2, "A", 70)
    _discussion(site, supervisor, made["C-SU5-0002"], 3, "R", 30)
    return made


def test_a_supervisor_records_and_signs_a_discussion_and_escalates_a_disagreement(
        visit: Visit, cases: dict[str, str]) -> None:
    page = visit.sign_in(SUPERVISOR)
    visit.follow("My cases")
    visit.arrived("My cases")
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_contain_text("C-SU5-0002")
    expect(rows.first).to_contain_text("Drifting")
    expect(rows.first.locator("td").nth(3).locator(".govuk-tag")).to_have_text(["Amber", "Red"])
    held = TODAY - timedelta(days=30)
    expect(rows.first).to_contain_text(f"{held.day} {held:%B %Y}")
    expect(rows.nth(1)).to_contain_text("C-SU5-0001")
    expect(rows.nth(1)).to_contain_text("Not drifting")

    visit.follow("C-SU5-0002")
    visit.arrived("C-SU5-0002")
    visit.follow("Record a supervision discussion")
    visit.arrived("Record a supervision discussion")
    page.get_by_label("The child's needs").fill(HOSTILE)
    page.get_by_label("Risks").fill("Two missing episodes since the last discussion")
    page.get_by_label("The family's engagement").fill("Mother attends core groups")
    page.get_by_label("Capacity for change").fill("Improving with support")
    page.get_by_label("The plan").fill("Placement review; return-home interviews")
    page.get_by_label("Amber: staying the same").check()
    page.get_by_label("Action 1: what is to be done (optional)").fill("Book the placement "
                                                                      "review")
    fill_date(page, "Action 1: due by", TODAY + timedelta(days=10))
    fill_date(page, "Date of the next discussion", TODAY + timedelta(days=27))
    fill_date(page, "Date of this discussion", TODAY - timedelta(days=1))
    visit.submit("Record the discussion")
    visit.arrived("Record a supervision discussion")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Action 1 needs who does it")
    expect(page.get_by_label("The child's needs")).to_have_value(HOSTILE)
    page.get_by_label("Action 1: who does it").fill(PRACTITIONER)
    visit.submit("Record the discussion")
    visit.arrived("C-SU5-0002")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("discussion was "
                                                                       "recorded")
    latest = page.locator("#discussions ~ .govuk-summary-card").first
    expect(latest).to_contain_text(HOSTILE)
    expect(latest).to_contain_text("Book the placement review, by pr-kim5")
    expect(latest).to_contain_text("Waiting for signatures")

    visit.follow("Sign a discussion record")
    visit.arrived("Sign a discussion record")
    page.get_by_role("radio").first.check()
    fill_date(page, "Date you signed it", TODAY)
    visit.submit("Sign it as accurate")
    visit.arrived("C-SU5-0002")
    expect(latest).to_contain_text("Signed by: su-sam5")

    visit.follow("Raise a professional disagreement")
    visit.arrived("Raise a professional disagreement")
    page.get_by_label("Between whom?").fill("Police, Children's social care")
    page.get_by_label("What is the disagreement about?").fill("Whether the missing episodes "
                                                              "meet the threshold <b>now</b>")
    fill_date(page, "Date it was raised", TODAY - timedelta(days=1))
    visit.submit("Raise the disagreement")
    visit.arrived("C-SU5-0002")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("escalation has started")
    visit.follow("Escalate a professional disagreement")
    visit.arrived("Escalate a professional disagreement")
    page.get_by_role("radio").first.check()
    page.get_by_label("Why escalate it?").fill("No agreement at the first meeting")
    fill_date(page, "Date it was escalated", TODAY)
    visit.submit("Escalate it")
    visit.arrived("C-SU5-0002")
    disagreement = page.locator("#disagreements ~ .govuk-summary-card").first
    expect(disagreement).to_contain_text("Stage 2")
    expect(disagreement).to_contain_text("threshold <b>now</b>")
    visit.sign_out()

    # The practitioner signs too.
    visit.sign_in(PRACTITIONER)
    visit.follow("My cases")
    visit.follow("C-SU5-0002")
    visit.arrived("C-SU5-0002")
    visit.follow("Sign a discussion record")
    visit.arrived("Sign a discussion record")
    page.get_by_role("radio").first.check()
    fill_date(page, "Date you signed it", TODAY)
    visit.submit("Sign it as accurate")
    visit.arrived("C-SU5-0002")
    expect(page.locator("#discussions ~ .govuk-summary-card").first).to_contain_text(
        "Signed by both")
    visit.screenshot("5-supervision")
    visit.follow("Back to my cases")
    visit.arrived("My cases")
    trend = page.locator("main table tbody tr", has_text="C-SU5-0002").locator("td").nth(3)
    expect(trend.locator(".govuk-tag")).to_have_text(["Amber", "Red", "Amber"])
