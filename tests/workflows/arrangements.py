"""Factories for the supervision-arrangement scenarios: a school term calendar around today, an
arrangement, its process, cases of the supervisee, a session on seed 002's agenda."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from temporalio.client import WorkflowHandle

from domain.application import Assured
from domain.arrangement import SupervisionArrangement
from domain.arrangement_commands import (
    Frustration,
    MakeArrangement,
    RecordSupervisionSession,
    SessionAgenda,
)
from domain.case_commands import CloseCase, OpenCase
from domain.term_calendar import TermCalendar
from domain.term_calendar_commands import HalfTerm, SetTermDates, SetUpTermCalendar
from tests.workflows.conftest import Running
from workflows.routing import start_for

SUPERVISOR, SUPERVISEE = "su-1", "pr-1"
LINE_MANAGER, SAFEGUARDING_LEAD = "lm-1", "dsl-1"
BUSINESS_UNIT = "bu-1"


def academic_year(day: date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}/{(first + 1) % 100:02d}"


def half_terms_around(today: date, spans: list[tuple[int, int]]) -> list[HalfTerm]:
    """Half terms from `today + start` to `today + end` days, none crossing 31 July."""
    found = []
    for n, (start, end) in enumerate(spans, start=1):
        opens, closes = today + timedelta(days=start), today + timedelta(days=end)
        if academic_year(opens) != academic_year(closes):
            closes = date(closes.year, 7, 31)
        found.append(HalfTerm(name=f"Half term {n}", starts_on=opens, ends_on=closes))
    return found


def term_calendar(app: Assured, halves: list[HalfTerm], at: datetime) -> TermCalendar:
    calendar = app.set_up_term_calendar(SetUpTermCalendar(
        name=f"Schools {at.timestamp()}", nation="ENG", by=BUSINESS_UNIT, at=at)).record
    by_year: dict[str, list[HalfTerm]] = defaultdict(list)
    for half in halves:
        by_year[academic_year(half.starts_on)].append(half)
    for year, of_year in by_year.items():
        app.set_term_dates(SetTermDates(record_id=calendar.id, academic_year=year,
                                        half_terms=tuple(of_year), by=BUSINESS_UNIT, at=at))
    return app.load(calendar.id, TermCalendar)


def make(app: Assured, at: datetime, **changes: Any) -> SupervisionArrangement:
    fields: dict[str, Any] = {
        "supervisor": SUPERVISOR, "supervisee": SUPERVISEE, "agency": "Loxdale Primary",
        "contact": "direct", "frequency": "monthly", "duration_minutes": 60,
        "supervisor_responsibilities": "Keep notes; circulate them",
        "supervisee_responsibilities": "Bring the cases that concern me",
        "changes_notice": "Two days' notice", "agenda_setting": "Agreed at the start",
        "workload_escalation": "Raised with the line manager",
        "differences_of_opinion": "Raised in the session, then the line manager",
        "line_manager": LINE_MANAGER, "safeguarding_lead": SAFEGUARDING_LEAD,
        "supervisee_started_on": date(2019, 9, 1), "review_on": at.date() + timedelta(days=300),
        "nation": "ENG", "by": SUPERVISOR, "at": at}
    return app.make_arrangement(MakeArrangement(**(fields | changes))).record


async def start(running: Running, arrangement: SupervisionArrangement) -> WorkflowHandle:
    """The process the making started; its clock held until the test moves it."""
    found = start_for("arrangement", arrangement)
    assert found is not None
    with running.env.with_time_skipping_disabled():
        return await running.client.start_workflow(found.run, found.argument,
                                                   id=found.workflow_id,
                                                   task_queue=running.task_queue)


def cases_of(app: Assured, practitioner: str, at: datetime, open_: int,
             closed: int = 0) -> list[str]:
    """`open_` open cases of `practitioner` (and `closed` closed ones); the open ones' ids."""
    ids = []
    for n in range(open_ + closed):
        case = app.open_case(OpenCase(child_reference=f"CF-{practitioner}-{n}{at.microsecond}",
                                      agency="Loxdale Primary", practitioner=practitioner,
                                      supervisor="su-9", legal_status="child_in_need",
                                      risk="medium", nation="ENG", by=practitioner,
                                      at=at)).record
        if n >= open_:
            app.close_case(CloseCase(record_id=case.id, reason="stepped down", by="su-9", at=at))
        else:
            ids.append(str(case.id))
    return sorted(ids)


def session(arrangement: SupervisionArrangement, at: datetime, session_id: str = "S-1",
            **agenda: Any) -> RecordSupervisionSession:
    items: dict[str, Any] = {
        "attendees": (SUPERVISOR, SUPERVISEE),
        "matters_arising": "Actions from the last session completed",
        "successes": "Attendance up for two pupils on plans",
        "frustrations": (Frustration(frustration="Referrals bounced back",
                                     steps_taken="Rang the hub",
                                     support_needed="Head to raise it with the locality"),),
        "concerns_to_escalate": (), "trends": "More online-safety disclosures",
        "training": "CPOMS refresher attended; useful"}
    return RecordSupervisionSession(
        record_id=arrangement.id, session_id=session_id,
        agenda=SessionAgenda(**(items | agenda)),
        next_session_on=at.date() + timedelta(days=30), by=SUPERVISOR, at=at)


def today() -> date:
    return datetime.now(UTC).date()
