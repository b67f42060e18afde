"""An agency contributor through the API: it answers what is addressed to its own agency, and
everything else is 404 (records it was never asked about) or 403 (the records that ask it,
their other commands, their history, any list). A refused answer records nothing.

The review and the audit are made on the application directly (the API tests run no worker),
so the agency's commands run on the records themselves, as they do once a process has ended.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.auth import WITH_SECOND_FACTOR, Principal, issue_token
from domain.accounts import Role
from domain.application import Assured
from domain.audit_commands import PlanAudit, RequestReturns, SelectCasesAtRandom
from domain.case_commands import OpenCase
from domain.review_commands import Refer, RequestAgencyInformation
from infra.settings import Settings
from tests.accounts import signed_in

NOW = datetime.now(UTC).replace(microsecond=0)
YESTERDAY = NOW - timedelta(days=1)


def agency_headers(app: Assured, settings: Settings, agency: str, name: str) -> dict[str, str]:
    """Signed in as an agency contributor of `agency` (the account made on first use)."""
    return signed_in(app, settings, Principal(name, Role.AGENCY_CONTRIBUTOR, agency=agency))


def _review(app: Assured, reference: str, *agencies: str) -> Any:
    made = app.execute(Refer(reference=reference, referrer="Children's social care",
                             category="serious_incident", summary="A child was harmed.",
                             nation="ENG", review_type="rapid_review",
                             became_aware_on=(NOW - timedelta(days=3)).date(), by="prm-1",
                             at=NOW - timedelta(days=2)))
    review_id = made.aggregate_id
    for agency in agencies:
        app.execute(RequestAgencyInformation(
            record_id=review_id, request_id=f"req-{agency.lower()}", agency=agency,
            due_on=NOW.date() + timedelta(days=5), by="prm-1", at=YESTERDAY))
    return review_id


@pytest.fixture
def world(app: Assured, settings: Settings) -> dict[str, Any]:
    asks_police = _review(app, "SI-AG-1", "Police", "Health")
    asks_health = _review(app, "SI-AG-2", "Health")
    audit = app.execute(PlanAudit(
        reference="MAPA-AG-1", theme="Supervision", dimension="multi_agency",
        audit_type="multi_agency_practice", year=NOW.year, agencies=("Police", "Health"),
        sample_size=1, returns_due=NOW.date() + timedelta(days=10), by="prm-1",
        at=NOW - timedelta(days=5))).aggregate_id
    case = app.execute(OpenCase(child_reference="C-AG-1", agency="Children's social care",
                                practitioner="pr-1", supervisor="su-1",
                                legal_status="child_in_need", risk="medium", nation="ENG",
                                by="pr-1", at=NOW - timedelta(days=30))).aggregate_id
    app.execute(SelectCasesAtRandom(record_id=audit, population=(str(case),), seed=7,
                                    by="process:audit-cycle", at=NOW - timedelta(days=5)))
    app.execute(RequestReturns(record_id=audit, by="process:audit-cycle",
                               at=NOW - timedelta(days=4)))
    return {"asks_police": asks_police, "asks_health": asks_health, "audit": audit,
            "police": agency_headers(app, settings, "police", "ag-police")}


def test_an_agency_answers_what_it_is_asked_and_reads_nothing(
    client: TestClient, app: Assured, world: dict[str, Any],
    headers: Callable[..., dict[str, str]],
) -> None:
    police, review = world["police"], world["asks_police"]
    for path in (f"/reviews/{review}", f"/history/review/{review}",
                 f"/audits/{world['audit']}"):
        assert client.get(path, headers=police).status_code == 403, path
    for path in (f"/reviews/{world['asks_health']}", "/reviews/" + "0" * 8 + "-0000-0000-0000-"
                 + "0" * 12):
        assert client.get(path, headers=police).status_code == 404, path
    for listed in ("/register", "/cases", "/safeguarders", f"/scorecard/{NOW.year}Q1"):
        assert client.get(listed, headers=police).status_code == 403, listed

    # Another agency's request, or another command on the review: 403, nothing recorded.
    before = len(app.stored_events(review))
    health = client.post(f"/reviews/{review}/receive-agency-information", headers=police,
                         json={"request_id": "req-health", "information": "Not ours to send",
                               "at": NOW.isoformat()})
    assert health.status_code == 403
    asks = client.post(f"/reviews/{review}/request-agency-information", headers=police,
                       json={"request_id": "req-x", "agency": "Police",
                             "due_on": (NOW.date() + timedelta(days=3)).isoformat(),
                             "at": NOW.isoformat()})
    assert asks.status_code == 403
    hidden = client.post(f"/reviews/{world['asks_health']}/receive-agency-information",
                         headers=police, json={"request_id": "req-health",
                                               "at": NOW.isoformat()})
    assert hidden.status_code == 404
    assert len(app.stored_events(review)) == before

    sent = client.post(f"/reviews/{review}/receive-agency-information", headers=police,
                       json={"request_id": "req-police", "information": "Two call-outs.",
                             "at": NOW.isoformat()})
    assert sent.status_code == 200, sent.text
    seen = client.get(f"/reviews/{review}", headers=headers(Role.PRACTICE_REVIEW_MEMBER))
    assert seen.json()["requests"]["req-police"]["information"] == "Two call-outs."

    # An audit's return: its own agency's only.
    audit = world["audit"]
    body = {"supervision_grade": "good", "oversight_grade": "requires_improvement",
            "evidence": "Six files read.", "at": NOW.isoformat()}
    assert client.post(f"/audits/{audit}/submit-return", headers=police,
                       json={**body, "agency": "Health"}).status_code == 403
    assert client.post(f"/audits/{audit}/moderate", headers=police,
                       json={"notes": "x", "at": NOW.isoformat()}).status_code == 403
    returned = client.post(f"/audits/{audit}/submit-return", headers=police,
                           json={**body, "agency": "Police"})
    assert returned.status_code == 200, returned.text


def test_the_agency_is_the_accounts_not_the_tokens(
    client: TestClient, app: Assured, settings: Settings, world: dict[str, Any],
) -> None:
    """A token naming another agency for the police's account answers only for the police."""
    forged = Principal("ag-police", Role.AGENCY_CONTRIBUTOR, agency="Health")
    headers = {"Authorization": f"Bearer {issue_token(forged, settings, amr=WITH_SECOND_FACTOR)}"}
    review = world["asks_police"]
    answer = client.post(f"/reviews/{review}/receive-agency-information", headers=headers,
                         json={"request_id": "req-health", "at": NOW.isoformat()})
    assert answer.status_code == 403
    assert client.get(f"/reviews/{world['asks_health']}", headers=headers).status_code == 404


def test_an_agency_contributors_account_names_its_agency(app: Assured) -> None:
    from api.auth import hash_password
    from domain.accounts import CreateAccount
    from domain.errors import RuleBroken

    with pytest.raises(RuleBroken, match="names their agency"):
        app.create_account(CreateAccount(username="ag-none", role=Role.AGENCY_CONTRIBUTOR,
                                         password_hash=hash_password("pw"), by="test",
                                         at=NOW))
    made = app.create_account(CreateAccount(username="ag-health", role=Role.AGENCY_CONTRIBUTOR,
                                            agency="Health", password_hash=hash_password("pw"),
                                            by="test", at=NOW))
    assert made.record.agency == "Health"
