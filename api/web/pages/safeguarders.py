"""The Safeguarders pages: a support manager's Safeguarders (the caseload), a Safeguarder's
electronic file, every section, and the re-appointment evidence pack.

Each read is authorised by the policy on the record, and each view of a file or a pack is
recorded in the access log exactly as the API records its reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from fastapi import Request
from starlette.responses import Response

from api.access import authorised, record_view
from api.auth import Principal
from api.policy import Action, Decision, Facts, decide, hidden_fields, may_list
from api.web import file_sections
from api.web.pages.common import application, banner, cipher, policy, reading
from api.web.routing import page_router
from api.web.session import Person
from api.web.templating import render, today
from domain.accounts import Role
from projections import caseload, evidence_pack
from projections import safeguarder_file as sg_file
from projections.caseload import CaseloadEntry, Due
from domain.safeguarder_values import SERVING, Status

router = page_router()


@dataclass(frozen=True)
class Row:
    """One Safeguarder in the list: the caseload entry, and what falls in this month."""

    entry: CaseloadEntry
    manager: str
    overdue: list[Due]
    this_month: list[Due]
    this_year: list[Due]


def _this_month(due: Due, on: date) -> bool:
    return due.state == "due" and (due.due_on.year, due.due_on.month) == (on.year, on.month)


def _this_year(entry: CaseloadEntry) -> list[Due]:
    """The current appointment year's requirements (the caseload also lists earlier years'
    unmet ones, and the first year's mentoring)."""
    return [d for d in entry.items if f"year {entry.year} (" in d.what
            or (entry.year == 1 and d.what.startswith("Peer mentoring"))
            or not d.what.startswith(("Support session", "Sampled reports", "Peer mentoring"))]


@router.get("/app/safeguarders")
def safeguarders(request: Request, who: Person) -> Response:
    """A support manager's own Safeguarders; everyone else who may list them sees them all."""
    if not may_list(who, "safeguarders"):
        return _forbidden(request)
    on = today()
    with reading(request, ["support_caseload"]) as conn:
        managers = who.username if who.role == Role.SUPPORT_MANAGER else None
        found = caseload.caseload(conn, on, cipher(request), manager=managers,
                                  policy=policy(request))
    rows = [Row(entry, manager, entry.overdue, [d for d in entry.due if _this_month(d, on)],
                _this_year(entry))
            for manager, entries in sorted(found.items()) for entry in entries
            if _may_read(who, entry, manager)]
    mine = who.role == Role.SUPPORT_MANAGER
    return render(request, "safeguarders.html", {"rows": rows, "mine": mine})


def _may_read(who: Principal, entry: CaseloadEntry, manager: str) -> bool:
    facts = Facts("safeguarder", region=entry.region,
                  support_manager=None if manager == caseload.UNALLOCATED else manager)
    return decide(who, Action.READ, facts) == Decision.ALLOW


def _forbidden(request: Request) -> Response:
    from api.web.routing import error_page

    return error_page(request, 403, "Your role does not give you this list.")


@router.get("/app/safeguarders/{record_id}")
def safeguarder(request: Request, record_id: UUID, who: Person, after: int | None = None,
                done: str | None = None) -> Response:
    """A Safeguarder's electronic file: every section, and each year's requirement."""
    app = application(request)
    record = authorised(app, who, Action.READ, "safeguarder", record_id)
    with reading(request, ["safeguarder_file", "support_caseload"], after) as conn:
        found = sg_file.safeguarder_file(conn, record_id, today(), cipher(request))
        entries = caseload.caseload(conn, today(), cipher(request),
                                    manager=record.support_manager, policy=policy(request))
        entry = next((e for listed in entries.values() for e in listed
                      if e.safeguarder_id == record_id), None)
    if found is None:
        return _not_yet(request)
    record_view(app, record_id, request.scope["route"].path, who)
    details = {k: v for k, v in found.details.items()
               if k not in hidden_fields(who, "safeguarder")}
    writes = decide(who, Action.WRITE, Facts("safeguarder", region=str(record.region),
                                             support_manager=record.support_manager))
    return render(request, "safeguarder_file.html", {
        "id": record_id, "details": details, "listed": file_sections.sections(found.sections),
        "years": found.years,
        "entry": entry, "may_act": writes == Decision.ALLOW,
        "serving": record.status in SERVING, "in_review": record.status == Status.IN_REVIEW,
        "banner": banner(done)})


def _not_yet(request: Request) -> Response:
    from api.web.routing import error_page

    return error_page(request, 503, "This file is still being brought up to date. Try again "
                      "in a moment.", "The file is not ready yet")


@router.get("/app/safeguarders/{record_id}/evidence-pack")
def pack(request: Request, record_id: UUID, who: Person, after: int | None = None,
         done: str | None = None) -> Response:
    """The re-appointment evidence pack of the Safeguarder's current term."""
    app = application(request)
    record = authorised(app, who, Action.READ, "safeguarder", record_id)
    with reading(request, ["reappointment_evidence"], after) as conn:
        found = evidence_pack.evidence_pack(conn, record_id, today(), cipher(request))
    record_view(app, record_id, request.scope["route"].path, who)
    writes = decide(who, Action.WRITE, Facts("safeguarder", region=str(record.region),
                                             support_manager=record.support_manager))
    return render(request, "evidence_pack.html", {
        "id": record_id, "name": record.name, "pack": found, "kinds": evidence_pack.KINDS,
        "kind_names": {"PSMF evidence": "Evidence against the Practice Standards (PSMF)"},
        "may_recommend": writes == Decision.ALLOW and record.status == Status.IN_REVIEW
        and found is not None and found.recommendation is None, "banner": banner(done)})
