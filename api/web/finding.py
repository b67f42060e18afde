"""Finding a record: by its id, or by words from the read models (a Safeguarder's name, a
case's agency or people, a review's or audit's reference or title, a submission's id), each
row only if the policy lets the person read it.

Names and titles are sealed in the read tables, so they are opened and matched here, in the
process; that is fine for a panel's or a partnership's records (thousands), and is the first
thing to replace with a search index if it ever is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Connection

from api.auth import Principal
from api.policy import Action, Decision, Facts, decide
from domain.application import AGGREGATE_KINDS, Assured
from domain.errors import RecordNotFound
from projections.sealing import unseal

KINDS = {"safeguarder": "Safeguarder", "case": "Case", "review": "Practice review",
         "audit": "Multi-agency audit", "public-submission": "Feedback from the public",
         "arrangement": "Supervision arrangement", "assurance-cycle": "Assurance cycle",
         "forward-plan": "Forward plan", "self-evaluation": "Self-evaluation"}
READ_MODELS = ["safeguarder_file", "case_supervision", "review_register", "public_submissions",
               "supervision_arrangement", "assurance_cycle", "forward_plan", "self_evaluation"]
MOST = 50


@dataclass(frozen=True)
class Found:
    kind: str
    record_id: UUID
    label: str
    detail: str

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]


def by_id(app: Assured, text: str) -> tuple[str, UUID] | None:
    """The kind of the record whose id is `text`, if there is one of a kind pages show."""
    try:
        record_id = UUID(text.strip())
    except ValueError:
        return None
    try:
        record = app.load(record_id, private=False)
    except RecordNotFound:
        return None
    kind = next((k for k, cls in AGGREGATE_KINDS.items() if type(record) is cls), None)
    return (kind, record_id) if kind in KINDS else None


def search(conn: Connection[Any], cipher: Any, who: Principal, words: str,
           kind: str | None = None) -> list[Found]:
    """Records whose name, reference or people match `words` (all of them when empty)."""
    wanted = words.strip().lower()
    found: list[Found] = []
    for finder in FINDERS:
        for facts, hit in finder(conn, cipher):
            if kind and hit.kind != kind:
                continue
            if (not wanted or wanted in hit.label.lower() or wanted in hit.detail.lower()
                    or str(hit.record_id).startswith(wanted)) and \
                    decide(who, Action.READ, facts) == Decision.ALLOW:
                found.append(hit)
    return found[:MOST]


def safeguarders(conn: Connection[Any], cipher: Any, who: Principal) -> list[Found]:
    """Every Safeguarder `who` may read, by name (no limit: a panel has hundreds at most)."""
    found = [hit for facts, hit in _safeguarders(conn, cipher)
             if decide(who, Action.READ, facts) == Decision.ALLOW]
    return sorted(found, key=lambda hit: hit.label.lower())


def _safeguarders(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT safeguarder_id, name, region, status, support_manager "
                        "FROM safeguarder ORDER BY applied_on").fetchall()
    return [(Facts("safeguarder", region=region, support_manager=manager),
             Found("safeguarder", sid, unseal(cipher, name) or "",
                   f"{region}, {status}" + (f", supported by {manager}" if manager else "")))
            for sid, name, region, status, manager in rows]


def _cases(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT case_id, agency, practitioner, supervisor, legal_status, "
                        "audits FROM case_state ORDER BY opened_on").fetchall()
    return [(Facts("case", practitioner=practitioner, supervisor=supervisor,
                   named_in_review=audits > 0),
             Found("case", cid, f"Case in {agency}", f"{status.replace('_', ' ')}; "
                   f"practitioner {practitioner}, supervisor {supervisor}"))
            for cid, agency, practitioner, supervisor, status, audits in rows]


def _register(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT entry_id, kind, reference, title, status FROM register_entry "
                        "ORDER BY opened_on").fetchall()
    return [(Facts(kind), Found(kind, eid, reference, f"{unseal(cipher, title) or ''} "
                                f"({status.replace('_', ' ')})"))
            for eid, kind, reference, title, status in rows]


def _submissions(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT submission_id, about, status, received_at FROM "
                        "public_submission ORDER BY received_at").fetchall()
    return [(Facts("public-submission"), Found("public-submission", sid,
                                               f"Feedback from the public ({about})",
                                               f"received {received:%-d %B %Y}, {status}"))
            for sid, about, status, received in rows]


def _arrangements(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT arrangement_id, agency, supervisor, supervisee, line_manager, "
                        "safeguarding_lead FROM arrangement ORDER BY made_on").fetchall()
    return [(Facts("arrangement", parties=(supervisor, supervisee), contributors=(lm, lead)),
             Found("arrangement", aid, f"Supervision of {supervisee} by {supervisor}", agency))
            for aid, agency, supervisor, supervisee, lm, lead in rows]


def _cycles(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute(
        "SELECT c.cycle_id, c.quarter, c.stage, ARRAY(SELECT lead FROM cycle_evidence e WHERE "
        "e.cycle_id = c.cycle_id UNION SELECT to_whom FROM cycle_query q WHERE q.cycle_id = "
        "c.cycle_id) FROM cycle c ORDER BY c.quarter").fetchall()
    return [(Facts("assurance-cycle", contributors=tuple(sorted(people))),
             Found("assurance-cycle", cid, f"Assurance cycle {quarter}",
                   stage.replace("_", " ")))
            for cid, quarter, stage, people in rows]


def _plans(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT p.plan_id, p.name, ARRAY(SELECT DISTINCT owner FROM plan_item i "
                        "WHERE i.plan_id = p.plan_id) FROM plan p ORDER BY p.name").fetchall()
    return [(Facts("forward-plan", contributors=tuple(sorted(owners))),
             Found("forward-plan", pid, name, "forward plan")) for pid, name, owners in rows]


def _self_evaluations(conn: Connection[Any], cipher: Any) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT evaluation_id, leader, audience, year FROM self_evaluation "
                        "ORDER BY year").fetchall()
    return [(Facts("self-evaluation", parties=(leader,)),
             Found("self-evaluation", eid, f"Self-evaluation {year}", f"{leader} ({audience})"))
            for eid, leader, audience, year in rows]


FINDERS = (_safeguarders, _cases, _register, _submissions, _arrangements, _cycles, _plans,
           _self_evaluations)
