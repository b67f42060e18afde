"""The web pages in a real browser: Debian's Chromium driven by Playwright, against the whole
system (PostgreSQL, the Temporal dev server, a worker, the projection runner and the web
application under uvicorn), all started here once for the session and stopped after it.

Each test gets a fresh browser context (no cookies) on the shared browser. `Visit` wraps the
page: every page a test reaches is checked with axe-core (injected from npm's `axe-core`): a
serious or critical violation fails the test, and so does any message the browser logs about
the Content-Security-Policy. The results of every page checked are written to
docs/screenshots/axe-results.md at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from eventsourcing.cryptography import AESCipher

from domain.accounts import Role
from domain.application import Assured
from infra.settings import Settings
from infra.store import event_store_env
from tests.accounts import PASSWORD
from tests.e2e.conftest import System
from tests.servers import background_worker, projection_runner, temporal_dev_server, web_server

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
BLOCKING = {"serious", "critical"}


def ensure_chromium() -> str:
    """Debian's Chromium, installed where it is missing (Playwright's own download cannot run
    here)."""
    if not os.path.exists(CHROMIUM):
        apt = shutil.which("apt-get")
        assert apt, "Chromium is missing and apt-get is not here to install it"
        subprocess.run([apt, "update"], check=True, capture_output=True)
        subprocess.run([apt, "install", "-y", "chromium"], check=True, capture_output=True)
    return CHROMIUM


def ensure_npm_packages() -> None:
    """GOV.UK Frontend, htmx and axe-core, as `npm ci` installs them (make test runs it first)."""
    if not AXE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True,
                       capture_output=True)


@pytest.fixture(scope="session")
def web_database(postgres: tuple[str, Path]) -> str:
    """The browser tests' database, migrated as production is, as the application's role."""
    from infra.migrations import prepare_embedded

    admin_url, _ = postgres
    return prepare_embedded(admin_url, f"web_{uuid.uuid4().hex[:12]}", None).app


@pytest.fixture(scope="session")
def site(web_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    """The whole system, once for every browser test."""
    ensure_npm_packages()
    data_dir = tmp_path_factory.mktemp("web")
    key = AESCipher.create_key(num_bytes=32)
    with temporal_dev_server(data_dir / "temporal") as temporal:
        settings = Settings(database_url=web_database, encryption_key=key, data_dir=data_dir,
                            web_assets_dir=ROOT / "node_modules",
                            **temporal)  # type: ignore[arg-type]
        app = Assured(event_store_env(web_database, key, settings.snapshot_interval,
                                      settings.record_cache_size), policy=settings.policy)
        try:
            with background_worker(settings, app) as running, projection_runner(app), \
                    web_server(running, app) as url, \
                    httpx.Client(base_url=url, timeout=60) as http:
                yield System(url, running, app, http)
        finally:
            app.close()


@dataclass
class AxeLog:
    """Every page axe checked, with what it found, by impact."""

    pages: list[dict[str, Any]] = field(default_factory=list)

    def write(self) -> None:
        if not self.pages:
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        lines = ["# axe-core results of the browser tests", "",
                 "Written by tests/web at the end of each run: every page a journey reached, "
                 "checked with axe-core (WCAG 2.0, 2.1 and 2.2, levels A and AA).", "",
                 "| test | page | title | critical | serious | moderate | minor | rules |",
                 "|---|---|---|---|---|---|---|---|"]
        ran = {p["test"] for p in self.pages}
        rows = [line for line in self._earlier() if line.split(" | ")[0][2:] not in ran]
        for p in self.pages:
            counts = p["counts"]
            rows.append(f"| {p['test']} | `{p['path']}` | {p['title']} | "
                        f"{counts.get('critical', 0)} | {counts.get('serious', 0)} | "
                        f"{counts.get('moderate', 0)} | {counts.get('minor', 0)} | "
                        f"{', '.join(p['rules'])} |")
        rows.sort(key=lambda line: line.split(" | ")[0])  # by test, each in its page order
        (SCREENSHOTS / "axe-results.md").write_text("\n".join(lines + rows) + "\n")

    @staticmethod
    def _earlier() -> list[str]:
        """The rows of tests that did not run this time (a run of one file keeps the rest)."""
        written = SCREENSHOTS / "axe-results.md"
        if not written.exists():
            return []
        return [line if line.count(" | ") >= 8 else line + " |"  # rows from before "rules"
                for line in written.read_text().splitlines() if line.startswith("| test_")]


@pytest.fixture(scope="session")
def axe_log() -> Iterator[AxeLog]:
    found = AxeLog()
    yield found
    found.write()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, for one module's tests. (Playwright's sync API runs an event loop in this
    thread while it is open: held for the session, it would be running still when the
    asynchronous tests that follow start theirs.)"""
    from playwright.sync_api import sync_playwright

    executable = ensure_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Visit:
    """A person's browser tab: every page reached is checked (axe, the CSP) on arrival."""

    def __init__(self, page: Any, site: System, test: str, log: AxeLog) -> None:
        self.page, self.site, self.test, self.log = page, site, test, log
        self.csp_messages: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_messages.append(text)

    def go(self, path: str) -> Any:
        self.page.goto(self.site.url + path)
        return self.page

    def arrived(self, heading: str) -> Any:
        """The page whose main heading is `heading`, checked."""
        from playwright.sync_api import expect

        expect(self.page.locator("main h1").first).to_contain_text(heading)
        self.check()
        return self.page

    def submit(self, name: str) -> Any:
        """Press the button `name` and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=name).click()
        return self.page

    def follow(self, name: str, exact: bool = False) -> Any:
        """Follow the link `name` and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=exact).first.click()
        return self.page

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate("""async () => {
            const found = await axe.run(document, {runOnly: {type: 'tag', values:
                ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
            return found.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }""")
        counts: dict[str, int] = {}
        for violation in result:
            counts[violation["impact"] or "minor"] = counts.get(violation["impact"] or "minor",
                                                               0) + 1
        path = self.page.url.removeprefix(self.site.url).split("?")[0]
        self.log.pages.append({"test": self.test, "path": path,
                               "title": self.page.title().removesuffix(" – Assured"),
                               "counts": counts,
                               "rules": sorted({f"{v['id']} ({v['impact']})" for v in result})})
        blocking = [v for v in result if v["impact"] in BLOCKING]
        assert not blocking, f"axe found on {path}: {blocking}"
        assert not self.csp_messages, f"the CSP refused something on {path}: {self.csp_messages}"

    def sign_in(self, username: str, password: str = PASSWORD) -> Any:
        self.go("/sign-in")
        self.arrived("Sign in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        code = security_code(self.site, username)
        if code:
            self.page.get_by_label("Security code").fill(code)
        self.submit("Sign in")
        return self.arrived("My work")

    def sign_out(self) -> Any:
        self.submit("Sign out")
        return self.arrived("Sign in")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def visit(browser: Any, site: System, axe_log: AxeLog,
          request: pytest.FixtureRequest) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB",
                                  timezone_id="Europe/London")
    context.set_default_timeout(20_000)
    try:
        yield Visit(context.new_page(), site, request.node.name, axe_log)
    finally:
        context.close()


def security_code(site: System, username: str) -> str | None:
    """The code the person's authenticator shows now, where their account has a second factor
    (panel team admins, auditors and operations staff must)."""
    import pyotp

    from domain.accounts import Account

    secret = site.app.load(Account.create_id(username), Account).second_factor
    return pyotp.TOTP(secret).now() if secret else None


def account(site: System, username: str, role: Role, region: str | None = None) -> str:
    """An account to sign in with (its password is `PASSWORD`); returns the username."""
    site.who(role, username, region)
    return username
