"""Journey 3: a support manager's year, in the browser.

Jo Reid supports five Safeguarders in the East. She finds them on My Safeguarders, each with
where the appointment stands, what is overdue and due this month, and the year's requirements
in words; opens a file (every section); records a support session and the two reports sampled
at it (a report sampled twice is refused, with what she typed kept); a peer mentoring session;
feedback; a concern (its escalation starts); a group session of four (a fifth is refused); and,
for the Safeguarder in re-appointment review whose first two years fell short, the
recommendation to Ministers: refused without an exception reason, recorded with one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from playwright.sync_api import expect

from domain.accounts import Role
from tests.web.conftest import Visit
from tests.web.seeds import TODAY, Panel, months_ago

HOSTILE = '<script>alert("x")</script> Spoke about "drift" & delay'


@pytest.fixture(scope="module")
def panel(site: Any) -> dict[str, Any]:
    p = Panel(site, "jo")
    p.region_with_manager()
    ids = {
        "alex": p.appointed("Alex Morgan", months_ago(33)),     # in re-appointment review
        "bea": p.appointed("Bea Lindsay", TODAY - timedelta(days=70)),  # first year
        "cal": p.appointed("Cal Fraser", months_ago(7)),
        "dee": p.appointed("Dee Stewart", months_ago(8)),
        "eve": p.appointed("Eve Munro", months_ago(9)),
    }
    p.mentor_for(ids["bea"], TODAY - timedelta(days=60))
    p.until_in_review(ids["alex"])
    return {"panel": p, **ids}


def fill_date(page: Any, legend: str, day: Any) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_support_manager_records_the_year_and_recommends_with_an_exception(
        visit: Visit, panel: dict[str, Any]) -> None:
    page = visit.sign_in(panel["panel"].manager_name)
    expect(page.locator("main")).to_contain_text("Recommendation to Ministers")

    visit.follow("Safeguarders")
    visit.arrived("My Safeguarders")
    alex = page.locator(".govuk-summary-card", has_text="Alex Morgan")
    expect(alex).to_contain_text("In re-appointment review")
    expect(alex).to_contain_text("Shortfall")
    expect(alex.locator(".govuk-tag", has_text="Overdue").first).to_be_visible()
    expect(page.locator(".govuk-summary-card")).to_have_count(5)
    visit.screenshot("3a-my-safeguarders")

    # Bea's file, every section.
    visit.follow("Bea Lindsay")
    visit.arrived("Bea Lindsay")
    for section in ("Details", "What is due", "Appointment years", "Terms", "Allocations",
                    "Support sessions", "Sampled reports", "Group sessions", "Peer mentoring",
                    "Feedback", "Concerns", "Evidence against the Practice Standards",
                    "Shortfalls recorded", "Shortfalls withdrawn"):
        expect(page.get_by_role("heading", name=section, exact=True)).to_be_visible()

    # A support session, then the two reports sampled at it.
    held = TODAY - timedelta(days=3)
    visit.follow("Record a support session")
    visit.arrived("Record a support session")
    fill_date(page, "Date of the session", held)
    page.get_by_label("Notes (optional)").fill(HOSTILE)
    visit.submit("Record the session")
    visit.arrived("Bea Lindsay")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("support session")
    expect(page.locator("#support-sessions + table")).to_contain_text(f"{held.day} ")

    for reference, lands_on in (("R-2026-014", "Bea Lindsay"), ("R-2026-015", "Bea Lindsay"),
                                ("R-2026-014", "Record a sampled report")):
        visit.follow("Record a report sampled at a support session")
        visit.arrived("Record a sampled report")
        page.get_by_label("Support session it was discussed at").select_option(index=1)
        page.get_by_label("Report reference").fill(reference)
        fill_date(page, "Date it was discussed", held)
        page.get_by_label("What was discussed (optional)").fill("Clarity of the views of "
                                                                 "the child")
        visit.submit("Record the report")
        visit.arrived(lands_on)
    # The same report twice in a year: refused, with what was typed kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A report is sampled once in an appointment year")
    expect(page.locator("#report_ref-error")).to_contain_text("sampled once")
    expect(page.get_by_label("Report reference")).to_have_value("R-2026-014")
    expect(page.get_by_label("What was discussed (optional)")).to_have_value(
        "Clarity of the views of the child")
    visit.follow("Cancel")
    visit.arrived("Bea Lindsay")
    expect(page.locator("#sampled-reports + table tbody tr")).to_have_count(2)

    # Peer mentoring, feedback and a concern.
    visit.follow("Record a peer mentoring session")
    visit.arrived("Record a peer mentoring session")
    fill_date(page, "Date of the session", TODAY - timedelta(days=2))
    visit.submit("Record the session")
    visit.arrived("Bea Lindsay")
    expect(page.locator("#mentoring + table")).to_contain_text("Mentoring session")

    visit.follow("Record feedback")
    visit.arrived("Record feedback")
    visit.submit("Record the feedback")  # nothing chosen
    visit.arrived("Record feedback")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who gave the feedback")
    page.get_by_label("Child or young person").check()
    page.get_by_label("Positive").check()
    page.get_by_label("What did they say?").fill("She listened to me and wrote down what I "
                                                  "wanted.")
    fill_date(page, "Date it was given", TODAY - timedelta(days=1))
    visit.submit("Record the feedback")
    visit.arrived("Bea Lindsay")
    expect(page.locator("#feedback + table")).to_contain_text("She listened to me")

    visit.follow("Raise a concern")
    visit.arrived("Raise a concern")
    page.get_by_label("Their behaviour").check()
    page.get_by_label("What is the concern?").fill("Arrived late to two hearings without "
                                                    "telling the family.")
    fill_date(page, "Date it was raised", TODAY)
    visit.submit("Raise the concern")
    visit.arrived("Bea Lindsay")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("escalation has started")
    expect(page.locator("#concerns + table")).to_contain_text("Not resolved yet")
    concern = _escalation_of(visit, panel["bea"])
    assert concern.startswith(f"escalation-{panel['bea']}-C-"), concern

    # A group session of four; a fifth is refused by the session's own rule.
    visit.follow("Group sessions")
    visit.arrived("Group sessions")
    page.get_by_label("Reference for the session").fill("GS-EAST-JO-1")
    fill_date(page, "Date of the session", TODAY - timedelta(days=5))
    visit.submit("Plan the session")
    visit.arrived("GS-EAST-JO-1")
    for name in ("Alex Morgan", "Bea Lindsay", "Cal Fraser", "Dee Stewart", "Eve Munro"):
        page.get_by_label("Safeguarder who attended").select_option(label=name)
        visit.submit("Add to the session")
        visit.arrived("GS-EAST-JO-1")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A group session holds at most four Safeguarders")
    expect(page.locator("main")).to_contain_text("4 of at most 4")

    # Alex's evidence pack and the recommendation with an exception reason.
    visit.follow("Safeguarders")
    visit.follow("Alex Morgan")
    visit.arrived("Alex Morgan")
    visit.follow("Re-appointment evidence pack")
    visit.arrived("Re-appointment evidence pack")
    expect(page.locator("main")).to_contain_text("0 individual support session(s) of 1")
    visit.follow("Make the recommendation")
    visit.arrived("Make the recommendation to Ministers")
    expect(page.locator("main")).to_contain_text("not met in year 1, 2")
    page.get_by_label("Yes").check()
    page.get_by_label("Your reasons").fill("Strong feedback from families; reports are clear.")
    visit.submit("Make the recommendation")
    visit.arrived("Make the recommendation to Ministers")
    expect(page.locator("#exception_reason-error")).to_contain_text("unless an exception reason")
    expect(page.get_by_label("Your reasons")).to_have_value(
        "Strong feedback from families; reports are clear.")
    visit.screenshot("3b-recommendation-refused")
    page.get_by_label("Exception reason").fill("Long illness in years 1 and 2, now recovered; "
                                               "sessions booked.")
    visit.submit("Make the recommendation")
    visit.arrived("Re-appointment evidence pack")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("recommendation")
    expect(page.locator("main")).to_contain_text("Re-appoint")
    expect(page.locator("main")).to_contain_text("Long illness in years 1 and 2")
    visit.screenshot("3-support-manager")


def _escalation_of(visit: Visit, safeguarder: str) -> str:
    """The escalation process the concern started, as operations staff see it."""
    ops = visit.site.who(Role.OPS, "ops-jo")

    def found() -> str | None:
        answer = visit.site.http.get("/ops/workflows", headers=ops,
                                     params={"workflow_type": "EscalationWorkflow"})
        assert answer.status_code == 200, answer.text
        return next((w["workflow_id"] for w in answer.json()
                     if w["workflow_id"].startswith(f"escalation-{safeguarder}")), None)

    return str(visit.site.until(found))


def test_a_file_view_is_in_the_access_log(visit: Visit, panel: dict[str, Any]) -> None:
    from projections.access_log import AccessLog
    from projections.runner import Runner

    visit.sign_in(panel["panel"].manager_name)
    visit.go(f"/app/safeguarders/{panel['cal']}")
    visit.arrived("Cal Fraser")
    runner = Runner(visit.site.app, [AccessLog()])
    runner.catch_up(runner.projections[0])
    from projections.access_log import viewers

    with runner.connect(autocommit=True) as conn:
        seen = viewers(conn, UUID(panel["cal"]))
    assert ("sm-jo", "/app/safeguarders/{record_id}") in [(by, route) for by, _, route in seen]
