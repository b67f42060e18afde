"""What every page and form promises, over plain HTTP against the running system:

- a form posted without its CSRF token (or with another visitor's) is refused with 403 and
  records nothing;
- a refused form keeps everything that was typed, and names the rule next to its field;
- the security headers are on every page (every GET route of the web pages, signed in and not,
  found or not) and on the assets;
- a page view of a record is in the access log, as an API read is.
"""

from __future__ import annotations

from markupsafe import escape
import re
import uuid
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from api.access import viewers
from api.auth import COOKIE, WITH_SECOND_FACTOR, Principal, issue_token
from api.web.pages import PAGE_ROUTERS
from domain.accounts import Role
from tests.web.seeds import TODAY, Panel, months_ago

HOSTILE = '<img src=x onerror=alert(1)> "Notes" & more'


@pytest.fixture(scope="module")
def seeded(site: Any) -> dict[str, Any]:
    p = Panel(site, "fh", region="North")
    p.region_with_manager()
    sid = p.appointed("Morgan Hale", months_ago(4))
    return {"panel": p, "safeguarder": sid}


def browser_of(site: Any, username: str, role: Role, region: str | None = None) -> httpx.Client:
    """A visitor signed in as `username` (the session cookie sign-in sets)."""
    site.who(role, username, region)
    token = issue_token(Principal(username, role, region), site.settings,
                        amr=WITH_SECOND_FACTOR)
    return httpx.Client(base_url=site.url, cookies={COOKIE: token}, timeout=30)


def token_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def event_count(site: Any, record_id: str) -> int:
    """The record's events given by people (its process goes on adding its own steps)."""
    return sum(not str(e.actor).startswith("process:") for e in site.events(UUID(record_id)))


def test_a_form_posted_without_its_csrf_token_is_refused_and_records_nothing(
        site: Any, seeded: dict[str, Any]) -> None:
    p, sid = seeded["panel"], seeded["safeguarder"]
    path = f"/app/safeguarders/{sid}/support-session"
    day = TODAY - timedelta(days=3)
    body = {"when-day": str(day.day), "when-month": str(day.month), "when-year": str(day.year),
            "notes": "Posted from another site"}
    before = event_count(site, sid)
    with browser_of(site, p.manager_name, Role.SUPPORT_MANAGER, p.region) as manager:
        token = token_of(manager.get(path))
        missing = manager.post(path, data=body)
        forged = manager.post(path, data={**body, "csrf_token": token[::-1]})
        with httpx.Client(base_url=site.url, timeout=30) as other:  # another visitor's token
            stolen = token_of(other.get("/sign-in"))
        theirs = manager.post(path, data={**body, "csrf_token": stolen})
    for refused in (missing, forged, theirs):
        assert refused.status_code == 403, refused.text
        assert "nothing was recorded" in refused.text
    assert event_count(site, sid) == before

    with httpx.Client(base_url=site.url, timeout=30) as visitor:
        assert visitor.post("/sign-in", data={"username": p.manager_name,
                                              "password": "x"}).status_code == 403
        assert visitor.post("/tell-us", data={"about": "worry"}).status_code == 403


