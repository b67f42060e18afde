"""One data set for the API tests that need every kind of record, on a database of its own.

- a Safeguarder in the East allocated to support manager `sm-east`; another in the West,
  allocated to nobody (both with the phone number `CONTACT`);
- two cases of practitioner `pr-1` and supervisor `su-1`, the first selected by an audit;
- a review, the audit, the East and West regions (with `sm-east` and `sm-west`), a group
  session and a mentor.
Each record comes with the facts the policy needs, written here rather than read back.
"""

from __future__ import annotations

import inspect
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from eventsourcing.cryptography import AESCipher

from api.policy import Facts
from api.settings import Settings
from api.store import event_store_env
from api.temporal_server import ensure_dev_server
from domain.application import Assured
from domain.audit import AuditRecord
from domain.case import Case
from domain.panel import GroupSession, Mentor, PanelRegion
from domain.review import Review
from domain.safeguarder import Safeguarder

NOW = datetime.now(UTC)
OPENED = NOW - timedelta(days=30)
CONTACT = "07700 900461"  # a Safeguarder's phone number: only the panel team may see it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def temporal_dev_server(data_dir: Path) -> Iterator[dict[str, object]]:
    """A Temporal dev server of the caller's own on free loopback ports; yields the settings
    that point at it. Commands that may belong to a process need Temporal (503 without)."""
    overrides: dict[str, object] = {"temporal_address": f"127.0.0.1:{free_port()}",
                                    "temporal_ui_port": free_port()}
    process = ensure_dev_server(Settings(data_dir=data_dir, **overrides))  # type: ignore[arg-type]
    assert process is not None, "the Temporal dev server should be this test's own"
    try:
        yield overrides
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def own_database(admin_url: str, data_dir: Path, **settings: object
                 ) -> Iterator[tuple[Assured, Settings]]:
    """A fresh database with an application and settings on it (for module-scoped fixtures)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.replace("/postgres?", f"/{name}?")
    key = AESCipher.create_key(num_bytes=32)
    app = Assured(event_store_env(url, key, 0))
    options = {"temporal_address": "127.0.0.1:1", **settings}
    try:
        yield app, Settings(database_url=url, encryption_key=key, data_dir=data_dir, **options)
    finally:
        app.close()


@dataclass(frozen=True)
class Known:
    """A record of the data set and what the policy needs to know of it (written here)."""

    name: str
    id: uuid.UUID
    facts: Facts



def seed(app: Assured) -> dict[str, Known]:
    by, at = "setup", OPENED

    def later(minutes: int) -> datetime:
        return at + timedelta(minutes=minutes)

    east = PanelRegion.establish("East", by=by, at=at)
    west = PanelRegion.establish("West", by=by, at=at)
    east.add_support_manager("sm-east", by=by, at=later(1))
    west.add_support_manager("sm-west", by=by, at=later(1))
    app.record(east, west)

    sg_east = Safeguarder.apply_to_panel(name="Sam Eastwood", contact={"phone": CONTACT},
                                         region="East", by=by, at=at)
    sg_east.record_interview(True, "clear", by=by, at=later(2))
    sg_east.record_assessment(True, "clear", by=by, at=later(3))
    sg_east.appoint(OPENED.date(), by=by, at=later(4))
    app.record(sg_east)
    app.allocate(sg_east.id, "sm-east", "", by=by, at=later(5))
    sg_west = Safeguarder.apply_to_panel(name="Kim Westley", contact={"phone": CONTACT},
                                         region="West", by=by, at=at)
    app.record(sg_west)

    cases = [Case.open(child_reference=f"C-000{n}", agency="Health", practitioner="pr-1",
                       supervisor="su-1", legal_status="child_in_need", risk="medium",
                       nation="ENG", by=by, at=at) for n in (1, 2)]
    app.record(*cases)
    # (An audit's reference is new: pass it when the domain asks for it.)
    reference = ({"reference": "audit-2026-supervision"}
                 if "reference" in inspect.signature(AuditRecord.plan).parameters else {})
    audit = AuditRecord.plan(**reference, theme="Supervision", dimension="multi_agency",
                             audit_type="multi_agency_practice", year=OPENED.year,
                             agencies=["Health"], sample_size=1,
                             returns_due=NOW.date() + timedelta(days=60), by=by, at=at)
    audit.select_cases_at_random([str(cases[0].id)], seed=1, by=by, at=later(1))
    app.record(audit)
    assert app.named_in_review(cases[0].id) and not app.named_in_review(cases[1].id)

    review = Review.refer(reference="PR-2026-01", referrer="Health", category="practice_concern",
                          summary="Learning about drift", nation="ENG", review_type="thematic",
                          by=by, at=at)
    session = GroupSession.plan(session_ref="GS-1", facilitator="sm-east",
                                held_on=NOW.date() + timedelta(days=7), by=by, at=at)
    mentor = Mentor.recruit(name="Morgan Mentor", by=by, at=at)
    app.record(review, session, mentor)

    known = [
        Known("safeguarder (East, allocated to sm-east)", sg_east.id,
              Facts("safeguarder", region="East", support_manager="sm-east")),
        Known("safeguarder (West, unallocated)", sg_west.id,
              Facts("safeguarder", region="West", support_manager=None)),
        Known("case (pr-1/su-1, selected by an audit)", cases[0].id,
              Facts("case", practitioner="pr-1", supervisor="su-1", named_in_review=True)),
        Known("case (pr-1/su-1, in no audit)", cases[1].id,
              Facts("case", practitioner="pr-1", supervisor="su-1", named_in_review=False)),
        Known("review", review.id, Facts("review")),
        Known("audit", audit.id, Facts("audit")),
        Known("region (East)", east.id, Facts("region")),
        Known("group-session", session.id, Facts("group-session")),
        Known("mentor", mentor.id, Facts("mentor")),
    ]
    return {k.name: k for k in known}
