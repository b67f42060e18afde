"""The other data subjects, through the doors people use (HTTP under uvicorn, with the worker
and the projection runner running, and the `assured` command): a person who gave feedback
about a Safeguarder, and a child's case with the actions agreed about the child.

A grandparent tells the panel about a Safeguarder through the public form, and the panel team
attaches it as feedback; a support manager takes down a teacher's feedback too. The
grandparent asks to be erased: their words are found everywhere first (the positive control:
events, read tables, the Safeguarder's history PDF, their own export), then nowhere; the
Safeguarder's record is otherwise unchanged, the teacher's words stay, and the chain verifies.
Under legal hold the teacher cannot be erased. A case's agreed actions carry a canary that the
case's erasure leaves nowhere.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import psycopg

from domain.accounts import Role
from domain.subjects import ERASED
from tests.e2e.conftest import System, iso
from tests.e2e.test_erasure import (
    apply,
    cli,
    decoded_text,
    pdf_text,
    people_s_facts,
    stored_events,
    verify,
)

# Hostile text: quotes, markup, a right-to-left run, a new line; each with its canary.
GRANNY = "GRAN-QX93 said \"she's <b>kind</b>\" \u05e9\u05dc\u05d5\u05dd\nand listened"
GRANNY_MAIL = "gran-qx93@example.org"
GRANNY_NAMED = "the one called QX93-NAMED"
TEACHER = "TEACH-KP18 wrote: 'clear reports' & <i>on time</i>"
ACTION = "ACT-ZW44 visit <script>alert(1)</script> O'Brien \u05e9\u05dc\u05d5\u05dd & co"
CANARIES = ("GRAN-QX93", "gran-qx93", "QX93-NAMED")
ADMIN = "panel-admin-jo"


def ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def tell_us(system: System, what: str, reply_to: str, named: str) -> UUID:
    """The public form, as a browser sends it (no sign-in; its CSRF token from the page)."""
    with httpx.Client(base_url=system.url, timeout=30) as browser:
        form = browser.get("/tell-us")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        sent = browser.post("/tell-us", data={
            "csrf_token": token, "about": "feedback", "submitter": "family member or carer",
            "safeguarder_named": named, "what_happened": what, "reply_to": reply_to})
    assert sent.status_code == 303, sent.text
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        row = conn.execute("SELECT originator_id FROM assured_events WHERE topic LIKE "
                           "'%PublicSubmission.Received' ORDER BY notification_id DESC "
                           "LIMIT 1").fetchone()
    assert row is not None
    return UUID(str(row[0]))


def attach(system: System, submission: UUID, safeguarder: UUID) -> None:
    """The panel team admin's triage page, as a browser posts it (session cookie, CSRF)."""
    from api.auth import COOKIE, WITH_SECOND_FACTOR, Principal, issue_token

    system.who(Role.PANEL_ADMIN, ADMIN)
    cookie = issue_token(Principal(ADMIN, Role.PANEL_ADMIN, None), system.settings,
                         amr=WITH_SECOND_FACTOR)
    path = f"/app/submissions/{submission}"
    with httpx.Client(base_url=system.url, cookies={COOKIE: cookie}, timeout=30) as browser:
        page = system.until(lambda: (lambda p: p if str(safeguarder) in p.text else None)(
            browser.get(path)))
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        sent = browser.post(f"{path}/attach", data={
            "csrf_token": token, "safeguarder_id": str(safeguarder), "attached_as": "feedback",
            "source": "family", "tone": "positive", "summary": GRANNY})
    assert sent.status_code == 303, sent.text


def fresh(system: System) -> Any:
    """Another process's application on the same store (no cached keys or records)."""
    from domain.application import Assured
    from infra.store import event_store_env

    s = system.settings
    return Assured(event_store_env(s.database_url.get_secret_value(),  # type: ignore[union-attr]
                                   s.encryption_key.get_secret_value(), 0, 0))  # type: ignore[union-attr]


def feedback_rows(system: System, safeguarder: UUID) -> list[tuple[Any, ...]]:
    """The Safeguarder's file's feedback rows and evidence items, opened."""
    from projections.sealing import unseal

    cipher = system.app.mapper.cipher
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        rows = conn.execute("SELECT version, giver_id, summary FROM safeguarder_feedback "
                            "WHERE safeguarder_id = %s ORDER BY version",
                            (safeguarder,)).fetchall()
        items = conn.execute("SELECT version, giver_id, detail FROM evidence_item WHERE "
                             "safeguarder_id = %s AND kind = 'feedback' ORDER BY version",
                             (safeguarder,)).fetchall()
    return [(v, g, unseal(cipher, s)) for v, g, s in rows + items]  # type: ignore[arg-type]


