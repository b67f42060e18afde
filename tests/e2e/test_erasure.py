"""Erasure, legal hold and subject access through the doors people use: HTTP under uvicorn,
with the worker and the projection runner running, and the `assured` command.

One Safeguarder asks to be erased. A canary in their name, contact details and concern is
found everywhere first (the positive control: events, snapshot, read tables, the history PDF),
then nowhere; the other Safeguarder is untouched, and the chain still verifies. Another,
under legal hold, cannot be erased, and nothing of theirs changes.
"""

from __future__ import annotations

import io
import json
from typing import Any
from uuid import UUID

import psycopg
from pypdf import PdfReader
from typer.testing import CliRunner

from api.cli.main import app as assured
from domain.accounts import Role
from domain.subjects import ERASED
from tests.e2e.conftest import System, iso
from tests.refusals import at

NAME, MAIL, PHONE, CONCERN = ("Zanthe-QX71", "qx71-mail", "07700 900471", "QX71-CONCERN")
CANARIES = (NAME, MAIL, PHONE, CONCERN)
OTHER_NAME, OTHER_MAIL = "Orrin-KP52", "kp52-mail"
ADMIN = "panel-admin-jo"

SAFEGUARDER_TABLES = ("safeguarder", "safeguarder_concern", "caseload_safeguarder",
                      "evidence_safeguarder", "evidence_concern")


def apply(system: System, who: dict[str, str], name: str, mail: str, phone: str,
          concern: str) -> UUID:
    made = system.post("/safeguarders", who, name=f"{name} Example",
                       contact={"email": f"{mail}@example.org", "phone": phone,
                                "address": f"1 {name} Street, Leith"},
                       region="East", at=iso(at(0)))
    assert made.status_code == 201, made.text
    record_id = UUID(made.json()["id"])
    raised = system.post(f"/safeguarders/{record_id}/raise-concern", who, concern_id="c-1",
                         about="behaviour", summary=f"{concern}: late to two hearings",
                         at=iso(at(1)))
    assert raised.status_code == 200, raised.text
    return record_id


def stored_events(system: System) -> dict[int, tuple[UUID, bytes]]:
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        return {n: (r, bytes(s)) for n, r, s in conn.execute(
            "SELECT notification_id, originator_id, state FROM assured_events")}


def decoded_text(system: System) -> str:
    """Every stored event, opened with the store's key: what anyone with it could read."""
    mapper = system.app.mapper
    from eventsourcing.persistence import StoredEvent

    events = []
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        for record, version, topic, state in conn.execute(
                "SELECT originator_id, originator_version, topic, state FROM assured_events"):
            event = mapper.to_domain_event(StoredEvent(record, version, topic, bytes(state)))
            events.append(repr(vars(event)))
    return "\n".join(events)


def read_rows(system: System, record_id: UUID) -> dict[str, int]:
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        return {t: conn.execute(f"SELECT count(*) FROM {t} WHERE safeguarder_id = %s",
                                (record_id,)).fetchone()[0] for t in SAFEGUARDER_TABLES}


def pdf_text(system: System, who: dict[str, str], path: str) -> str:
    answer = system.http.get(path, headers=who)
    assert answer.status_code == 200, answer.text
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)


def verify(system: System) -> tuple[int, str]:
    s = system.settings
    env = {"ASSURED_DATABASE_URL": s.database_url.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_ENCRYPTION_KEY": s.encryption_key.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_DATA_DIR": str(s.data_dir)}
    done = CliRunner().invoke(assured, ["verify"], env=env)
    return done.exit_code, done.output


def cli(system: System, *args: str) -> Any:
    s = system.settings
    env = {"ASSURED_DATABASE_URL": s.database_url.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_ENCRYPTION_KEY": s.encryption_key.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_DATA_DIR": str(s.data_dir)}
    return CliRunner().invoke(assured, list(args), env=env)


def file_after(system: System, who: dict[str, str], record_id: UUID, after: int) -> Any:
    return system.http.get(f"/safeguarders/{record_id}/file", headers=who,
                           params={"after": after})


