"""Journey 8: someone from the public tells the panel about a Safeguarder, with no sign-in, in
words a child can follow; the panel team finds it in its triage queue and attaches it to the
right Safeguarder as a concern, whose escalation starts.

Also: nothing on the public pages names anyone on the panel, and twenty quick submissions
from one address are throttled (only the hour's allowance is recorded)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import psycopg
from psycopg import sql
import pytest
from playwright.sync_api import expect

from tests.web.conftest import Visit
from tests.web.seeds import TODAY, Panel, months_ago

HOSTILE = 'She said "you\'re not listening" & left <b>early</b>\nThen she did not come back.'


@pytest.fixture(scope="module")
def panel(site: Any) -> dict[str, Any]:
    p = Panel(site, "pf", region="West")
    p.region_with_manager()
    rowan = p.appointed("Rowan Teale", months_ago(14))
    return {"panel": p, "rowan": rowan, "names": ["Rowan Teale", "Teale", p.manager_name]}


def test_a_child_tells_the_panel_of_a_worry_and_the_panel_team_attaches_it_as_a_concern(
        visit: Visit, panel: dict[str, Any]) -> None:
    page = visit.go("/tell-us")
    visit.arrived("Tell us about a Safeguarder")
    for name in panel["names"]:
        expect(page.locator("body")).not_to_contain_text(name)
    expect(page.locator("header")).not_to_contain_text("My work")  # no navigation

    page.get_by_label("A worry about what a Safeguarder did or how they behaved").check()
    page.get_by_label("I am a child or young person").check()
    page.get_by_label("What is the Safeguarder's name?").fill("Rowan, I think")
    visit.submit("Send")
    visit.arrived("Tell us about a Safeguarder")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tell us what you want to say")
    expect(page.get_by_label("What is the Safeguarder's name?")).to_have_value("Rowan, I think")
    expect(page.get_by_label("I am a child or young person")).to_be_checked()

    page.get_by_label("What do you want to tell us?").fill(HOSTILE)
    visit.submit("Send")
    visit.arrived("Thank you for telling us")
    expect(page.locator("main")).to_contain_text("within 5 working days")
    expect(page.locator("main")).to_contain_text("We take every worry seriously")
    expect(page.locator("body")).not_to_contain_text("Rowan")
    visit.screenshot("8a-public-form-thank-you")

    p: Panel = panel["panel"]
    assert p.admin  # the panel team admin's account
    page = visit.sign_in(f"pa-{p.tag}")
    mine = page.locator("tr", has_text="Feedback from the public (worry)")
    expect(mine.first).to_contain_text("due in 5 working days")
    visit.follow("Triage it")
    visit.arrived("A worry received")
    expect(page.locator("main")).to_contain_text("Rowan, I think")
    expect(page.locator(".assured-prose")).to_contain_text('<b>early</b>')
    expect(page.get_by_label("A concern (its escalation starts)")).to_be_checked()
    page.get_by_label("Which Safeguarder is it about?").select_option(panel["rowan"])
    visit.submit("Add it to the Safeguarder's file")
    visit.arrived("A worry received")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select what the concern is about")
    expect(page.get_by_label("Which Safeguarder is it about?")).to_have_value(panel["rowan"])
    page.get_by_label("Their behaviour").check()
    visit.submit("Add it to the Safeguarder's file")
    visit.arrived("Feedback from the public")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("attached")
    expect(page.locator("main")).to_contain_text("Nothing is waiting")
    expect(page.locator("tr", has_text="A worry").first).to_contain_text("as concern")
    visit.screenshot("8-triage")

    site = visit.site
    raised = [e for e in site.events(UUID(panel["rowan"]))
              if type(e).__name__ == "ConcernRaised"]
    assert len(raised) == 1
    assert raised[0].summary == HOSTILE  # as typed, its new line kept
    assert raised[0].occurred_on.date() == TODAY  # when the child told the panel
    visit.go(f"/app/safeguarders/{panel['rowan']}")
    visit.arrived("Rowan Teale")
    expect(page.locator("main")).to_contain_text("Their behaviour")


def test_no_public_page_names_anyone_on_the_panel(site: Any, panel: dict[str, Any]) -> None:
    """(Run before the throttle test: its refused form must not be throttled.)"""
    pages = [httpx.get(f"{site.url}{path}") for path in
             ("/tell-us", "/tell-us/thank-you", "/tell-us/thank-you?about=worry", "/sign-in")]
    with httpx.Client(base_url=site.url) as browser:  # a refused form, shown again
        token = browser.get("/tell-us").text.split('name="csrf_token" value="')[1].split('"')[0]
        pages.append(browser.post("/tell-us", data={"csrf_token": token, "about": "worry"}))
    assert [p.status_code for p in pages] == [200, 200, 200, 200, 422]
    for answer in pages:
        for name in panel["names"]:
            assert name not in answer.text


def test_twenty_quick_submissions_from_one_address_are_throttled(
        site: Any, panel: dict[str, Any]) -> None:
    before = _submissions(site)
    with httpx.Client(base_url=site.url, timeout=30) as browser:
        form = browser.get("/tell-us")
        assert form.status_code == 200
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        answers = [browser.post("/tell-us", data={
            "csrf_token": token, "about": "feedback", "submitter": "someone else",
            "safeguarder_named": "the one at school", "what_happened": f"Message {n}"})
            for n in range(20)]
    codes = [a.status_code for a in answers]
    allowed = site.settings.public_submissions_per_hour  # an hour, from one address
    sent = codes.count(303)  # the journey above sent one from this address already
    assert 0 < sent <= allowed < len(codes), codes
    assert codes == [303] * sent + [429] * (len(codes) - sent), codes
    assert "Please wait" in answers[-1].text
    assert not any(name in answers[-1].text for name in panel["names"])
    assert _submissions(site) - before == sent


def _submissions(site: Any) -> int:
    recorder = site.app.recorder
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    with psycopg.connect(site.settings.database_url.get_secret_value()) as conn:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE topic LIKE %s").format(table),
                           ("%PublicSubmission.Received",)).fetchone()
    return int(row[0]) if row else 0