def test_a_refused_form_keeps_what_was_typed_and_names_the_rule(
        site: Any, seeded: dict[str, Any]) -> None:
    p, sid = seeded["panel"], seeded["safeguarder"]
    path = f"/app/safeguarders/{sid}/support-session"
    before = event_count(site, sid)
    with browser_of(site, p.manager_name, Role.SUPPORT_MANAGER, p.region) as manager:
        token = token_of(manager.get(path))
        # Dated before the Safeguarder's record was opened: the domain's rule refuses it.
        refused = manager.post(path, data={"csrf_token": token, "when-day": "3",
                                           "when-month": "2", "when-year": "2001",
                                           "notes": HOSTILE})
        future = TODAY + timedelta(days=10)
        early = manager.post(path, data={"csrf_token": token, "when-day": str(future.day),
                                         "when-month": str(future.month),
                                         "when-year": str(future.year), "notes": HOSTILE})
    assert refused.status_code == 422
    assert "There is a problem" in refused.text and "govuk-error-summary" in refused.text
    assert "A fact cannot be dated before its record was opened" in refused.text
    assert 'href="#when-day"' in refused.text  # the summary links to the field
    assert str(escape(HOSTILE)) in refused.text  # kept, and escaped
    assert HOSTILE not in refused.text
    for name, value in (("when-day", "3"), ("when-month", "2"), ("when-year", "2001")):
        assert re.search(rf'name="{name}"[^>]*value="{value}"', refused.text), name
    assert early.status_code == 422
    assert "must be today or in the past" in early.text
    assert str(escape(HOSTILE)) in early.text
    assert event_count(site, sid) == before


def _page_paths(sid: str) -> list[str]:
    """Every GET route of the web pages, its ids filled in (a real Safeguarder's where the
    route is a Safeguarder's; elsewhere an id of no record, which must answer a page too)."""
    paths = []
    for router in PAGE_ROUTERS:
        for route in router.routes:
            if "GET" not in getattr(route, "methods", set()):
                continue
            path = route.path  # type: ignore[attr-defined]
            record = sid if path.startswith(("/app/safeguarders/", "/app/records/")) \
                else str(uuid.uuid4())
            paths.append(path.replace("{kind}", "safeguarder").replace("{record_id}", record))
    return sorted(set(paths))


def _check_page_headers(answer: httpx.Response) -> None:
    where = f"{answer.request.method} {answer.request.url.path} ({answer.status_code})"
    policy = answer.headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("frame-ancestors") == ["'none'"], where
    scripts = directives.get("script-src", directives.get("default-src", []))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert answer.headers.get("x-content-type-options") == "nosniff", where
    assert "no-store" in answer.headers.get("cache-control", ""), where


def test_the_security_headers_are_on_every_page(site: Any, seeded: dict[str, Any]) -> None:
    p, sid = seeded["panel"], seeded["safeguarder"]
    paths = _page_paths(sid)
    assert len(paths) > 15
    visitors = [browser_of(site, p.manager_name, Role.SUPPORT_MANAGER, p.region),
                browser_of(site, "auditor-fh", Role.AUDITOR),
                httpx.Client(base_url=site.url, timeout=30)]
    seen: dict[int, int] = {}
    try:
        for visitor in visitors:
            for path in paths:
                answer = visitor.get(path)
                _check_page_headers(answer)
                seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
            refused = visitor.post("/app/group-sessions", data={})  # no token: a 403 page
            assert refused.status_code == 403
            _check_page_headers(refused)
    finally:
        for visitor in visitors:
            visitor.close()
    assert seen.get(200, 0) > 10, seen  # most pages opened, not only refusals
    asset = httpx.get(f"{site.url}/assets/govuk-frontend/govuk-frontend.min.css")
    assert asset.status_code == 200
    assert asset.headers.get("x-content-type-options") == "nosniff"
    assert "frame-ancestors 'none'" in asset.headers.get("content-security-policy", "")


def test_a_page_view_of_a_record_is_in_the_access_log(site: Any,
                                                      seeded: dict[str, Any]) -> None:
    p, sid = seeded["panel"], seeded["safeguarder"]
    with browser_of(site, p.manager_name, Role.SUPPORT_MANAGER, p.region) as manager:
        assert manager.get(f"/app/safeguarders/{sid}").status_code == 200
        assert manager.get(f"/app/safeguarders/{sid}/evidence-pack").status_code == 200
    routes = {v["route"] for v in viewers(site.app, UUID(sid)) if v["by"] == p.manager_name}
    assert {"/app/safeguarders/{record_id}",
            "/app/safeguarders/{record_id}/evidence-pack"} <= routes
