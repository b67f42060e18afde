"""Reading the register of case reviews and audits (review_register.py's tables).

Each query takes a psycopg connection and the store's cipher (it opens the sealed text).
Deadline states, as of a date: 'met' (done by its due date), 'breached' (done late, or recorded
as missed), 'overdue' (not done, its date passed: a breach in the making), 'due' (not done, its
date still ahead). A missed deadline withdrawn by that date (the step was entered late, dated
within its deadline) no longer counts as breached: the deadline shows as met, with when the
breach was recorded and withdrawn, and the late entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection
from psycopg.rows import dict_row

from domain.due import due_state
from projections.sealing import unseal


@dataclass(frozen=True)
class Deadline:
    label: str
    due_on: date | None
    done_on: date | None
    state: str
    reason: str | None = None
    breach_recorded_on: date | None = None
    breach_withdrawn_on: date | None = None
    """Set when a recorded breach was withdrawn by the date the state is taken on."""
    entered_late: str | None = None
    """The late entry that withdrew the breach."""

    @property
    def withdrawn(self) -> bool:
        return self.breach_withdrawn_on is not None


@dataclass(frozen=True)
class Learning:
    kind: str
    text: str
    on: date


@dataclass(frozen=True)
class Followup:
    kind: str
    text: str
    on: date


@dataclass
class Action:
    entry_reference: str
    item_id: str
    kind: str
    text: str
    owner: str
    due_on: date
    made_on: date
    completed_on: date | None
    carried_over: str | None
    followups: list[Followup] = field(default_factory=list)

    @property
    def impact(self) -> list[Followup]:
        return [f for f in self.followups if f.kind == "impact"]

    def state(self, on: date) -> str:
        return deadline_state(self.due_on, self.completed_on, False, on)


@dataclass
class RegisterEntry:
    entry_id: UUID
    kind: str
    reference: str
    entry_type: str
    category: str | None
    dimension: str | None
    title: str
    status: str
    opened_on: date
    closed_on: date | None
    good_outcome: bool
    reported_to: str | None
    deadlines: list[Deadline] = field(default_factory=list)
    learning: list[Learning] = field(default_factory=list)
    """Findings, learning, the Panel's response, strengths, areas for development."""
    actions: list[Action] = field(default_factory=list)

    @property
    def breaches(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.state in ("breached", "overdue")]


def deadline_state(due_on: date | None, done_on: date | None, breached: bool, on: date) -> str:
    return due_state(due_on, on, done_on=done_on, breached=breached).value


def register_entries(conn: Connection[Any], cipher: Cipher, start: date, end: date,
                     on: date | None = None) -> list[RegisterEntry]:
    """Reviews and audits open at any time from `start` to `end` (opened by `end`, not closed
    before `start`), oldest first, with deadlines as they stood on `on` (default `end`)."""
    on = on or end
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(
            "SELECT * FROM register_entry WHERE opened_on <= %s AND (closed_on IS NULL OR "
            "closed_on >= %s) ORDER BY opened_on, reference", (end, start)).fetchall()
    return _complete(conn, cipher, rows, on)


def good_outcome_reviews(conn: Connection[Any], cipher: Cipher,
                         on: date) -> list[RegisterEntry]:
    """Every Good Outcome Review (a good-outcome review, or a good-practice referral)."""
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute("SELECT * FROM register_entry WHERE good_outcome "
                              "ORDER BY opened_on, reference").fetchall()
    return _complete(conn, cipher, rows, on)


def actions_due(conn: Connection[Any], cipher: Cipher, by: date,
                on: date) -> list[Action]:
    """Recommendations and agreed actions not completed by `on` and due by `by`, earliest
    first (overdue ones included). An audit records no completion of its agreed actions, so
    they are listed while the audit is open, and left to the audit plan once it has closed."""
    with conn.cursor(row_factory=dict_row) as cursor:
        rows = cursor.execute(
            "SELECT a.*, e.reference FROM register_action a JOIN register_entry e "
            "USING (entry_id) WHERE a.due_on <= %s AND (a.completed_on IS NULL OR "
            "a.completed_on > %s) AND (a.kind = 'recommendation' OR e.closed_on IS NULL "
            "OR e.closed_on > %s) ORDER BY a.due_on, e.reference, a.item_id",
            (by, on, on)).fetchall()
    return [_action(row, cipher) for row in rows]


