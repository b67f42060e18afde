"""Journey 9: an agency answers what is asked of it, in the browser.

The sub-group (through the API) notifies a serious incident and asks the police and health for
information, and plans an audit asking both for their returns. Sam answers for the police: My
work lists the two things asked of the police; on "What we are asked" Sam sends the police's
information (refused when empty, with the date kept) and the police's return; each shows as
answered. The review itself, health's request and the register are not Sam's to see (403 and
404 pages), and nothing of health's shows anywhere. The sub-group sees the police's answer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from api.auth import Principal
from domain.accounts import Role
from tests.accounts import signed_in
from tests.web.conftest import Visit
from tests.web.seeds import NOW, TODAY
from tests.web.test_support_manager import fill_date

HOSTILE = '<img src=x onerror=alert(1)> Two call-outs to the address & "no" referral'
POLICE = "ag-sam-police"
POLICE_FORCE = "Thames Valley Police"  # its own name: other journeys ask "Police" of theirs


def agency_account(site: Any, username: str, agency: str) -> dict[str, str]:
    """An agency contributor's account (password `PASSWORD`) and its API headers."""
    return signed_in(site.app, site.settings,
                     Principal(username, Role.AGENCY_CONTRIBUTOR, agency=agency))


@pytest.fixture(scope="module")
def asked(site: Any) -> dict[str, Any]:
    chair = site.who(Role.PRACTICE_REVIEW_MEMBER, "prm-agency")
    practitioner = site.who(Role.PRACTITIONER, "pr-agency")
    case = site.post("/cases", practitioner, child_reference="C-AG-9",
                     agency="Children's social care", practitioner="pr-agency",
                     supervisor="su-agency", legal_status="child_in_need", risk="high",
                     nation="ENG", at=(NOW - timedelta(days=30)).isoformat())
    assert case.status_code == 201, case.text
    review = site.post("/reviews", chair, reference="SI-AGENCY-1",
                       referrer="Health visitor", category="serious_incident",
                       summary="Health's own account: not for the police to read",
                       nation="ENG", review_type="rapid_review",
                       became_aware_on=(TODAY - timedelta(days=3)).isoformat(),
                       at=(NOW - timedelta(days=2)).isoformat())
    assert review.status_code == 201, review.text
    review_id = review.json()["id"]
    for agency in (POLICE_FORCE, "Health"):
        asks = site.post(f"/reviews/{review_id}/request-agency-information", chair,
                         request_id=f"info-{agency.split()[-1].lower()}", agency=agency,
                         due_on=(TODAY + timedelta(days=6)).isoformat(),
                         at=(NOW - timedelta(days=1)).isoformat())
        assert asks.status_code == 200, asks.text
    audit = site.post("/audits", chair, reference="MAPA-AGENCY-1",
                      theme="Information sharing", dimension="multi_agency",
                      audit_type="multi_agency_practice", year=TODAY.year,
                      agencies=[POLICE_FORCE, "Health"], sample_size=1,
                      returns_due=(TODAY + timedelta(days=12)).isoformat(),
                      at=(NOW - timedelta(days=4)).isoformat())
    assert audit.status_code == 201, audit.text
    audit_id = audit.json()["id"]

    def returns_requested() -> bool:
        answer = site.http.get(f"/audits/{audit_id}", headers=chair)
        return bool(answer.json().get("returns"))

    site.until(returns_requested, timeout=60)
    agency_account(site, POLICE, POLICE_FORCE.lower())  # as an account may spell it
    return {"review": review_id, "audit": audit_id, "chair": chair}


def test_an_agency_answers_what_it_is_asked_and_sees_nothing_else(
        visit: Visit, asked: dict[str, Any]) -> None:
    page = visit.sign_in(POLICE)
    work = page.locator("main")
    expect(work).to_contain_text("Information for a rapid review")
    expect(work).to_contain_text("Your return to a multi-agency audit")
    expect(work).not_to_contain_text("Health")

    visit.follow("What we are asked")
    visit.arrived("What your agency is asked")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("Health")

    # The rapid review's request: refused when empty (the date kept), then sent.
    visit.follow("Answer to SI-AGENCY-1")
    visit.arrived("Send the information asked for")
    expect(page.locator("main")).not_to_contain_text("not for the police to read")
    fill_date(page, "Date you are sending it", TODAY - timedelta(days=1))
    visit.submit("Send the information")
    visit.arrived("Send the information asked for")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what your agency knows")
    expect(page.get_by_role("group", name="Date you are sending it").get_by_label("Day")
           ).to_have_value(str((TODAY - timedelta(days=1)).day))
    page.get_by_label("What your agency knows").fill(HOSTILE)
    visit.submit("Send the information")
    visit.arrived("What your agency is asked")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your information was "
                                                                       "sent")
    expect(rows.filter(has_text="Information for a rapid review")).to_contain_text("Answered")

    # The audit's return.
    visit.follow("Answer to MAPA-AGENCY-1")
    visit.arrived("Send your agency's return")
    page.get_by_role("group", name="How do you grade the supervision in your agency's "
                     "cases?").get_by_label("Good").check()
    page.get_by_role("group", name="How do you grade management oversight?").get_by_label(
        "Requires improvement").check()
    page.get_by_label("Your evidence for these grades").fill("Six files read; supervision "
                                                             "recorded in five.")
    fill_date(page, "Date of the return", TODAY)
    visit.submit("Send the return")
    visit.arrived("What your agency is asked")
    expect(rows.filter(has_text="multi-agency audit")).to_contain_text("Answered")
    visit.screenshot("9-agency-contributor")

    # What is not addressed to the police: the record itself, health's request, the register.
    visit.go(f"/app/reviews/{asked['review']}")
    visit.arrived("You cannot do this")
    visit.go(f"/app/agency/reviews/{asked['review']}/info-health")
    visit.arrived("Page not found")
    visit.go("/app/register")
    visit.arrived("You cannot do this")

    # The sub-group sees the police's answer, as typed.
    review = visit.site.http.get(f"/reviews/{asked['review']}", headers=asked["chair"]).json()
    assert review["requests"]["info-police"]["information"] == HOSTILE
    assert review["requests"]["info-health"]["received_on"] is None