def test_erasing_a_safeguarder_leaves_their_canary_nowhere_and_everyone_else_unchanged(
        system: System) -> None:
    admin = system.who(Role.PANEL_ADMIN, ADMIN)
    erased = apply(system, admin, NAME, MAIL, PHONE, CONCERN)
    other = apply(system, admin, OTHER_NAME, OTHER_MAIL, "07700 900999", "KP52-CONCERN")
    system.app.take_snapshot(erased)
    last = max(stored_events(system))

    # The positive control: the canary is found wherever it is held.
    found = file_after(system, admin, erased, last)
    assert found.status_code == 200 and NAME in found.text and MAIL in found.text
    assert all(c in decoded_text(system) for c in CANARIES)
    assert NAME in repr(vars(next(iter(system.app.snapshots.get(erased)))))  # type: ignore[union-attr]
    assert all(n > 0 for t, n in read_rows(system, erased).items()
               if t in ("safeguarder", "safeguarder_concern", "caseload_safeguarder"))
    history_pdf = f"/history/safeguarder/{erased}?format=pdf"
    assert NAME in pdf_text(system, admin, history_pdf)
    assert CONCERN in pdf_text(system, admin, history_pdf)
    before = stored_events(system)
    other_before = system.http.get(f"/safeguarders/{other}", headers=admin).json()

    done = system.post(f"/subjects/safeguarder/{erased}/erase", admin,
                       grounds="Art. 17 request received 2026-11-02")
    assert done.status_code == 200, done.text
    assert done.json()["workflow"] == f"appointment-{erased}"
    # (Temporal deletes a history in the background, after the request: it may take a while)
    assert system.until(lambda: _history_gone(system, f"appointment-{erased}"), timeout=120)

    after = stored_events(system)
    assert {n: after[n] for n in before} == before, "no stored byte changed"
    assert verify(system)[0] == 0, verify(system)[1]
    text = decoded_text(system)
    assert not any(c in text for c in CANARIES) and ERASED in text
    assert OTHER_NAME in text and OTHER_MAIL in text
    with psycopg.connect(system.settings.database_url.get_secret_value()) as conn:  # type: ignore[union-attr]
        assert conn.execute("SELECT count(*) FROM assured_snapshots WHERE originator_id = %s",
                            (erased,)).fetchone() == (0,)
    gone = file_after(system, admin, erased, max(after))
    assert gone.status_code == 404, gone.text
    assert set(read_rows(system, erased).values()) == {0}
    state = system.http.get(f"/safeguarders/{erased}", headers=admin).json()
    assert state["name"] == ERASED and state["contact"] == {}
    for pdf in (history_pdf, f"/subjects/safeguarder/{erased}/access?format=pdf"):
        shown = pdf_text(system, admin, pdf)
        assert not any(c in shown for c in CANARIES) and ERASED in shown
    assert system.http.get(f"/safeguarders/{other}", headers=admin).json() == other_before
    assert OTHER_NAME in file_after(system, admin, other, max(after)).text
    refused = system.post(f"/safeguarders/{erased}/record-feedback", admin,
                          source="professional", tone="positive", summary="after erasure")
    assert refused.status_code == 409 and "erased" in refused.json()["detail"]


def _history_gone(system: System, workflow_id: str) -> bool:
    """Whether Temporal no longer holds the workflow's history (its updates held the words)."""
    import asyncio

    from temporalio.client import Client
    from temporalio.service import RPCError, RPCStatusCode

    from infra.codec import data_converter

    async def gone() -> bool:
        s = system.settings
        client = await Client.connect(s.temporal_address, namespace=s.temporal_namespace,
                                      data_converter=data_converter(
                                          s.encryption_key.get_secret_value()))  # type: ignore[union-attr]
        try:
            await client.get_workflow_handle(workflow_id).describe()
        except RPCError as failed:
            return failed.status == RPCStatusCode.NOT_FOUND
        return False

    return asyncio.run(gone())


def people_s_facts(system: System, record_id: UUID) -> list[tuple[int, str]]:
    """The record's events but the steps its process notes meanwhile (reminders, deadlines)."""
    return [(e.originator_version, type(e).__name__) for e in system.events(record_id)
            if type(e).__name__ != "ProcessStepRecorded"]


