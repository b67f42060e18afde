"""What is asked of an agency: the rapid reviews' information requests and the audits' returns
addressed to it, from the register's read model, and the quarterly assurance cycles' evidence
its contributor is named to give (the cycles' read model), each kept only if the policy lets the agency
answer it (`api.policy.decide` on the request's own agency; nothing else of the record is read).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import Connection

from api.auth import Principal
from api.policy import Action, Decision, Facts, decide

REQUEST_LABEL = "Information from "  # projections/review_register.py names each request so


@dataclass(frozen=True)
class Ask:
    kind: str  # "review" or "audit"
    record_id: UUID
    reference: str
    item: str
    """The review's request id, or the audit's agency as the audit names it."""
    due_on: date | None
    answered_on: date | None
    chased: int = 0
    escalated_on: date | None = None

    @property
    def what(self) -> str:
        if self.kind == "review":
            return "Information for a rapid review"
        if self.kind == "assurance-cycle":
            return f"Evidence for the quarterly assurance cycle: {self.item}"
        return "Your return to a multi-agency audit"

    @property
    def link(self) -> str:
        if self.kind == "review":
            return f"/app/agency/reviews/{self.record_id}/{self.item}"
        if self.kind == "assurance-cycle":
            return f"/app/agency/cycles/{self.record_id}/{quote(self.item, safe='')}"
        return f"/app/agency/audits/{self.record_id}"


def asked_of(conn: Connection[Any], who: Principal) -> list[Ask]:
    """Everything asked of `who`'s agency, unanswered first, then by due date."""
    agency = (who.agency or "").strip()
    if not agency:
        return []
    found: list[Ask] = []
    requests = conn.execute(
        "SELECT d.entry_id, e.reference, d.deadline, d.label, d.due_on, d.done_on "
        "FROM register_deadline d JOIN register_entry e USING (entry_id) "
        "WHERE d.deadline LIKE 'information:%%' AND lower(d.label) = lower(%s)",
        (REQUEST_LABEL + agency,)).fetchall()
    for entry_id, reference, deadline, label, due_on, done_on in requests:
        if _answers(who, "review", label.removeprefix(REQUEST_LABEL),
                    "receive-agency-information"):
            found.append(Ask("review", entry_id, reference, deadline.split(":", 1)[1], due_on,
                             done_on))
    returns = conn.execute(
        "SELECT r.entry_id, e.reference, r.agency, e.returns_due, r.submitted_on, r.chased, "
        "r.escalated_on FROM register_return r JOIN register_entry e USING (entry_id) "
        "WHERE lower(trim(r.agency)) = lower(%s)", (agency,)).fetchall()
    for entry_id, reference, named, due_on, submitted_on, chased, escalated_on in returns:
        if _answers(who, "audit", named, "submit-return"):
            found.append(Ask("audit", entry_id, reference, named, due_on, submitted_on, chased,
                             escalated_on))
    found += _evidence_owed(conn, who)
    return sorted(found, key=lambda a: (a.answered_on is not None, a.due_on or date.max,
                                        a.reference))


def _evidence_owed(conn: Connection[Any], who: Principal) -> list[Ask]:
    """The quarterly assurance cycles' evidence the person is named to give (seed 004: each
    agency named in the forward plan gives its assurance report through its lead)."""
    rows = conn.execute(
        "SELECT e.cycle_id, c.quarter, e.item, c.evidence_due, e.submitted_on, "
        "e.chased_on IS NOT NULL, e.escalated_on, ARRAY(SELECT lead FROM cycle_evidence x "
        "WHERE x.cycle_id = c.cycle_id UNION SELECT to_whom FROM cycle_query q "
        "WHERE q.cycle_id = c.cycle_id) FROM cycle_evidence e JOIN cycle c USING (cycle_id) "
        "WHERE e.lead = %s", (who.username,)).fetchall()
    return [Ask("assurance-cycle", cycle_id, f"Assurance cycle {quarter}", item, due_on,
                submitted_on, int(chased), escalated_on)
            for cycle_id, quarter, item, due_on, submitted_on, chased, escalated_on, people
            in rows
            if decide(who, Action.WRITE, Facts("assurance-cycle",
                                               contributors=tuple(people)),
                      "submit-evidence") == Decision.ALLOW]


def _answers(who: Principal, kind: str, agency: str, command: str) -> bool:
    facts = Facts(kind, agencies=frozenset({agency}))
    return decide(who, Action.WRITE, facts, command) == Decision.ALLOW
