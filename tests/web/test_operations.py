"""Journey 7: operations staff, in the browser.

Omar watches the processes. A rapid review has asked health for information that was due three
days ago; an audit asking for more cases than there are has failed
its case selection. Omar lists the processes by type and state (htmx swaps the results), sees
the overdue deadline and the failure, opens the failed audit cycle (with its link into the
Temporal UI) and retries it with a reason; a cancel of it is refused in words (it has ended),
with the reason kept; then he terminates the rapid review with a reason and sees it terminated.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from domain.accounts import Role
from tests.web.conftest import Visit
from tests.web.seeds import NOW, TODAY

OPS = "ops-omar"
REASON = 'Referral entered in error <script>alert(1)</script> & "duplicate"'


@pytest.fixture(scope="module")
def watched(site: Any) -> dict[str, str]:
    chair = site.who(Role.PRACTICE_REVIEW_MEMBER, "prm-omar")
    site.who(Role.OPS, OPS)
    review = site.post("/reviews", chair, reference="SI-OMAR-1", referrer="Police",
                       category="serious_incident", summary="Late referral", nation="ENG",
                       review_type="rapid_review",
                       became_aware_on=(TODAY - timedelta(days=21)).isoformat(),
                       at=(NOW - timedelta(days=12)).isoformat())
    assert review.status_code == 201, review.text
    asked = site.post(f"/reviews/{review.json()['id']}/request-agency-information", chair,
                      request_id="info-omar", agency="Health",
                      due_on=(TODAY - timedelta(days=3)).isoformat(),
                      at=(NOW - timedelta(days=10)).isoformat())
    assert asked.status_code == 200, asked.text
    audit = site.post("/audits", chair, reference="MAPA-OMAR-1", theme="Too many cases",
                      dimension="multi_agency", audit_type="multi_agency_practice",
                      year=TODAY.year, agencies=["Police"], sample_size=5000,
                      returns_due=(TODAY + timedelta(days=20)).isoformat(),
                      at=(NOW - timedelta(days=2)).isoformat())
    assert audit.status_code == 201, audit.text
    ops = site.who(Role.OPS, OPS)
    audit_flow = audit.json()["workflow"]

    def failed() -> bool:
        answer = site.http.get(f"/ops/workflows/{audit_flow}", headers=ops)
        return answer.json()["status"] == "failed"

    site.until(failed, timeout=60)
    return {"review": review.json()["workflow"], "audit": audit_flow}


def test_operations_staff_find_overdue_and_failing_processes_and_intervene(
        visit: Visit, watched: dict[str, str]) -> None:
    page = visit.sign_in(OPS)
    visit.follow("Processes")
    visit.arrived("Processes")

    # Rapid reviews, running: this one's information from health is overdue.
    page.get_by_label("Type").select_option("RapidReviewWorkflow")
    page.get_by_label("State").select_option("running")
    page.get_by_role("button", name="Show the processes").click()
    review = page.locator("#results tbody tr", has_text=watched["review"])
    expect(review).to_contain_text("Overdue")
    expect(review).to_contain_text("Information from Health")
    expect(review).to_contain_text("Running")
    expect(page).to_have_url(re.compile(r"type=RapidReviewWorkflow&state=running"))
    visit.check()

    # Failures: the audit cycle whose selection was refused.
    page.get_by_label("Type").select_option("")
    page.get_by_label("State").select_option("failed")
    page.get_by_role("button", name="Show the processes").click()
    audit = page.locator("#results tbody tr", has_text=watched["audit"])
    expect(audit).to_contain_text("The process failed")
    visit.check()
    with page.expect_navigation():
        audit.get_by_role("link").click()
    visit.arrived(watched["audit"])
    ui = page.get_by_role("link", name="Open this process in the Temporal UI")
    assert watched["audit"] in (ui.get_attribute("href") or "")

    page.get_by_label("Retry what is failing").check()
    page.get_by_label("Why?").fill("Selection retried after the population was checked")
    visit.submit("Record the intervention")
    visit.arrived(watched["audit"])
    expect(page.locator(".govuk-notification-banner")).to_contain_text("retry was made")

    # The retried run fails again; cancelling an ended process is refused, the reason kept.
    site = visit.site
    ops = site.who(Role.OPS, OPS)
    site.until(lambda: site.http.get(f"/ops/workflows/{watched['audit']}",
                                     headers=ops).json()["status"] != "running", timeout=60)
    page.reload()
    page.get_by_label("Cancel (the process may tidy up first)").check()
    page.get_by_label("Why?").fill(REASON)
    visit.submit("Record the intervention")
    visit.arrived(watched["audit"])
    expect(page.locator(".govuk-error-summary")).to_contain_text("there is nothing to cancel")
    expect(page.get_by_label("Why?")).to_have_value(REASON)

    # Terminate the rapid review, with the reason recorded.
    visit.go(f"/app/processes/{watched['review']}")
    visit.arrived(watched["review"])
    page.get_by_label("Terminate at once").check()
    page.get_by_label("Why?").fill(REASON)
    visit.submit("Record the intervention")
    visit.arrived(watched["review"])
    expect(page.locator(".govuk-notification-banner")).to_contain_text("terminated")
    expect(page.locator("main dl").first).to_contain_text("Terminated")
    visit.screenshot("7-operations")

    from domain.operations import Intervention

    log = site.app.load(Intervention.create_id(watched["review"]), Intervention)
    assert [(i["action"], i["reason"], i["by"]) for i in log.actions] == [
        ("terminate", REASON, OPS)]
    retried = site.app.load(Intervention.create_id(watched["audit"]), Intervention)
    assert [i["action"] for i in retried.actions] == ["retry"]  # the refused cancel: none
