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
Ids = list[UUID] | None
"""The records a finder is kept to (None: every record), so that a page which needs a few
(My work) does not open every name in the read tables."""


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


def _only(column: str) -> str:
    """The condition that keeps a finder to the records `ids` names (all of them if None)."""
    return f"(%(ids)s::uuid[] IS NULL OR {column} = ANY(%(ids)s))"


def _safeguarders(conn: Connection[Any], cipher: Any, ids: Ids = None
                  ) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT safeguarder_id, name, region, status, support_manager FROM "
                        f"safeguarder WHERE {_only('safeguarder_id')} ORDER BY applied_on",
                        {"ids": ids}).fetchall()
    return [(Facts("safeguarder", region=region, support_manager=manager),
             Found("safeguarder", sid, unseal(cipher, name) or "",
                   f"{region}, {status}" + (f", supported by {manager}" if manager else "")))
            for sid, name, region, status, manager in rows]


def _cases(conn: Connection[Any], cipher: Any, ids: Ids = None) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT case_id, agency, practitioner, supervisor, legal_status, "
                        f"audits FROM case_state WHERE {_only('case_id')} ORDER BY opened_on",
                        {"ids": ids}).fetchall()
    return [(Facts("case", practitioner=practitioner, supervisor=supervisor,
                   named_in_review=audits > 0),
             Found("case", cid, f"Case in {agency}", f"{status.replace('_', ' ')}; "
                   f"practitioner {practitioner}, supervisor {supervisor}"))
            for cid, agency, practitioner, supervisor, status, audits in rows]


def _register(conn: Connection[Any], cipher: Any, ids: Ids = None
              ) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT entry_id, kind, reference, title, status FROM register_entry "
                        f"WHERE {_only('entry_id')} ORDER BY opened_on", {"ids": ids}).fetchall()
    return [(Facts(kind), Found(kind, eid, reference, f"{unseal(cipher, title) or ''} "
                                f"({status.replace('_', ' ')})"))
            for eid, kind, reference, title, status in rows]


def _submissions(conn: Connection[Any], cipher: Any, ids: Ids = None
                 ) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT submission_id, about, status, received_at FROM "
                        f"public_submission WHERE {_only('submission_id')} "
                        "ORDER BY received_at", {"ids": ids}).fetchall()
    return [(Facts("public-submission"), Found("public-submission", sid,
                                               f"Feedback from the public ({about})",
                                               f"received {received:%-d %B %Y}, {status}"))
            for sid, about, status, received in rows]


def _arrangements(conn: Connection[Any], cipher: Any, ids: Ids = None
                  ) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT arrangement_id, agency, supervisor, supervisee, line_manager, "
                        f"safeguarding_lead FROM arrangement WHERE {_only('arrangement_id')} "
                        "ORDER BY made_on", {"ids": ids}).fetchall()
    return [(Facts("arrangement", parties=(supervisor, supervisee), contributors=(lm, lead)),
             Found("arrangement", aid, f"Supervision of {supervisee} by {supervisor}", agency))
            for aid, agency, supervisor, supervisee, lm, lead in rows]


def _cycles(conn: Connection[Any], cipher: Any, ids: Ids = None) -> list[tuple[Facts, Found]]:
    rows = conn.execute(
        "SELECT c.cycle_id, c.quarter, c.stage, ARRAY(SELECT lead FROM cycle_evidence e WHERE "
        "e.cycle_id = c.cycle_id UNION SELECT to_whom FROM cycle_query q WHERE q.cycle_id = "
        f"c.cycle_id) FROM cycle c WHERE {_only('c.cycle_id')} ORDER BY c.quarter",
        {"ids": ids}).fetchall()
    return [(Facts("assurance-cycle", contributors=tuple(sorted(people))),
             Found("assurance-cycle", cid, f"Assurance cycle {quarter}",
                   stage.replace("_", " ")))
            for cid, quarter, stage, people in rows]


def _plans(conn: Connection[Any], cipher: Any, ids: Ids = None) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT p.plan_id, p.name, ARRAY(SELECT DISTINCT owner FROM plan_item i "
                        f"WHERE i.plan_id = p.plan_id) FROM plan p WHERE {_only('p.plan_id')} "
                        "ORDER BY p.name", {"ids": ids}).fetchall()
    return [(Facts("forward-plan", contributors=tuple(sorted(owners))),
             Found("forward-plan", pid, name, "forward plan")) for pid, name, owners in rows]


def _self_evaluations(conn: Connection[Any], cipher: Any, ids: Ids = None
                      ) -> list[tuple[Facts, Found]]:
    rows = conn.execute("SELECT evaluation_id, leader, audience, year FROM self_evaluation "
                        f"WHERE {_only('evaluation_id')} ORDER BY year", {"ids": ids}).fetchall()
    return [(Facts("self-evaluation", parties=(leader,)),
             Found("self-evaluation", eid, f"Self-evaluation {year}", f"{leader} ({audience})"))
            for eid, leader, audience, year in rows]


FINDERS = (_safeguarders, _cases, _register, _submissions, _arrangements, _cycles, _plans,
           _self_evaluations)
