"""My work: what the processes ask of the signed-in person now, each item with its due date,
whether it is overdue, and where to do it.

The items are `projections.obligations`: the one list of what the processes ask of whom (the
same list operations staff's overdue column and the metric read), each judged due or overdue by
`domain.due`. A person sees the open obligations asked of them by name, and those asked of
their role where no one is named, on records the policy lets them read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Connection

from api.auth import Principal
from api.policy import Action, Decision, decide
from api.web import finding
from domain.accounts import Role
from domain.due import DueState
from projections import obligations
from projections.obligations import Obligation

PANEL_NATION = "SCT"  # the Safeguarders Panel is Scotland's

READ_MODELS = sorted({*obligations.READ_MODELS, *finding.READ_MODELS})
"""The read models the items and their records' names come from."""


@dataclass(frozen=True)
class Item:
    what: str
    about: str
    due_on: date | None
    overdue: bool
    link: str
    action: str
    """The link's words: what the person does there."""
    nation: str = PANEL_NATION


@dataclass(frozen=True)
class Sources:
    """Where the items come from: an open connection to the read models, and how to open
    sealed text and read the policy's periods."""

    conn: Connection[Any]
    cipher: Any
    policy: Any
    today: date


def items_for(who: Principal, sources: Sources) -> list[Item]:
    """What is asked of `who` now, overdue first, then by due date."""
    asked = [o for o in obligations.obligations(sources.conn, sources.today, sources.cipher,
                                                sources.policy) if o.open and _asked_of(who, o)]
    # Only the records asked about are found (and their names opened): the page's cost follows
    # the person's own work, not the number of records in the read tables.
    ids = sorted({o.record_id for o in asked})
    records = {hit.record_id: (facts, hit)
               for finder in finding.FINDERS for facts, hit in finder(sources.conn,
                                                                      sources.cipher, ids)}
    nations = _nations(sources.conn, ids)
    found = []
    for o in asked:
        facts, hit = records.get(o.record_id, (None, None))
        if facts is None or decide(who, Action.READ, facts) != Decision.ALLOW:
            continue
        link, action = LINKS.get(o.kind, _record_link)(o)
        found.append(Item(o.what, hit.label, o.due_on, o.state == DueState.OVERDUE, link,
                          action, nations.get(o.record_id, PANEL_NATION)))
    also = ALSO.get(who.role)
    if also is not None:
        found.extend(also(who, sources))
    return sorted(found, key=lambda i: (not i.overdue, i.due_on or date.max, i.what))


def _asked_of(who: Principal, o: Obligation) -> bool:
    return o.person == who.username if o.person else o.role == who.role


def _nations(conn: Connection[Any], ids: list[UUID]) -> dict[UUID, str]:
    """Each case's, review's and supervision arrangement's nation, of those `ids` names: their
    working days (the panel's are Scotland's)."""
    rows = conn.execute("SELECT case_id, nation FROM case_state WHERE case_id = ANY(%(ids)s) "
                        "UNION ALL SELECT entry_id, nation FROM register_entry "
                        "WHERE entry_id = ANY(%(ids)s) UNION ALL SELECT arrangement_id, nation "
                        "FROM arrangement WHERE arrangement_id = ANY(%(ids)s)",
                        {"ids": ids}).fetchall()
    return {record_id: nation for record_id, nation in rows if nation}


def _safeguarder_link(o: Obligation) -> tuple[str, str]:
    base = f"/app/safeguarders/{o.record_id}"
    for start, tail, words in (("Support session", "support-session", "Record the support "
                                "session"),
                               ("Sampled report", "sampled-report", "Record a sampled report"),
                               ("Peer mentoring", "mentoring", "Record the mentoring session"),
                               ("Recommendation", "recommendation", "Make the recommendation")):
        if o.what.startswith(start):
            return f"{base}/{tail}", words
    return base, "Open the file"


def _record_link(o: Obligation) -> tuple[str, str]:
    return f"/app/records/{o.kind}/{o.record_id}", "Open the record"


LINKS: dict[str, Callable[[Obligation], tuple[str, str]]] = {
    "safeguarder": _safeguarder_link,
    "case": lambda o: (f"/app/cases/{o.record_id}", "Open the case"),
    "public-submission": lambda o: (f"/app/submissions/{o.record_id}", "Triage it"),
    # web-journeys: the sub-group's own pages of a review and an audit
    "review": lambda o: (f"/app/reviews/{o.record_id}", "Open the record"),
    "audit": lambda o: (f"/app/audits/{o.record_id}", "Open the record"),
    # web-seed: issue 12's records
    "arrangement": lambda o: (f"/app/arrangements/{o.record_id}", "Open the arrangement"),
    "assurance-cycle": lambda o: (f"/app/assurance-cycles/{o.record_id}", "Open the cycle"),
    "forward-plan": lambda o: (f"/app/forward-plans/{o.record_id}", "Open the plan"),
    "self-evaluation": lambda o: (f"/app/self-evaluations/{o.record_id}", "Open it"),
}
"""Where each kind of record's obligations are done (by default, the record's page)."""


def _agency(who: Principal, s: Sources) -> Iterator[Item]:
    """What is asked of an agency contributor's agency, not yet answered (web-journeys)."""
    from api.web.agency_asks import asked_of

    for ask in asked_of(s.conn, who):
        if ask.answered_on is None:
            overdue = ask.due_on is not None and ask.due_on < s.today
            yield Item(ask.what, ask.reference, ask.due_on, overdue, ask.link, "Answer it",
                       "ENG")


ALSO: dict[Any, Callable[[Principal, Sources], Iterator[Item]]] = {
    Role.AGENCY_CONTRIBUTOR: _agency,  # its read model (review_register) is in READ_MODELS
}
"""By role, items the one list does not hold yet (each belongs in projections/obligations.py
in time); its read models go in READ_MODELS."""