def submission_rows(system: System, submission: UUID) -> int:
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        row = conn.execute("SELECT count(*) FROM public_submission WHERE submission_id = %s",
                           (submission,)).fetchone()
    return int(row[0]) if row else 0


def test_erasing_the_person_who_gave_feedback_erases_their_words_alone(
        system: System) -> None:
    admin = system.who(Role.PANEL_ADMIN, ADMIN)
    officer = system.who(Role.DATA_PROTECTION_OFFICER, "dpo-1")
    safeguarder = apply(system, admin, "Morven-SG61", "sg61-mail", "07700 900461", "SG61-C")
    submission = tell_us(system, GRANNY, GRANNY_MAIL, GRANNY_NAMED)
    # The panel team attaches it on the triage page: the feedback names its giver.
    attach(system, submission, safeguarder)
    teacher = system.post(f"/safeguarders/{safeguarder}/record-feedback", admin,
                          source="professional", tone="positive", summary=TEACHER,
                          at=iso(ago(10)))
    assert teacher.status_code == 200, teacher.text
    given = [e for e in system.events(safeguarder) if type(e).__name__ == "FeedbackReceived"]
    assert given[0].giver_id == submission
    teacher_id = given[1].giver_id
    assert teacher_id not in (None, submission)
    # A made-up giver is refused, and nothing is recorded.
    people = people_s_facts(system, safeguarder)  # (its processes go on noting their steps)
    made_up = system.post(f"/safeguarders/{safeguarder}/record-feedback", admin,
                          source="family", tone="positive", summary="x",
                          giver_id=str(safeguarder), at=iso(ago(5)))
    assert made_up.status_code == 409 and "person who gave it" in made_up.json()["detail"]
    assert people_s_facts(system, safeguarder) == people

    # The positive control: the grandparent's words are wherever they are held.
    assert system.until(lambda: len(feedback_rows(system, safeguarder)) == 4)
    assert [r[2] for r in feedback_rows(system, safeguarder)] == [GRANNY, TEACHER] * 2
    assert system.until(lambda: submission_rows(system, submission) == 1)
    assert all(c in decoded_text(system) for c in CANARIES)
    history_pdf = f"/history/safeguarder/{safeguarder}?format=pdf"
    assert "GRAN-QX93" in pdf_text(system, admin, history_pdf)
    export = system.http.get(f"/subjects/feedback-giver/{submission}/access", headers=officer)
    assert export.status_code == 200, export.text
    exported = json.dumps(export.json(), ensure_ascii=False)
    assert all(c in exported for c in CANARIES) and "TEACH-KP18" not in exported
    assert "Morven-SG61" not in exported and ADMIN not in exported  # other people: redacted
    def state() -> dict[str, Any]:
        """The Safeguarder's record as people made it (its processes go on noting steps)."""
        found = system.http.get(f"/safeguarders/{safeguarder}", headers=admin).json()
        return {k: found[k] for k in ("name", "contact", "region", "status", "feedback")}

    state_before = state()
    before = stored_events(system)

    # Someone who governs no subject may not erase; the panel team admin may.
    denied = system.post(f"/subjects/feedback-giver/{submission}/erase",
                         system.who(Role.SUPPORT_MANAGER, "sm-east", "East"), grounds="x")
    assert denied.status_code in (403, 404)
    done = system.post(f"/subjects/feedback-giver/{submission}/erase", admin,
                       grounds="Art. 17 request by the grandparent, received 2026-11-20")
    assert done.status_code == 200, done.text
    erased_at = done.json()["notification_id"]

    after = stored_events(system)
    assert {n: after[n] for n in before} == before, "no stored byte changed"
    assert verify(system)[0] == 0, verify(system)[1]
    text = decoded_text(system)
    assert not any(c in text for c in CANARIES) and ERASED in text
    assert "TEACH-KP18" in text and "Morven-SG61" in text and "SG61-C" in text
    system.http.get(f"/safeguarders/{safeguarder}/file", headers=admin,
                    params={"after": erased_at})  # (waits for the read models)
    assert system.until(lambda: [r[2] for r in feedback_rows(system, safeguarder)]
                        == [ERASED, TEACHER] * 2)
    assert submission_rows(system, submission) == 0
    shown = pdf_text(system, admin, history_pdf)
    assert "GRAN-QX93" not in shown and "TEACH-KP18" in shown and ERASED in shown
    own = system.http.get(f"/subjects/feedback-giver/{submission}/access?format=pdf",
                          headers=officer)
    assert own.status_code == 200
    assert state() == state_before, "the Safeguarder's record is otherwise unchanged"
    again = system.post(f"/safeguarders/{safeguarder}/record-feedback", admin,
                        source="family", tone="positive", summary="more",
                        giver_id=str(submission), at=iso(ago(1)))
    assert again.status_code == 409 and "erased" in again.json()["detail"]

    # The teacher, under legal hold, is not erased (nor by the command line); then lifted, is.
    held = system.post(f"/subjects/feedback-giver/{teacher_id}/legal-hold", officer,
                       grounds="Inquiry 2026/7: preserve the panel's files")
    assert held.status_code == 200, held.text
    refused = system.post(f"/subjects/feedback-giver/{teacher_id}/erase", officer,
                          grounds="request")
    assert refused.status_code == 409 and "legal hold" in refused.json()["detail"]
    by_cli = cli(system, "erase", "feedback-giver", str(teacher_id), "--reason", "request",
                 "--by", "dpo-1")
    assert by_cli.exit_code == 1 and "legal hold" in by_cli.output
    assert "TEACH-KP18" in decoded_text(system)
    assert cli(system, "legal-hold", "lift", "feedback-giver", str(teacher_id), "--reason",
               "Inquiry closed", "--by", "dpo-1").exit_code == 0
    assert cli(system, "erase", "feedback-giver", str(teacher_id), "--reason", "request",
               "--by", "dpo-1").exit_code == 0
    # (another process, the command line, erased it: this one holds its cached key a minute at
    # most; a reader starting now has none)
    text = decoded_text(System(system.url, system.settings, fresh(system), system.http))
    assert "TEACH-KP18" not in text and "Morven-SG61" in text
    assert verify(system)[0] == 0


