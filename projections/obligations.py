"""What the processes ask of people, and by when: one list, read from the read tables.

Each person's My work, operations staff's overdue column, the `assured_overdue_deadlines`
metric and the caseload all come from here, and judge "overdue" by `domain.due.due_state`, so
no two of them disagree. An obligation names its record (kind and id), what is asked, its due
date and state on the day asked, and who is asked: a person by username where the record names
one (a support manager, a supervisor, an action's owner), else the role whose work it is.
Nothing personal about a child or a Safeguarder is in it beyond the record's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection

from domain.case_values import LegalStatus, child_in_need_discussion_due
from domain.due import DueState, due_state
from domain.policy import DEFAULT_POLICY, Policy
from projections import caseload as caseloads
from projections import register_queries

READ_MODELS = [*caseloads.READ_MODELS, "case_supervision", "review_register",
               "public_submissions", "supervision_arrangement", "assurance_cycle",
               "forward_plan"]
"""The read tables obligations are read from (a read waits for these)."""

KINDS = ("safeguarder", "case", "review", "audit", "public-submission", "arrangement",
         "assurance-cycle", "forward-plan")
"""The kinds of record an obligation is on (the metric's one label)."""


@dataclass(frozen=True)
class Obligation:
    kind: str          # the record's kind: safeguarder, case, review, audit
    record_id: UUID
    what: str
    due_on: date
    state: DueState
    role: str          # the role whose work it is (a `domain.accounts.Role` value)
    person: str | None = None
    """The one person asked, where the record names them."""

    @property
    def open(self) -> bool:
        return self.state in (DueState.DUE, DueState.OVERDUE)


def obligations(conn: Connection[Any], on: date, cipher: Cipher,
                policy: Policy = DEFAULT_POLICY) -> list[Obligation]:
    """Everything asked of people on `on`, met or not, earliest due first."""
    found = (_safeguarders(conn, on, cipher, policy) + _cases(conn, on, policy)
             + _reviews_and_audits(conn, on, cipher) + _submissions(conn, on)
             + _assurance(conn, on))
    return sorted(found, key=lambda o: (o.due_on, o.kind, str(o.record_id), o.what))


def overdue(conn: Connection[Any], on: date, cipher: Cipher,
            policy: Policy = DEFAULT_POLICY) -> list[Obligation]:
    return [o for o in obligations(conn, on, cipher, policy) if o.state == DueState.OVERDUE]


def _safeguarders(conn: Connection[Any], on: date, cipher: Cipher,
                  policy: Policy) -> list[Obligation]:
    found = []
    for manager, entries in caseloads.caseload(conn, on, cipher, policy=policy).items():
        for entry in entries:
            for item in entry.items:
                person = manager if item.asked == "support_manager" else None
                found.append(Obligation("safeguarder", entry.safeguarder_id, item.what,
                                        item.due_on, DueState(item.state), item.asked, person))
    return found


_CASES = """
SELECT s.case_id, s.supervisor, s.legal_status, s.nation, s.opened_date,
       (SELECT d.held_date FROM case_discussion d WHERE d.case_id = s.case_id
        AND d.held_date <= %(on)s ORDER BY d.held_on DESC, d.version DESC LIMIT 1),
       (SELECT d.next_discussion_on FROM case_discussion d WHERE d.case_id = s.case_id
        AND d.held_date <= %(on)s ORDER BY d.held_on DESC, d.version DESC LIMIT 1)
FROM case_state s
WHERE s.opened_date <= %(on)s AND (s.closed_date IS NULL OR s.closed_date > %(on)s)
"""

_ACTIONS = """
SELECT a.case_id, a.action_id, a.owner, a.due, a.completed_date
FROM case_action a JOIN case_state s USING (case_id)
WHERE a.agreed_on::date <= %(on)s AND (s.closed_date IS NULL OR s.closed_date > %(on)s)
"""


def _cases(conn: Connection[Any], on: date, policy: Policy) -> list[Obligation]:
    """Each open case's next supervision discussion (a child in need's by the policy interval,
    another's by the date its last discussion agreed), and every agreed action."""
    found = []
    for case_id, supervisor, status, nation, opened, last, agreed_next in conn.execute(
            _CASES, {"on": on}).fetchall():
        if status == LegalStatus.CHILD_IN_NEED:
            due = child_in_need_discussion_due(last or opened, policy, nation)
            what = "Supervision discussion (child in need)"
        elif agreed_next is not None:
            due, what = agreed_next, "Supervision discussion"
        else:
            continue
        found.append(Obligation("case", case_id, what, due, due_state(due, on), "supervisor",
                                supervisor))
    for case_id, action_id, owner, due, completed in conn.execute(
            _ACTIONS, {"on": on}).fetchall():
        found.append(Obligation("case", case_id, f"Agreed action {action_id}", due,
                                due_state(due, on, done_on=completed), "practitioner", owner))
    return found


def _reviews_and_audits(conn: Connection[Any], on: date, cipher: Cipher) -> list[Obligation]:
    """Each open review's and audit's dated steps (statutory deadlines, information requests,
    an LCSPR, agencies' returns) and their recommendations: the sub-group's work."""
    found = []
    entries = register_queries.register_entries(conn, cipher, on, on, on=on)
    for entry in entries:
        if entry.closed_on is not None and entry.closed_on <= on:
            continue
        for deadline in entry.deadlines:
            if deadline.due_on is not None:
                found.append(Obligation(entry.kind, entry.entry_id, deadline.label,
                                        deadline.due_on, DueState(deadline.state),
                                        "practice_review_member"))
        for action in entry.actions:
            found.append(Obligation(entry.kind, entry.entry_id,
                                    f"{action.kind.capitalize()} {action.item_id}",
                                    action.due_on, DueState(action.state(on)),
                                    "practice_review_member"))
    return found


def _submissions(conn: Connection[Any], on: date) -> list[Obligation]:
    """Each submission from the public waiting for the panel team to triage it."""
    rows = conn.execute("SELECT submission_id, about, triage_due_on FROM public_submission "
                        "WHERE status = 'waiting' AND received_at::date <= %s", (on,)).fetchall()
    return [Obligation("public-submission", submission_id, f"Feedback from the public ({about})",
                       due, due_state(due, on), "panel_admin")
            for submission_id, about, due in rows]

_REQUIRED_ACTIONS = """
SELECT arrangement_id, marking_id, level, owner, due_on, done_on, escalated_to
FROM arrangement_action WHERE marked_on <= %(on)s
"""

_OWED_TO_CYCLES = """
SELECT c.cycle_id, 'Evidence: ' || e.item, c.evidence_due, e.lead, e.submitted_on
FROM cycle_evidence e JOIN cycle c USING (cycle_id) WHERE c.planned_on <= %(on)s
UNION ALL
SELECT c.cycle_id, 'Answer to query ' || q.query_id, q.due_on, q.to_whom, q.answered_on
FROM cycle_query q JOIN cycle c USING (cycle_id) WHERE q.raised_on <= %(on)s
"""


def _assurance(conn: Connection[Any], on: date) -> list[Obligation]:
    """Issue 12's: the required action a confidentiality marking opened (level 1: report
    within a working day, the safeguarding lead's too once escalated; level 2: the line
    manager's, with no date), a lead's evidence and a query's answer for a quarter's cycle, and
    each forward-plan activity's next due date, its owner's."""
    found = []
    for arrangement_id, marking, level, owner, due, done, escalated_to in conn.execute(
            _REQUIRED_ACTIONS, {"on": on}).fetchall():
        if due is None:  # a line-management matter: no date to judge by (once done, its day)
            due = on if done is None else done
        what = (f"Report confidentiality matter {marking}" if level == "duty_to_report"
                else f"Act on line-management matter {marking}")
        state = due_state(due, on, done_on=done)
        found.append(Obligation("arrangement", arrangement_id, what, due, state, "supervisor",
                                owner))
        if escalated_to is not None:
            found.append(Obligation("arrangement", arrangement_id, f"{what} (escalated)", due,
                                    state, "supervisor", escalated_to))
    for cycle_id, what, due, lead, done in conn.execute(_OWED_TO_CYCLES, {"on": on}).fetchall():
        found.append(Obligation("assurance-cycle", cycle_id, what, due,
                                due_state(due, on, done_on=done), "business_unit", lead))
    for plan_id, activity, owner, due in conn.execute(
            "SELECT plan_id, activity, owner, next_due_on FROM plan_item").fetchall():
        found.append(Obligation("forward-plan", plan_id, f"Assurance activity: {activity}", due,
                                due_state(due, on), "business_unit", owner))
    return found
