"""An event log of the size the fault tests need, and every read table read whole.

The log is the projection tests' world (a panel and caseload through several rounds: every event
kind the read models handle), then busy cases of about 100 events each, one save per case, with
past dates and hostile free text, until the log holds the number of events asked for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

from domain.application import Assured
from domain.case import Case
from domain.case_commands import (
    AgreedAction,
    ChangeRisk,
    CompleteAction,
    EscalateCaseConcern,
    MarkActionOverdue,
    OpenCase,
    RaiseCaseConcern,
    RecordDiscussion,
    ResolveCaseConcern,
    SignDiscussion,
)
from tests.projections.stories import World

START = datetime(2025, 9, 1, 9, tzinfo=UTC)
HOSTILE = "Robert'); DROP TABLE case_state;-- <script>alert(1)</script> «ça va» 🙂\n\t\\"


def busy_case(n: int, cycles: int = 9) -> Case:
    """A case of 1 + 11 events a cycle: nine months of monthly supervision by default."""
    case = Case.open(OpenCase(child_reference=f"BUSY-{n:05d}", agency="school",
                              practitioner="pat", supervisor="sam",
                              legal_status="child_protection", risk="low", nation="ENG",
                              by="sam", at=START))
    for cycle in range(cycles):
        day = START + timedelta(days=30 * cycle + 1)
        on, d = day.date(), f"d{cycle}"
        case.record_discussion(RecordDiscussion(
            record_id=case.id, discussion_id=d, supervisor="sam", supervisee="pat",
            needs=HOSTILE, risks="risks", engagement="engages", capacity_for_change="some",
            plan=f"plan {cycle}", rag="GAR"[cycle % 3],
            actions=tuple(AgreedAction(action_id=f"a{cycle}-{k}", description=HOSTILE,
                                       owner="pat", due=on + timedelta(days=5 + 15 * k))
                          for k in range(2)),
            next_discussion_on=on + timedelta(days=30), by="sam", at=day))
        for party in ("sam", "pat"):
            case.sign_discussion(SignDiscussion(record_id=case.id, discussion_id=d,
                                                party=party, by=party, at=day))
        case.complete_action(CompleteAction(record_id=case.id, action_id=f"a{cycle}-0",
                                            by="pat", at=day + timedelta(days=4)))
        case.mark_action_overdue(MarkActionOverdue(
            record_id=case.id, action_id=f"a{cycle}-1", on=on + timedelta(days=21),
            by="process:supervision-cadence", at=day + timedelta(days=21)))
        case.change_risk(ChangeRisk(record_id=case.id, new_risk=("medium", "high", "low")[
            cycle % 3], by="sam", at=day + timedelta(days=22)))
        concern = f"c{cycle}"
        case.raise_concern(RaiseCaseConcern(record_id=case.id, concern_id=concern,
                                            summary=HOSTILE, by="pat",
                                            at=day + timedelta(days=23)))
        case.escalate_concern(EscalateCaseConcern(record_id=case.id, concern_id=concern,
                                                  reason="no answer", by="pat",
                                                  at=day + timedelta(days=24)))
        case.resolve_concern(ResolveCaseConcern(record_id=case.id, concern_id=concern,
                                                outcome="plan revised", by="sam",
                                                at=day + timedelta(days=25)))
        case.record_process_step(f"reminder-{cycle}", "supervision-cadence",
                                 "discussion reminder sent", {},
                                 by="process:supervision-cadence", at=day + timedelta(days=27))
    return case


def record_log(app: Assured, events: int, rounds: int = 3) -> int:
    """Record `rounds` of the world, then busy cases up to at least `events`; the log's head."""
    world = World(app)
    for _ in range(rounds):
        world.next_round()
    n = 0
    while (head := app.recorder.max_notification_id() or 0) < events:
        app.record(busy_case(n, cycles=min(9, max(1, (events - head) // 11))))
        n += 1
    return head


def every_read_table(conninfo: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of every read model built (their positions too), sorted."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        contents = {}
        registered = conn.execute("SELECT tables FROM projection_registry").fetchall()
        for (tables,) in registered:
            for table in tables:
                rows = conn.execute(sql.SQL("SELECT * FROM {}").format(
                    sql.Identifier(table))).fetchall()
                contents[table] = sorted(rows, key=repr)
        return contents