def test_erasing_a_case_erases_the_texts_of_its_agreed_actions_everywhere(
        system: System) -> None:
    jo, sam = system.who(Role.PRACTITIONER, "pr-jo"), system.who(Role.SUPERVISOR, "su-sam")
    officer = system.who(Role.DATA_PROTECTION_OFFICER, "dpo-1")
    opening = {"agency": "Children's social care", "practitioner": "pr-jo",
               "supervisor": "su-sam", "legal_status": "child_in_need", "risk": "medium",
               "nation": "ENG"}
    cases = []
    for reference, text in (("CSC-2026-ZW44", ACTION), ("CSC-2026-KEEP", "KEEP-ACT-77 call")):
        made = system.post("/cases", jo, at=iso(ago(90)), child_reference=reference,
                           **(opening | ({"agency": "Health"} if cases else {})))
        assert made.status_code == 201, made.text
        case = UUID(made.json()["id"])
        discussed = system.post(
            f"/cases/{case}/record-discussion", sam, at=iso(ago(80)), discussion_id="D-1",
            supervisor="su-sam", supervisee="pr-jo", needs="school", risks="neglect",
            engagement="mother engages", plan="early help", capacity_for_change="some",
            rag="A", next_discussion_on=ago(50).date().isoformat(),
            actions=[{"action_id": "A-1", "description": text, "owner": "pr-jo",
                      "due": ago(70).date().isoformat()}])
        assert discussed.status_code == 200, discussed.text
        cases.append(case)
    erased, kept = cases
    system.app.take_snapshot(erased)

    # The positive control: the action's text is found where it is held.
    assert system.http.get(f"/cases/{erased}", headers=sam).json()["actions"]["A-1"][
        "description"] == ACTION
    assert "ACT-ZW44" in decoded_text(system)
    assert "ACT-ZW44" in repr(vars(next(iter(system.app.snapshots.get(erased)))))  # type: ignore[union-attr]
    history_pdf = f"/history/case/{erased}?format=pdf"
    assert "ACT-ZW44" in pdf_text(system, sam, history_pdf)
    before = stored_events(system)

    done = system.post(f"/subjects/case/{erased}/erase", officer, grounds="Art. 17 request")
    assert done.status_code == 200, done.text

    assert {n: a for n, a in stored_events(system).items() if n in before} == before
    assert verify(system)[0] == 0
    text = decoded_text(system)
    assert "ACT-ZW44" not in text and "KEEP-ACT-77" in text
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        assert conn.execute("SELECT count(*) FROM assured_snapshots WHERE originator_id = %s",
                            (erased,)).fetchone() == (0,)
        assert system.until(lambda: conn.execute(
            "SELECT count(*) FROM case_action WHERE case_id = %s", (erased,)).fetchone() == (0,))
    for who, pdf in ((sam, history_pdf), (officer, f"/subjects/case/{erased}/access?format=pdf")):
        shown = pdf_text(system, who, pdf)
        assert "ACT-ZW44" not in shown and ERASED in shown
    record = system.app.load(erased)
    assert record.actions["A-1"]["description"] == ERASED  # type: ignore[attr-defined]
    assert record.actions["A-1"]["owner"] == "pr-jo"  # type: ignore[attr-defined]
    assert system.http.get(f"/cases/{kept}", headers=sam).json()["actions"]["A-1"][
        "description"] == "KEEP-ACT-77 call"