def test_under_legal_hold_erasure_is_refused_and_nothing_changes(system: System) -> None:
    admin = system.who(Role.PANEL_ADMIN, ADMIN)
    held = apply(system, admin, NAME, MAIL, PHONE, CONCERN)
    placed = system.post(f"/subjects/safeguarder/{held}/legal-hold", admin,
                         grounds="Inquiry 2026/4: preserve every record")
    assert placed.status_code == 200, placed.text
    before = people_s_facts(system, held)

    refused = system.post(f"/subjects/safeguarder/{held}/erase", admin, grounds="request")
    assert refused.status_code == 409 and "legal hold" in refused.json()["detail"]
    by_cli = cli(system, "erase", "safeguarder", str(held), "--reason", "request",
                 "--by", "dpo-1")
    assert by_cli.exit_code == 1 and "legal hold" in by_cli.output

    assert people_s_facts(system, held) == before
    assert NAME in system.http.get(f"/safeguarders/{held}", headers=admin).json()["name"]
    lifted = cli(system, "legal-hold", "lift", "safeguarder", str(held), "--reason",
                 "Inquiry closed", "--by", "dpo-1")
    assert lifted.exit_code == 0, lifted.output
    assert cli(system, "erase", "safeguarder", str(held), "--reason", "request", "--by",
               "dpo-1").exit_code == 0
    assert system.http.get(f"/safeguarders/{held}", headers=admin).json()["name"] == ERASED
    names = [name for _, name in people_s_facts(system, held)]
    assert names[-3:] == ["LegalHoldPlaced", "LegalHoldLifted", "Erased"]


def test_only_the_panel_admin_and_the_data_protection_officer_erase_a_safeguarder(
        system: System) -> None:
    admin = system.who(Role.PANEL_ADMIN, ADMIN)
    record = apply(system, admin, NAME, MAIL, PHONE, CONCERN)
    for role, name in ((Role.SUPPORT_MANAGER, "sm-east"), (Role.AUDITOR, "au-1")):
        denied = system.post(f"/subjects/safeguarder/{record}/erase",
                             system.who(role, name, "East"), grounds="request")
        assert denied.status_code == 403
    officer = system.who(Role.DATA_PROTECTION_OFFICER, "dpo-1")
    assert system.post(f"/subjects/safeguarder/{record}/legal-hold", officer,
                       grounds="Inquiry").status_code == 200


def test_a_subject_access_export_holds_every_fact_about_them_and_no_one_else(
        system: System) -> None:
    admin = system.who(Role.PANEL_ADMIN, ADMIN)
    subject = apply(system, admin, NAME, MAIL, PHONE, CONCERN)
    apply(system, admin, OTHER_NAME, OTHER_MAIL, "07700 900999", "KP52-CONCERN")

    before = system.events(subject)
    answer = system.http.get(f"/subjects/safeguarder/{subject}/access", headers=admin)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    export = answer.json()
    text = json.dumps(export, ensure_ascii=False)
    events = system.events(subject)  # (the appointment process may have noted a step since)
    shown = [f["version"] for f in export["facts"]]
    assert len(shown) >= len(before)
    assert shown == [e.originator_version for e in events][: len(shown)]
    for fact, event in zip(export["facts"], events, strict=False):
        assert fact["what"] and fact["happened"] and fact["recorded"], fact
        assert len(fact["details"]) >= len([k for k in vars(event) if k not in (
            "originator_id", "originator_version", "originator_topic", "timestamp", "actor",
            "occurred_on")]) - 0, fact
    for canary in CANARIES:
        assert canary in text
    for other in (OTHER_NAME, OTHER_MAIL, ADMIN):
        assert other not in text
    pdf = pdf_text(system, admin, f"/subjects/safeguarder/{subject}/access?format=pdf")
    assert NAME in pdf and CONCERN in pdf and OTHER_NAME not in pdf and ADMIN not in pdf
    by_cli = cli(system, "subject-access", "safeguarder", str(subject), "--by", "dpo-1")
    assert by_cli.exit_code == 0, by_cli.output
    assert NAME in by_cli.output and CONCERN in by_cli.output
    assert OTHER_NAME not in by_cli.output and ADMIN not in by_cli.output
    def exports() -> list[str]:
        return sorted(v["route"] for v in system.http.get(
            f"/safeguarders/{subject}/viewers", headers=admin).json() if "access" in v["route"])

    assert system.until(lambda: len(exports()) == 3)
    assert exports() == ["/subjects/{kind}/{record_id}/access"] * 2 + ["cli:subject-access"]
