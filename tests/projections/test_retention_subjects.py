"""The retention listing's read table (projections/retention_subjects.py) lists what replaying
every record lists, however a record came to be closed: a case audited after it closed keeps
its 25 years from that audit; a hold, a lift and an erasure move it in and out; a Scottish
looked-after child's case is never listed; and a table behind the log is not trusted."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from domain.application import Assured
from domain.case_commands import CloseCase, NoteAuditSelection, OpenCase
from domain.safeguarder_commands import ApplyToPanel, Resign
from domain.subject_commands import EraseSubject, LiftLegalHold, PlaceLegalHold
from projections.retention_subjects import RetentionSubjects, current_closed_records
from projections.runner import Runner
from tests.refusals import at
from workflows.retention.activities import RetentionActivities

YEARS = 365.25


def case(app: Assured, reference: str, nation: str, status: str, closed: float) -> uuid.UUID:
    record = app.open_case(OpenCase(
        child_reference=reference, agency=f"Agency {reference}", practitioner="pr-1",
        supervisor="su-1", legal_status=status, risk="low", nation=nation, by="pr-1",
        at=at(0))).record
    app.close_case(CloseCase(record_id=record.id, reason="Closed", by="su-1", at=at(closed)))
    return record.id


def test_the_table_lists_exactly_what_a_replay_lists(app: Assured) -> None:
    gone = app.apply_to_panel(ApplyToPanel(name="Ainsley Gone", region="East", by="pa-1",
                                           at=at(0))).record.id
    app.resign(Resign(record_id=gone, reason="moved", by="pa-1", at=at(10)))
    held = app.apply_to_panel(ApplyToPanel(name="Bryn Held", region="East", by="pa-1",
                                           at=at(0))).record.id
    app.resign(Resign(record_id=held, reason="moved", by="pa-1", at=at(11)))
    app.place_legal_hold(PlaceLegalHold(record_id=held, grounds="Inquiry", by="dpo", at=at(12)))
    lifted = app.apply_to_panel(ApplyToPanel(name="Cai Lifted", region="East", by="pa-1",
                                             at=at(0))).record.id
    app.resign(Resign(record_id=lifted, reason="moved", by="pa-1", at=at(11)))
    app.place_legal_hold(PlaceLegalHold(record_id=lifted, grounds="Inquiry", by="dpo",
                                        at=at(12)))
    app.lift_legal_hold(LiftLegalHold(record_id=lifted, grounds="Closed", by="dpo", at=at(13)))
    erased = app.apply_to_panel(ApplyToPanel(name="Dara Erased", region="East", by="pa-1",
                                             at=at(0))).record.id
    app.resign(Resign(record_id=erased, reason="moved", by="pa-1", at=at(11)))
    app.erase_subject(EraseSubject(record_id=erased, grounds="Art. 17", by="dpo", at=at(12)))
    app.apply_to_panel(ApplyToPanel(name="Eden Serving", region="East", by="pa-1", at=at(0)))
    plain = case(app, "C-ENG-0001", "ENG", "child_in_need", 20)
    audited = case(app, "C-ENG-0002", "ENG", "child_in_need", 20)
    record = app.load(audited)
    record.note_audit_selection(NoteAuditSelection(record_id=audited, audit_id=uuid.uuid4(),
                                                   by="process:audit", at=at(400)))
    app.record(record)
    scottish = case(app, "C-SCT-0003", "SCT", "looked_after", 20)  # to the 100th birthday

    runner = Runner(app, [RetentionSubjects()])
    activities = RetentionActivities(app, current_closed_records)
    assert activities.closed_records(app) is None  # not built yet: the listing would replay
    runner.catch_up(runner.projections[0])
    rows = current_closed_records(app)
    assert rows is not None
    assert {r.subject_id for r in rows} == {gone, lifted, plain, audited, scottish}
    audited_row = next(r for r in rows if r.subject_id == audited)
    assert audited_row.closed_on == at(400)  # its last fact, as a replay reads it

    for years in (6.1, 25.2, 26.3, 101):
        today = (at(0) + timedelta(days=years * YEARS)).date()
        from_table = activities.list_past_retention(today.isoformat())
        assert from_table == activities._by_replay(today), years
    listed = activities.list_past_retention((at(0) + timedelta(days=25.2 * YEARS)).date()
                                            .isoformat())
    assert {d.record_id for d in listed.due} == {str(gone), str(lifted), str(plain)}
    assert listed.next_due is not None and date.fromisoformat(listed.next_due) > \
        (at(0) + timedelta(days=25.2 * YEARS)).date()  # the audited case: 25 years from then

    app.resign(Resign(record_id=app.apply_to_panel(ApplyToPanel(
        name="Fin Later", region="East", by="pa-1", at=at(0))).record.id, reason="moved",
        by="pa-1", at=at(30)))
    assert current_closed_records(app) is None  # behind the log: not trusted
