"""Journey 1: a person signs in, lands on My work, and signs out; a wrong password is refused
in words, with the name kept."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from domain.accounts import Role
from tests.web.conftest import Visit, account


def test_a_person_signs_in_lands_on_my_work_and_signs_out(visit: Visit) -> None:
    name = account(visit.site, "auditor-ann", Role.AUDITOR)
    page = visit.go("/app/my-work")
    visit.arrived("Sign in")  # not signed in: sent to sign in

    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill("not the password")
    visit.submit("Sign in")
    visit.arrived("Sign in")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The username or password is not right")
    expect(page.get_by_label("Username")).to_have_value(name)

    visit.sign_in(name)
    expect(page.get_by_role("navigation")).to_contain_text("Find a record")
    cookie = next(c for c in page.context.cookies() if c["name"] == "assured_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    visit.sign_out()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out")
    replayed = httpx.get(f"{visit.site.url}/app/my-work", cookies={cookie["name"]:
                                                                   cookie["value"]})
    assert replayed.status_code == 303 and replayed.headers["location"] == "/sign-in"  # revoked
    assert not [c for c in page.context.cookies() if c["name"] == "assured_session"]
    visit.screenshot("1-sign-in-and-out")
    visit.go("/app/my-work")
    visit.arrived("Sign in")
