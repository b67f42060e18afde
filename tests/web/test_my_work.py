"""Journey 2: My work, for every role. Each person signs in and lands on what the processes ask
of them now, with its due date (in working days) and whether it is overdue, and follows its
link to where it is done:

- a support manager: a Safeguarder's support session, overdue since the first year ended;
- the panel team admin: a Safeguarder with no support manager yet, and a message from the
  public to triage;
- the mentoring coordinator: the peer mentoring sessions due;
- a supervisor: a child in need's supervision discussion, overdue;
- a practitioner: an action agreed in supervision, overdue;
- a member of the practice review sub-group: a referral's next statutory deadline;
- an auditor and operations staff: nothing is asked of them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from domain.accounts import Role
from tests.web.conftest import Visit
from tests.web.seeds import NOW, TODAY, Panel, at, months_ago


@pytest.fixture(scope="module")
def work(site: Any) -> dict[str, Any]:
    p = Panel(site, "mw", region="West")
    p.region_with_manager()
    assert p.coordinator
    skye = p.appointed("Skye Rennie", months_ago(13))
    ailsa = p.appointed("Ailsa Drummond", TODAY - timedelta(days=20), allocate=False)

    practitioner = site.who(Role.PRACTITIONER, "pr-mw")
    supervisor = site.who(Role.SUPERVISOR, "su-mw")
    case = p.post("/cases", practitioner, child_reference="C-MW-0101", agency="Health",
                  practitioner="pr-mw", supervisor="su-mw", legal_status="child_in_need",
                  risk="medium", nation="ENG", at=at(TODAY - timedelta(days=200)))["id"]
    held = TODAY - timedelta(days=120)
    p.post(f"/cases/{case}/record-discussion", supervisor, discussion_id="D-MW-1",
           supervisor="su-mw", supervisee="pr-mw", needs="School attendance", risks="Neglect",
           engagement="Good", capacity_for_change="Some", plan="Weekly visits", rag="A",
           actions=[{"action_id": "A-MW-1", "description": "Book the health visit",
                     "owner": "pr-mw", "due": (held + timedelta(days=14)).isoformat()}],
           next_discussion_on=(held + timedelta(days=28)).isoformat(), at=at(held))

    reviewer = site.who(Role.PRACTICE_REVIEW_MEMBER, "prm-mw")
    review = p.post("/reviews", reviewer, reference="SI-MW-2026-1", referrer="Police",
                    category="serious_incident", summary="A child was seriously harmed.",
                    nation="ENG", review_type="rapid_review",
                    became_aware_on=(TODAY - timedelta(days=2)).isoformat(),
                    at=NOW.isoformat())["id"]
    site.who(Role.AUDITOR, "au-mw")
    site.who(Role.OPS, "ops-mw")
    return {"panel": p, "skye": skye, "ailsa": ailsa, "case": case, "review": review}


def row(page: Any, *texts: str) -> Any:
    found = page.locator("main tbody tr")
    for text in texts:
        found = found.filter(has_text=text)
    return found.first


def test_my_work_shows_each_role_what_is_asked_of_it_and_where_to_do_it(
        visit: Visit, work: dict[str, Any]) -> None:
    page = visit.sign_in("sm-mw")
    session = row(page, "Support session", "Skye Rennie")
    expect(session.locator(".govuk-tag")).to_have_text("Overdue")
    expect(session).to_contain_text("working days late (due ")
    expect(page.locator("main")).not_to_contain_text("Ailsa Drummond")  # not theirs
    visit.screenshot("2-my-work-support-manager")
    with page.expect_navigation():
        session.get_by_role("link", name="Record the support session").click()
    visit.arrived("Record a support session")
    expect(page.locator(".govuk-caption-l")).to_have_text("Skye Rennie")
    visit.sign_out()

    page = visit.sign_in("pa-mw")
    allocate = row(page, "Support manager", "Ailsa Drummond")
    expect(allocate).to_contain_text("due")
    with page.expect_navigation():
        allocate.get_by_role("link").click()
    visit.arrived("Ailsa Drummond")
    visit.sign_out()

    page = visit.sign_in("mc-mw")
    mentoring = row(page, "Peer mentoring session", "Skye Rennie")
    expect(mentoring.locator(".govuk-tag")).to_have_text("Overdue")
    with page.expect_navigation():
        mentoring.get_by_role("link", name="Record the mentoring session").click()
    visit.arrived("Record a peer mentoring session")
    visit.sign_out()

    page = visit.sign_in("su-mw")
    discussion = row(page, "Supervision discussion (child in need)")
    expect(discussion).to_contain_text("Case in Health")
    expect(discussion.locator(".govuk-tag")).to_have_text("Overdue")
    expect(discussion).to_contain_text("working days late")
    with page.expect_navigation():
        discussion.get_by_role("link", name="Open the case").click()
    visit.arrived("C-MW-0101")
    visit.sign_out()

    page = visit.sign_in("pr-mw")
    action = row(page, "A-MW-1")
    expect(action.locator(".govuk-tag")).to_have_text("Overdue")
    expect(page.locator("main")).not_to_contain_text("Supervision discussion")
    visit.sign_out()

    page = visit.sign_in("prm-mw")
    deadline = row(page, "SI-MW-2026-1")
    expect(deadline).to_contain_text("due")
    expect(deadline).to_contain_text("working day")
    visit.screenshot("2-my-work-practice-review")
    with page.expect_navigation():
        deadline.get_by_role("link", name="Open the record").click()
    visit.arrived("SI-MW-2026-1")
    visit.sign_out()

    for quiet in ("au-mw", "ops-mw"):
        page = visit.sign_in(quiet)
        expect(page.locator("main")).to_contain_text("Nothing is asked of you")
        visit.sign_out()
