"""A realistic event log of any length, made fast: real records copied under new ids.

`realistic_log(app, events)` first makes a template through the application's own commands
(`assured demo`'s lives: a Safeguarder through a whole term, a child's case, a rapid review and
a multi-agency audit, with past dates; and a case of 100 events, nine months of supervision),
then appends copies of those records until the log holds `events` events. A copy is each
template event with every record id (as a UUID or as text, wherever it appears in the event)
replaced by the copy's own, encoded by the store's own mapper (compressed, encrypted in its
place, personal fields sealed with the copy's own subject key) and appended by the store's
own insert function (the hash chain included), a thousand events per call. So every copy is
what the application would have stored for another Safeguarder, case, review and audit; only
the commands' rule checks are not run again for it. (The panel region is shared, not copied:
its name is unique.)
"""

from __future__ import annotations

import contextlib
import io
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from api.cli.demo import audit_life, case_life, review_life, safeguarder_life
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
    RecordAuditGrade,
    RecordDiscussion,
    ResolveCaseConcern,
    SignDiscussion,
)
from domain.record import natural_id

START = datetime(2026, 1, 5, 9, tzinfo=UTC)
BATCH = 1000


def busy_case(n: int) -> Case:
    """A case of exactly 100 events: opened, then nine months of supervision."""
    case = Case.open(OpenCase(child_reference=f"BENCH-{n:06d}", agency="school",
                              practitioner="pat", supervisor="sam",
                              legal_status="child_protection", risk="low", nation="ENG",
                              by="sam", at=START))
    for cycle in range(9):
        day = START + timedelta(days=30 * cycle + 1)
        on = day.date()
        discussion = f"d{cycle}"
        case.record_discussion(RecordDiscussion(
            record_id=case.id, discussion_id=discussion, supervisor="sam", supervisee="pat",
            needs="n", risks="r", engagement="e", capacity_for_change="c", plan="p",
            rag="GAR"[cycle % 3],
            actions=tuple(AgreedAction(action_id=f"a{cycle}-{k}", description="visit",
                                       owner="pat", due=on + timedelta(days=5 + 15 * k))
                          for k in range(2)),
            next_discussion_on=on + timedelta(days=30), by="sam", at=day))
        case.sign_discussion(SignDiscussion(record_id=case.id, discussion_id=discussion,
                                            party="sam", by="sam", at=day))
        case.sign_discussion(SignDiscussion(record_id=case.id, discussion_id=discussion,
                                            party="pat", by="pat", at=day))
        case.complete_action(CompleteAction(record_id=case.id, action_id=f"a{cycle}-0",
                                            by="pat", at=day + timedelta(days=4)))
        case.mark_action_overdue(MarkActionOverdue(
            record_id=case.id, action_id=f"a{cycle}-1", on=on + timedelta(days=21), by="sam",
            at=day + timedelta(days=21)))
        case.change_risk(ChangeRisk(record_id=case.id,
                                    new_risk=("medium", "high", "low")[cycle % 3],
                                    by="sam", at=day + timedelta(days=22)))
        case.raise_concern(RaiseCaseConcern(record_id=case.id, concern_id=f"c{cycle}",
                                            summary="seen at school", by="pat",
                                            at=day + timedelta(days=23)))
        case.escalate_concern(EscalateCaseConcern(record_id=case.id, concern_id=f"c{cycle}",
                                                  reason="r", by="pat",
                                                  at=day + timedelta(days=24)))
        case.resolve_concern(ResolveCaseConcern(record_id=case.id, concern_id=f"c{cycle}",
                                                outcome="o", by="sam",
                                                at=day + timedelta(days=25)))
        case.record_audit_grade(RecordAuditGrade(
            record_id=case.id, audit_id=natural_id("audit", f"bench-{cycle}"), grade="good",
            by="auditor", at=day + timedelta(days=26)))
        case.record_process_step(f"step-{cycle}", "supervision", "reminder sent", {},
                                 by="process:supervision", at=day + timedelta(days=27))
    assert case.version == 100
    return case


def template(app: Assured) -> list[UUID]:
    """The records to copy, made through the application."""
    with contextlib.redirect_stdout(io.StringIO()):  # (a life prints its expected refusals)
        safeguarder = safeguarder_life(app)
        case = case_life(app, "T00001")
        review = review_life(app, "T00001")
        audit = audit_life(app, [str(case)], "T00001")
    busy = busy_case(0)
    app.record(busy)
    return [safeguarder, case, review, audit, busy.id]


def _renamed(value: Any, ids: dict[Any, Any]) -> Any:
    """`value` with every template id in it (a UUID, or its text) replaced by the copy's."""
    kind = type(value)
    if kind is UUID or kind is str:
        return ids.get(value, value)
    if kind is dict:
        return {k: _renamed(v, ids) for k, v in value.items()}
    if kind is list or kind is tuple:
        return kind(_renamed(v, ids) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        changed = {f: _renamed(getattr(value, f), ids) for f in value.__dataclass_fields__}
        return type(value)(**changed) if changed != {f: getattr(value, f) for f in changed} \
            else value
    return value


def copy_records(app: Assured, records: list[UUID], events: int, copy: int = 0) -> int:
    """Append copies of `records` until `events` events are appended; returns how many."""
    originals = [e for record in records for e in app.stored_events(record)]
    originals.sort(key=lambda e: e.timestamp)  # interleaved as they were recorded
    written, pending = 0, []
    while written + len(pending) < events:
        copy += 1
        ids: dict[Any, Any] = {}
        for record in records:
            new = uuid.uuid5(record, f"copy {copy}")
            ids[record], ids[str(record)] = new, str(new)
        for event in originals[:events - written - len(pending)]:
            state = {k: _renamed(v, ids) for k, v in vars(event).items()}
            clone = object.__new__(type(event))
            object.__setattr__(clone, "__dict__", state)
            pending.append(app.mapper.to_stored_event(clone))
            if len(pending) == BATCH:
                app.recorder.insert_events(pending)
                written, pending = written + len(pending), []
    if pending:
        app.recorder.insert_events(pending)
        written += len(pending)
    return written


def realistic_log(app: Assured, events: int, report: bool = True) -> float:
    """Make the log `events` events long (a template, then copies); seconds taken."""
    began = time.perf_counter()
    records = template(app)
    made = sum(len(app.stored_events(r)) for r in records)
    head = app.recorder.max_notification_id() or 0
    copy_records(app, records, max(0, events - head))
    taken = time.perf_counter() - began
    if report:
        print(f"  {app.recorder.max_notification_id():,} events: a template of {made} "
              f"through the application, then copies under new ids, in {taken:.1f} s",
              flush=True)
    return taken