def _complete(conn: Connection[Any], cipher: Cipher, rows: list[dict[str, Any]],
              on: date) -> list[RegisterEntry]:
    entries = {row["entry_id"]: _entry(row, cipher) for row in rows}
    ids = list(entries)
    with conn.cursor(row_factory=dict_row) as cursor:
        for d in cursor.execute("SELECT * FROM register_deadline WHERE entry_id = ANY(%s) "
                                "ORDER BY due_on NULLS LAST, deadline", (ids,)):
            entries[d["entry_id"]].deadlines.append(_deadline(d, cipher, on))
        for r in cursor.execute("SELECT r.*, e.returns_due FROM register_return r JOIN "
                                "register_entry e USING (entry_id) WHERE entry_id = ANY(%s) "
                                "ORDER BY agency", (ids,)):
            entries[r["entry_id"]].deadlines.append(_return(r, on))
        for row in cursor.execute("SELECT * FROM register_learning WHERE entry_id = ANY(%s) "
                                  "ORDER BY version, n", (ids,)):
            entries[row["entry_id"]].learning.append(Learning(
                row["kind"], unseal(cipher, row["text"]) or "", row["recorded_on"]))
        followups: dict[tuple[UUID, str], list[Followup]] = {}
        for row in cursor.execute("SELECT * FROM register_followup WHERE entry_id = ANY(%s) "
                                  "ORDER BY version", (ids,)):
            followups.setdefault((row["entry_id"], row["item_id"]), []).append(
                Followup(row["kind"], unseal(cipher, row["text"]) or "", row["recorded_on"]))
        for row in cursor.execute("SELECT * FROM register_action WHERE entry_id = ANY(%s) "
                                  "ORDER BY made_on, item_id", (ids,)):
            entry = entries[row["entry_id"]]
            action = _action({**row, "reference": entry.reference}, cipher)
            action.followups = followups.get((row["entry_id"], row["item_id"]), [])
            entry.actions.append(action)
    return list(entries.values())


def _entry(row: dict[str, Any], cipher: Cipher) -> RegisterEntry:
    return RegisterEntry(row["entry_id"], row["kind"], row["reference"], row["entry_type"],
                         row["category"], row["dimension"], unseal(cipher, row["title"]) or "",
                         row["status"], row["opened_on"], row["closed_on"], row["good_outcome"],
                         row["reported_to"])


def _deadline(d: dict[str, Any], cipher: Cipher, on: date) -> Deadline:
    """A review's deadline as it stood on `on`: a breach withdrawn by then no longer stands."""
    withdrawn = d["breach_withdrawn_on"] if (d["breach_withdrawn_on"] is not None
                                             and d["breach_withdrawn_on"] <= on) else None
    breached = d["breached"] and withdrawn is None
    return Deadline(d["label"], d["due_on"], d["done_on"],
                    deadline_state(d["due_on"], d["done_on"], breached, on),
                    unseal(cipher, d["reason"]), d["breach_recorded_on"], withdrawn,
                    unseal(cipher, d["entered_late"]) if withdrawn else None)


def _return(r: dict[str, Any], on: date) -> Deadline:
    """An agency's return: met when submitted by the due date; an escalation is a breach."""
    state = deadline_state(r["returns_due"], r["submitted_on"], r["escalated_on"] is not None, on)
    reason = f"non-compliance escalated on {r['escalated_on']}" if r["escalated_on"] else None
    return Deadline(f"Return from {r['agency']}", r["returns_due"], r["submitted_on"], state,
                    reason)


def _action(row: dict[str, Any], cipher: Cipher) -> Action:
    return Action(row["reference"], row["item_id"], row["kind"], unseal(cipher, row["text"]) or "",
                  row["owner"], row["due_on"], row["made_on"], row["completed_on"],
                  unseal(cipher, row["carried_over"]))
