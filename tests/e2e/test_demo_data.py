"""`assured up --demo`'s data set, loaded once through the running system's HTTP door (uvicorn,
the worker and the projection runner), then read back as the people it made would read it:
the lists count what the issue asks for, every process is in a believable state, a second load
records nothing, and the web pages show the demo data."""

from __future__ import annotations

import re
import stat
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from markupsafe import escape
from eventsourcing.cryptography import AESCipher

from api.auth import COOKIE, WITH_SECOND_FACTOR, Principal, issue_token
from api.cli.demo_data import AUDITOR, CHAIR, CREDENTIALS, MANAGERS, PEOPLE, TEAMS, load_demo
from domain.application import Assured
from infra.migrations import prepare_embedded
from infra.settings import Settings
from infra.store import event_store_env
from tests.e2e.conftest import System
from tests.servers import background_worker, projection_runner, web_server


@dataclass
class Loaded:
    system: System
    loaded: bool
    said: list[str]
    seconds: float


@pytest.fixture(scope="module")
def demo(postgres: tuple[str, Any], temporal_server: dict[str, object],
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    roles = prepare_embedded(postgres[0], f"t_{uuid.uuid4().hex[:12]}", None)
    key = AESCipher.create_key(num_bytes=32)
    settings = Settings(database_url=roles.app, encryption_key=key,
                        data_dir=tmp_path_factory.mktemp("demo-data"),
                        **temporal_server)  # type: ignore[arg-type]
    app = Assured(event_store_env(roles.app, key, settings.snapshot_interval,
                                  settings.record_cache_size), policy=settings.policy)
    try:
        with background_worker(settings, app) as running, projection_runner(app), \
                web_server(running, app) as url, httpx.Client(base_url=url, timeout=60) as http:
            said: list[str] = []
            started = time.monotonic()
            loaded = load_demo(url, running, app, said.append)
            yield Loaded(System(url, running, app, http), loaded, said,
                         time.monotonic() - started)
    finally:
        app.close()


def token(demo: Loaded, username: str) -> dict[str, str]:
    """A demo person's token, as signing in with both factors gives it."""
    p = next(p for p in PEOPLE if p.username == username)
    who = Principal(p.username, p.role, p.region, p.agency)
    return {"Authorization": "Bearer "
            f"{issue_token(who, demo.system.settings, amr=WITH_SECOND_FACTOR)}"}


def settled(demo: Loaded, path: str, who: str, check: Any, **params: Any) -> Any:
    """The answer of `path` once `check` holds of it (the read tables follow the log)."""
    headers = token(demo, who)

    def read() -> Any:
        answer = demo.system.http.get(path, headers=headers, params=params)
        assert answer.status_code == 200, f"{path}: {answer.text}"
        found = answer.json()
        return found if check(found) else None

    return demo.system.until(read, timeout=60)


def test_the_demo_loads_once_with_its_accounts_in_a_private_file(demo: Loaded) -> None:
    assert demo.loaded is True
    print(f"\nthe demo data loaded in {demo.seconds:.1f} s: " + " | ".join(demo.said))
    where = demo.system.settings.data_dir / CREDENTIALS
    assert any(str(where) in line for line in demo.said)
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    text = where.read_text()
    assert all(p.username in text for p in PEOPLE)
    uris = [line for line in text.splitlines() if line.strip().startswith("otpauth://")]
    assert len(uris) == 4  # the admin, auditor, ops and data protection officer
    assert not any("@example.org" in line for line in demo.said), "no personal data said"


def test_the_panel_has_three_regions_six_managers_and_forty_safeguarders_at_every_stage(
        demo: Loaded) -> None:
    regions = settled(demo, "/regions", AUDITOR.username, lambda r: len(r) == 3)
    assert sorted(len(r["support_managers"]) for r in regions) == [2, 2, 2]
    listed = settled(demo, "/safeguarders", AUDITOR.username, lambda r: r["total"] == 40,
                     limit=100)
    stages = {s["status"] for s in listed["items"]}
    assert stages == {"applicant", "interviewed", "pre-appointment assessed", "not appointed",
                      "appointed", "in re-appointment review", "appointment ended",
                      "resigned", "removed"}, stages
    assert any("'" in s["name"] for s in listed["items"])
    assert any(re.search("[éèëíóúáøöü]", s["name"]) for s in listed["items"])
    managers = {m.username for pair in MANAGERS.values() for m in pair}
    assert {s["support_manager"] for s in listed["items"]} - {None} == managers


def test_sixty_cases_some_drifting(demo: Loaded) -> None:
    cases = settled(demo, "/cases", AUDITOR.username, lambda r: r["total"] == 60, limit=100)
    assert sum(c["closed_on"] is not None for c in cases["items"]) == 5
    drifting = sum(len(settled(demo, "/supervision/drift", team[0].username, lambda r: True))
                   for team in TEAMS)
    assert 5 <= drifting <= 20, drifting


def test_reviews_open_and_closed_one_breached_and_an_audit_in_progress(demo: Loaded) -> None:
    entries = settled(demo, "/register", CHAIR.username,
                      lambda r: len(r) >= 6 and any(e["breaches"] for e in r))
    by_reference = {e["reference"]: e for e in entries}
    assert by_reference["SI-R-0117"]["status"] == by_reference["SI-R-0142"]["status"] == "closed"
    breached = by_reference["SI-R-0163"]
    assert breached["status"] != "closed" and breached["breaches"], breached
    assert not by_reference["SI-R-0171"]["breaches"]
    [audit] = [e for e in entries if e["reference"].startswith("MAPA-")]
    state = settled(demo, f"/audits/{audit['entry_id']}", CHAIR.username, lambda r: True)
    returns = state["returns"]
    submitted = {agency for agency, r in returns.items() if r.get("submitted_on")}
    assert submitted == {"Police", "Health"}, returns
    assert all(r.get("chased_on") for r in returns.values())
    assert state["stage"] == "returns_requested"


def test_the_last_quarters_scorecard_has_its_leads_narratives(demo: Loaded) -> None:
    cycles = [line for line in demo.said if "assurance" in line]
    assert cycles
    listed = demo.system.http.get("/register", headers=token(demo, CHAIR.username)).json()
    assert listed
    quarter = _last_finished_quarter()
    card = settled(demo, f"/scorecard/{quarter}", CHAIR.username,
                   lambda r: sum(bool(m["narrative"]) for m in r["measures"]) == 6)
    narrated = {m["key"]: m["narrative_by"] for m in card["measures"] if m["narrative"]}
    assert set(narrated.values()) == {"daniel.mensah"}, narrated


def _last_finished_quarter() -> str:
    from datetime import UTC, date, datetime, timedelta

    today = datetime.now(UTC).date()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    while True:
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
        ended = date(year + (quarter == 4), (quarter * 3) % 12 + 1, 1)
        if ended + timedelta(days=60) <= today:
            return f"{year}Q{quarter}"


def test_the_web_pages_show_the_demo_data(demo: Loaded) -> None:
    password = demo.system.settings.data_dir.joinpath(CREDENTIALS).read_text().split(
        "\n")[2].strip()
    manager = MANAGERS["East"][0].username
    with httpx.Client(base_url=demo.system.url, timeout=60) as browser:
        signed = browser.post("/auth/login", data={"username": manager, "password": password})
        assert signed.status_code == 204, signed.text
        page = browser.get("/app/my-work")
        assert page.status_code == 200 and "Support session" in page.text, page.text[:2000]
        mine = browser.get("/app/safeguarders")
        assert mine.status_code == 200
    theirs = demo.system.http.get("/safeguarders", headers=token(demo, AUDITOR.username),
                                  params={"support_manager": manager}).json()["items"]
    serving = [s["name"] for s in theirs if s["status"] in ("appointed",
                                                             "in re-appointment review")]
    assert serving and all(str(escape(name)) in mine.text for name in serving), serving
    chair = token(demo, CHAIR.username)["Authorization"].removeprefix("Bearer ")
    with httpx.Client(base_url=demo.system.url, timeout=60,
                      cookies={COOKIE: chair}) as browser:  # the cookie sign-in sets
        register = browser.get("/app/register")
    assert register.status_code == 200 and "SI-R-0163" in register.text, register.text[:500]


def test_a_second_load_records_nothing(demo: Loaded) -> None:
    before = demo.system.app.recorder.max_notification_id()
    said: list[str] = []
    assert load_demo(demo.system.url, demo.system.settings, demo.system.app,
                     said.append) is False
    assert said == [] and demo.system.app.recorder.max_notification_id() == before
