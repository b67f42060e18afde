"""My work: what the processes ask of the signed-in person now, each item with its due date,
whether it is overdue, and where to do it.

Every item is found here, from the read models the processes keep (the support caseload with
the dates the appointment workflow set; supervision; the register of reviews and audits; the
triage queue), and only for records the policy lets the person see. An item is overdue when
its read model says so (`state == "overdue"`, or a date passed for the lists that only carry
dates); one shared definition of "overdue" can later take this module's place in one step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from psycopg import Connection

from api.auth import Principal
from api.policy import Action, Decision, Facts, decide
from domain.accounts import Role
from projections import case_supervision, caseload, public_submissions, register_queries
from projections.caseload import UNALLOCATED, CaseloadEntry, Due

PANEL_NATION = "SCT"  # the Safeguarders Panel is Scotland's
REVIEW_NATION = "ENG"  # the register's statutory clocks (Working Together); see README
AHEAD = timedelta(days=31)  # actions and recommendations due this far ahead are listed


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


READ_MODELS = {
    Role.SUPPORT_MANAGER: ["support_caseload"],
    Role.PANEL_ADMIN: ["support_caseload", "public_submissions"],
    Role.MENTORING_COORDINATOR: ["support_caseload"],
    Role.SUPERVISOR: ["case_supervision"],
    Role.PRACTITIONER: ["case_supervision"],
    Role.PRACTICE_REVIEW_MEMBER: ["review_register"],
    Role.AGENCY_CONTRIBUTOR: ["review_register"],
}
"""The read models each role's items come from (none: nothing is asked of the role yet)."""


def items_for(who: Principal, sources: Sources) -> list[Item]:
    """What is asked of `who` now, overdue first, then by due date."""
    finder = FINDERS.get(who.role)
    found = list(finder(who, sources)) if finder else []
    return sorted(found, key=lambda i: (not i.overdue, i.due_on or date.max, i.what))


# --- the Safeguarders Panel ----------------------------------------------------------------------

def _safeguarder_link(entry: CaseloadEntry, due: Due) -> tuple[str, str]:
    base = f"/app/safeguarders/{entry.safeguarder_id}"
    if due.what.startswith("Support session"):
        return f"{base}/support-session", "Record the support session"
    if due.what.startswith("Sampled reports"):
        return f"{base}/sampled-report", "Record a sampled report"
    if due.what.startswith("Peer mentoring"):
        return f"{base}/mentoring", "Record the mentoring session"
    if due.what.startswith("Recommendation"):
        return f"{base}/recommendation", "Make the recommendation"
    return base, "Open the file"


def _caseload_items(entries: list[CaseloadEntry], chosen: Callable[[Due], bool]) -> Iterator[Item]:
    for entry in entries:
        for due in entry.items:
            if due.state != "met" and chosen(due):
                link, action = _safeguarder_link(entry, due)
                yield Item(due.what, entry.name, due.due_on, due.state == "overdue", link,
                           action)


def _support_manager(who: Principal, s: Sources) -> Iterator[Item]:
    mine = caseload.caseload(s.conn, s.today, s.cipher, manager=who.username, policy=s.policy)
    yield from _caseload_items(mine.get(who.username, []), lambda due: True)


def _panel_admin(who: Principal, s: Sources) -> Iterator[Item]:
    everyone = caseload.caseload(s.conn, s.today, s.cipher, policy=s.policy)
    yield from _caseload_items(everyone.get(UNALLOCATED, []),
                               lambda due: due.what.startswith("Support manager"))
    for waiting in public_submissions.submissions(s.conn, s.cipher):
        yield Item(f"Feedback from the public ({waiting.about})", "Not yet matched to a "
                   "Safeguarder", waiting.triage_due_on, s.today > waiting.triage_due_on,
                   f"/app/submissions/{waiting.submission_id}", "Triage it")


def _mentoring_coordinator(who: Principal, s: Sources) -> Iterator[Item]:
    everyone = caseload.caseload(s.conn, s.today, s.cipher, policy=s.policy)
    for entries in everyone.values():
        yield from _caseload_items(entries, lambda due: due.what.startswith("Peer mentoring"))


# --- supervision of children's cases -----------------------------------------------------------

def _case_facts(s: Sources) -> dict[UUID, tuple[Facts, str]]:
    rows = s.conn.execute("SELECT case_id, practitioner, supervisor, audits, nation "
                          "FROM case_state").fetchall()
    return {case_id: (Facts("case", practitioner=practitioner, supervisor=supervisor,
                            named_in_review=audits > 0), nation)
            for case_id, practitioner, supervisor, audits, nation in rows}


def _case_link(case_id: UUID) -> str:
    return f"/app/cases/{case_id}"  # the case's supervision page (web-journeys)


def _supervision(who: Principal, s: Sources) -> Iterator[Item]:
    facts = _case_facts(s)

    def mine(case_id: UUID) -> bool:
        found = facts.get(case_id)
        return found is not None and decide(who, Action.WRITE, found[0]) == Decision.ALLOW

    if who.role == Role.SUPERVISOR:
        for late in case_supervision.children_in_need_overdue(s.conn, s.today, s.policy):
            if mine(late.case_id) and late.supervisor == who.username:
                yield Item("Supervision discussion of a child in need", f"Case in {late.agency}",
                           late.due, True, _case_link(late.case_id), "Open the case",
                           facts[late.case_id][1])
        for drifting in case_supervision.drift_list(s.conn, s.today, s.policy):
            if mine(drifting.case_id) and drifting.supervisor == who.username:
                yield Item("Drift: " + "; ".join(drifting.reasons), f"Case in {drifting.agency}",
                           None, False, _case_link(drifting.case_id), "Open the case",
                           facts[drifting.case_id][1])
    overdue = case_supervision.overdue_actions_by_owner(s.conn, s.today)
    for action in overdue.get(who.username, []):
        if action.case_id in facts:
            yield Item(f"Agreed action {action.action_id}", "Case supervision", action.due, True,
                       _case_link(action.case_id), "Open the case", facts[action.case_id][1])


# --- the practice review sub-group ----------------------------------------------------------------

def _practice_review(who: Principal, s: Sources) -> Iterator[Item]:
    entries = register_queries.register_entries(s.conn, s.cipher, s.today - timedelta(days=366),
                                                s.today)
    for entry in entries:
        link = f"/app/{entry.kind}s/{entry.entry_id}"  # the review's or audit's page
        about = f"{entry.reference}: {entry.title}"
        if entry.closed_on is None:
            for deadline in entry.deadlines:
                if deadline.state in ("due", "overdue") and deadline.due_on is not None:
                    yield Item(deadline.label, about, deadline.due_on,
                               deadline.state == "overdue", link, "Open the record",
                               REVIEW_NATION)
        for action in entry.actions:
            state = action.state(s.today)
            if state in ("due", "overdue") and action.due_on <= s.today + AHEAD:
                yield Item(f"{action.kind.capitalize()}: {action.text}", about, action.due_on,
                           state == "overdue", link, "Open the record", REVIEW_NATION)


# --- agencies (web-journeys) --------------------------------------------------------------------

def _agency(who: Principal, s: Sources) -> Iterator[Item]:
    from api.web.agency_asks import asked_of

    for ask in asked_of(s.conn, who):
        if ask.answered_on is None:
            overdue = ask.due_on is not None and ask.due_on < s.today
            yield Item(ask.what, ask.reference, ask.due_on, overdue, ask.link, "Answer it",
                       REVIEW_NATION)


FINDERS: dict[Role, Callable[[Principal, Sources], Iterator[Item]]] = {
    Role.SUPPORT_MANAGER: _support_manager,
    Role.PANEL_ADMIN: _panel_admin,
    Role.MENTORING_COORDINATOR: _mentoring_coordinator,
    Role.SUPERVISOR: _supervision,
    Role.PRACTITIONER: _supervision,
    Role.PRACTICE_REVIEW_MEMBER: _practice_review,
    Role.AGENCY_CONTRIBUTOR: _agency,
}
