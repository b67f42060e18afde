"""The rapid review of a serious incident on the real dev server: its statutory clocks run in the
incident's nation's working days, a missed deadline is recorded as a breach when its timer fires
(dated as the deadline passed), late steps need a reason, overdue information is chased, a
commissioned LCSPR and its recommendations are followed to closure; a step entered after its
breach was recorded but dated within its deadline withdraws the breach; bad updates and second
starts are refused.

The Christmas scenarios fall in December 2037 and January 2038, whose days of the week and bank
holidays fall as those of 2026-27: the workflow's clock starts at the real now and is moved on
to them, so they lie well ahead of it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.calendar import add_working_days
from domain.policy import add_months
from domain.review import Review
from domain.review_commands import (
    AddRecommendation,
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    ReceiveAgencyInformation,
    RecordPanelResponse,
    Refer,
    RequestAgencyInformation,
)
from tests.commands import Commands
from tests.workflows.conftest import (
    Running,
    advance_to,
    eventually,
    events,
    keep_history,
    now,
    refused,
    step_names,
    steps,
)
from workflows.acting import Acted
from workflows.common import Deadline
from workflows.rapid_review.workflow import RapidReviewWorkflow, rapid_review_id
from workflows.routing import start_for

AWARE = date(2037, 12, 22)  # a Tuesday, just before the Christmas and New Year bank holidays
REFERRED_AT = datetime(2037, 12, 22, 9, 0, tzinfo=UTC)
CHAIR = "practice-review-chair"

cmd = Commands(by=CHAIR)


def refer(app: Assured, nation: str, aware: date = AWARE,
          at: datetime = REFERRED_AT) -> Review:
    """A serious incident the partnership became aware of on `aware`."""
    return app.refer(Refer(reference=f"RR-{uuid.uuid4().hex[:8]}", referrer="police",
                           category="serious_incident", summary="serious incident notified",
                           nation=nation, review_type="rapid_review", became_aware_on=aware,
                           by=CHAIR, at=at)).record


async def start(running: Running, review: Review) -> WorkflowHandle:
    """The process the referral started, its clock held: the test moves it itself."""
    found = start_for("review", review)
    assert found is not None and found.workflow_id == rapid_review_id(str(review.id))
    with running.env.with_time_skipping_disabled():
        return await running.client.start_workflow(
            found.run, found.argument, id=found.workflow_id, task_queue=running.task_queue)


async def act(running: Running, handle: WorkflowHandle, update: Any, kind: type,
              review: Review, **fields: Any) -> str:
    """A person's command on the review, dated by the workflow's clock unless told; the
    process's answer."""
    fields.setdefault("at", await now(running, handle))
    acted: Acted = await handle.execute_update(update, cmd(kind, review, **fields))
    return acted.answer


async def dated_now(running: Running, handle: WorkflowHandle, kind: type, review: Review,
                    **fields: Any) -> Any:
    return cmd(kind, review, at=await now(running, handle), **fields)


def only_step(app: Assured, review: Review, name: str) -> Any:
    [found] = steps(app, review.id, name)
    return found


def on(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def where(handle: WorkflowHandle, check: Any) -> Any:
    """An `eventually` check: the workflow's status once `check(status)` holds."""
    async def status() -> Any:
        current = await handle.query(RapidReviewWorkflow.status)
        return current if check(current) else None
    return status


@pytest.mark.parametrize(("nation", "panel_due", "rapid_due", "rapid_warning"), [
    # ENG: 25 Dec, 28 Dec (Boxing Day substitute) and 1 Jan are bank holidays.
    ("ENG", date(2037, 12, 31), date(2038, 1, 15), date(2038, 1, 13)),
    # SCT also keeps 2 Jan, observed on Monday 4 Jan.
    ("SCT", date(2037, 12, 31), date(2038, 1, 18), date(2038, 1, 14)),
])
async def test_a_rapid_review_done_on_time_counts_the_nations_working_days(
    running: Running, nation: str, panel_due: date, rapid_due: date, rapid_warning: date,
) -> None:
    assert add_working_days(AWARE, 5, nation) == panel_due
    assert add_working_days(AWARE, 15, nation) == rapid_due
    review = refer(running.app, nation)
    handle = await start(running, review)
    await advance_to(running, handle, on(date(2037, 12, 23)))
    status = await eventually(where(handle, lambda s: s.state == "rapid review"))
    assert (status.nation, status.panel_notification_due, status.rapid_review_due) == \
        (nation, panel_due, rapid_due)
    deadlines_set = only_step(running.app, review, "deadlines set")
    assert deadlines_set.details == {
        "nation": nation, "became_aware_on": "2037-12-22",
        "panel_notification_due": panel_due.isoformat(), "rapid_review_due": rapid_due.isoformat(),
        "panel_notification_warning_on": "2037-12-29",
        "rapid_review_warning_on": rapid_warning.isoformat(),
    }
    assert deadlines_set.occurred_on == REFERRED_AT  # dated at the referral

    await request_and_chase(running, handle, review)
    await complete_on_time(running, handle, review)
    result = await handle.result()
    assert (result.state, result.breaches, result.lcspr_commissioned) == ("closed", [], False)
    assert events(running.app, review.id, "BreachRecorded") == []
    assert "at-risk warning" not in step_names(running.app, review.id)
    assert running.app.load(review.id, Review).breaches == []
    await keep_history(handle, f"RapidReviewWorkflow-on-time-{nation}")


async def request_and_chase(running: Running, handle: WorkflowHandle, review: Review) -> None:
    """Two agencies asked for information by 24 December; health answers, police is chased."""
    for request_id, agency in (("req-police", "police"), ("req-health", "health")):
        answer = await act(running, handle, RapidReviewWorkflow.request_agency_information,
                           RequestAgencyInformation, review, request_id=request_id,
                           agency=agency, due_on=date(2037, 12, 24))
        assert answer == f"Information {request_id} requested from {agency}, due 2037-12-24"
    await act(running, handle, RapidReviewWorkflow.receive_agency_information,
              ReceiveAgencyInformation, review, request_id="req-health")
    assert await act(running, handle, RapidReviewWorkflow.notify_panel, NotifyPanel,
                     review) == "Panel notified"
    await advance_to(running, handle, on(date(2037, 12, 26)))
    status = await eventually(where(handle, lambda s: s.chased_requests))
    assert (status.chased_requests, status.outstanding_requests) == (["req-police"],
                                                                     ["req-police"])
    chase = only_step(running.app, review, "information chased")
    assert chase.details == {"request_id": "req-police", "due_on": "2037-12-24", "to": "police"}
    assert chase.occurred_on == datetime(2037, 12, 25, tzinfo=UTC)  # as 24 December ended
    assert (await handle.query(RapidReviewWorkflow.deadlines))[1:] == [
        Deadline("Rapid review", status.rapid_review_due, False),
        Deadline("information request req-police", date(2037, 12, 24), False),
        Deadline("information request req-health", date(2037, 12, 24), True)]
    await act(running, handle, RapidReviewWorkflow.receive_agency_information,
              ReceiveAgencyInformation, review, request_id="req-police")


async def complete_on_time(running: Running, handle: WorkflowHandle, review: Review) -> None:
    assert await act(running, handle, RapidReviewWorkflow.complete_rapid_review,
                     CompleteRapidReview, review,
                     findings="information sharing gaps between agencies",
                     learning=["share plans"], recommend_lcspr=False,
                     rationale="learning can be taken forward without an LCSPR") == \
        "Rapid review completed"
    await act(running, handle, RapidReviewWorkflow.record_panel_response, RecordPanelResponse,
              review, response="agrees with the recommendation")
    assert await act(running, handle, RapidReviewWorkflow.decide_lcspr, DecideLcspr, review,
                     commission=False, rationale="learning captured by the rapid review") == \
        "No LCSPR commissioned"
    assert await act(running, handle, RapidReviewWorkflow.close, CloseReview, review) == \
        "Review closed"


async def test_missed_deadlines_are_breaches_and_late_steps_need_a_reason(
    running: Running,
) -> None:
    review = refer(running.app, "ENG")
    handle = await start(running, review)
    # Nobody acts on the deadlines until the day after the rapid review was due.
    await advance_to(running, handle, on(date(2038, 1, 17)))
    await eventually(where(handle, lambda s: len(s.breaches) == 2))
    assert await handle.query(RapidReviewWorkflow.deadlines) == [
        Deadline("Panel notification", date(2037, 12, 31), False),
        Deadline("Rapid review", date(2038, 1, 15), False)]
    warnings = steps(running.app, review.id, "at-risk warning")
    assert [(w.details["step"], w.details["to"], w.occurred_on) for w in warnings] == [
        ("panel_notification", "sub-group chair", datetime(2037, 12, 29, tzinfo=UTC)),
        ("rapid_review", "sub-group chair", datetime(2038, 1, 13, tzinfo=UTC)),
    ]
    breaches = events(running.app, review.id, "BreachRecorded")
    assert [(b.step, b.occurred_on) for b in breaches] == [
        ("panel_notification", datetime(2038, 1, 1, tzinfo=UTC)),  # as 31 Dec, the deadline, ends
        ("rapid_review", datetime(2038, 1, 16, tzinfo=UTC)),  # as 15 Jan ends
    ]
    assert breaches[0].reason == "Panel notification not done by its deadline (2037-12-31)"

    await late_steps_need_a_reason(running, handle, review)
    record = running.app.load(review.id, Review)
    assert [(b["step"], b["recorded_via"], b["done_on"]) for b in record.breaches] == [
        ("panel_notification", "missed_deadline", date(2038, 1, 17)),
        ("rapid_review", "missed_deadline", date(2038, 1, 17))]
    assert record.panel_notification["late_reason"] == "the referral reached us after the holiday"
    assert events(running.app, review.id, "BreachWithdrawn") == []  # done late, not in time

    await lcspr_followed_to_closure(running, handle, review)
    await keep_history(handle, "RapidReviewWorkflow-breached-then-lcspr")


async def late_steps_need_a_reason(running: Running, handle: WorkflowHandle,
                                   review: Review) -> None:
    """After the deadline, a step without a reason is refused and changes nothing."""
    before = (len(running.app.stored_events(review.id)),
              await handle.query(RapidReviewWorkflow.status))
    rule = await refused(handle, RapidReviewWorkflow.notify_panel,
                         await dated_now(running, handle, NotifyPanel, review))
    assert "after its deadline (2037-12-31) needs a reason for the delay" in rule
    rule = await refused(handle, RapidReviewWorkflow.complete_rapid_review, await dated_now(
        running, handle, CompleteRapidReview, review, findings="findings",
        recommend_lcspr=True, rationale="an LCSPR is needed"))
    assert "after its deadline (2038-01-15) needs a reason for the delay" in rule
    assert (len(running.app.stored_events(review.id)),
            await handle.query(RapidReviewWorkflow.status)) == before

    answer = await act(running, handle, RapidReviewWorkflow.notify_panel, NotifyPanel, review,
                       late_reason="the referral reached us after the holiday")
    assert answer == "Panel notified late; the delay's reason is recorded"
    answer = await act(running, handle, RapidReviewWorkflow.complete_rapid_review,
                       CompleteRapidReview, review,
                       findings="missed opportunities to share concerns",
                       learning=["joint visits"], recommend_lcspr=True,
                       rationale="the case may show systemic learning",
                       late_reason="agency chronologies arrived late")
    assert answer == "Rapid review completed late; the delay's reason is recorded"
    [notified] = events(running.app, review.id, "PanelNotified")
    assert notified.late_reason == "the referral reached us after the holiday"


async def lcspr_followed_to_closure(running: Running, handle: WorkflowHandle,
                                    review: Review) -> None:
    """A commissioned LCSPR: reminder and overdue step; overdue recommendations; closure."""
    for rid, due in (("rec-1", date(2038, 2, 15)), ("rec-2", date(2038, 3, 1))):
        await act(running, handle, RapidReviewWorkflow.add_recommendation, AddRecommendation,
                  review, recommendation_id=rid, text="agree a joint chronology template",
                  owner_agency="health", due_on=due)
    await act(running, handle, RapidReviewWorkflow.record_panel_response, RecordPanelResponse,
              review, response="supports an LCSPR")
    answer = await act(running, handle, RapidReviewWorkflow.decide_lcspr, DecideLcspr, review,
                       commission=True, rationale="systemic learning",
                       reviewer="independent reviewer", scope="the year before the incident")
    [decided] = events(running.app, review.id, "LcsprDecided")
    assert decided.occurred_on.date() == date(2038, 1, 17)
    assert decided.due_on == add_months(date(2038, 1, 17), 6) == date(2038, 7, 17)
    assert answer == f"LCSPR commissioned, due {decided.due_on}"

    await advance_to(running, handle, on(date(2038, 3, 3)))
    status = await eventually(where(handle, lambda s: len(s.overdue_recommendations) == 2))
    assert status.overdue_recommendations == ["rec-1", "rec-2"]
    assert not status.lcspr_overdue
    await advance_to(running, handle, on(decided.due_on + timedelta(days=2)))
    status = await eventually(where(handle, lambda s: s.lcspr_overdue))
    assert (status.state, status.lcspr_due) == ("LCSPR commissioned", decided.due_on)
    overdue = steps(running.app, review.id, "recommendation overdue")
    assert [(e.details["recommendation_id"], e.details["to"], e.occurred_on)
            for e in overdue] == [("rec-1", "health", datetime(2038, 2, 16, tzinfo=UTC)),
                                  ("rec-2", "health", datetime(2038, 3, 2, tzinfo=UTC))]
    # Five working days before Saturday 17 July 2038 (`Policy.reminder_lead`).
    assert only_step(running.app, review, "LCSPR reminder").occurred_on == \
        datetime(2038, 7, 12, tzinfo=UTC)
    assert only_step(running.app, review, "LCSPR overdue").occurred_on == \
        datetime(2038, 7, 18, tzinfo=UTC)  # as the due date ended

    await act(running, handle, RapidReviewWorkflow.complete_recommendation,
              CompleteRecommendation, review, recommendation_id="rec-1")
    assert await handle.query(RapidReviewWorkflow.deadlines) == [
        Deadline("Panel notification", date(2037, 12, 31), True),
        Deadline("Rapid review", date(2038, 1, 15), True),
        Deadline("LCSPR", decided.due_on, False),
        Deadline("recommendation rec-1", date(2038, 2, 15), True),
        Deadline("recommendation rec-2", date(2038, 3, 1), False)]
    rule = await refused(handle, RapidReviewWorkflow.close,
                         await dated_now(running, handle, CloseReview, review))
    assert "carried over with a reason" in rule
    answer = await act(running, handle, RapidReviewWorkflow.close, CloseReview, review,
                       carried_over={"rec-2": "moved to the partnership's training plan"})
    assert answer == "Review closed, 1 recommendation(s) carried over"
    result = await handle.result()
    assert (result.state, result.open_recommendations) == ("closed", ["rec-2"])
    assert running.app.load(review.id, Review).carried_over == {
        "rec-2": "moved to the partnership's training plan"}


def written(moment: date) -> str:
    """A date as people write it: 6 November 2026."""
    return f"{moment:%d %B %Y}".lstrip("0")


async def test_a_panel_notification_entered_late_but_dated_in_time_withdraws_its_breach(
    running: Running,
) -> None:
    """All in the past: the partnership became aware on Monday 2 November 2026 and notified the
    Panel on the 6th, but the notification reached the record only after its breach (and the
    rapid review's) were recorded, each as its deadline passed."""
    review = refer(running.app, "ENG", aware=date(2026, 11, 2), at=on(date(2026, 11, 2), 14))
    handle = await start(running, review)
    status = await eventually(where(handle, lambda s: len(s.breaches) == 2))
    assert (status.panel_notification_due, status.rapid_review_due) == (date(2026, 11, 9),
                                                                        date(2026, 11, 23))
    assert [(b.step, b.occurred_on) for b in events(running.app, review.id, "BreachRecorded")] \
        == [("panel_notification", datetime(2026, 11, 10, tzinfo=UTC)),
            ("rapid_review", datetime(2026, 11, 24, tzinfo=UTC))]
    assert [w.occurred_on for w in steps(running.app, review.id, "at-risk warning")] == [
        datetime(2026, 11, 5, tzinfo=UTC), datetime(2026, 11, 19, tzinfo=UTC)]

    notified_on = on(date(2026, 11, 6))
    answer = await act(running, handle, RapidReviewWorkflow.notify_panel, NotifyPanel, review,
                       at=notified_on)
    assert answer == "Panel notified"  # in time: no reason is asked for
    [notified] = events(running.app, review.id, "PanelNotified")
    entered = only_step(running.app, review, "panel notified").timestamp
    [withdrawn] = events(running.app, review.id, "BreachWithdrawn")
    assert (notified.occurred_on, notified.late_reason) == (notified_on, None)
    assert (withdrawn.step, withdrawn.occurred_on) == ("panel_notification", entered)
    assert withdrawn.entered_late == (
        "Panel notification dated 6 November 2026, within its deadline of 9 November 2026, "
        f"entered on {written(entered)}")
    assert only_step(running.app, review, "breach withdrawn").occurred_on == entered
    # Both the breach and its withdrawal stay in the history; only the rapid review's stands.
    assert [type(e).__name__ for e in events(running.app, review.id, "BreachRecorded",
                                             "BreachWithdrawn")] == [
        "BreachRecorded", "BreachRecorded", "BreachWithdrawn"]
    status = await handle.query(RapidReviewWorkflow.status)
    assert (status.breaches, status.withdrawn_breaches) == (["rapid_review"],
                                                           ["panel_notification"])
    assert [b["step"] for b in running.app.load(review.id, Review).breaches] == ["rapid_review"]
    assert status.history[-1] == f"breach withdrawn: {withdrawn.entered_late}"

    # The rapid review itself was done late: its breach stands, and it needs a reason.
    answer = await act(running, handle, RapidReviewWorkflow.complete_rapid_review,
                       CompleteRapidReview, review, findings="late chronologies",
                       recommend_lcspr=False, rationale="no systemic learning",
                       late_reason="the chronologies came late", at=on(date(2026, 11, 26)))
    assert answer == "Rapid review completed late; the delay's reason is recorded"
    status = await handle.query(RapidReviewWorkflow.status)
    assert (status.breaches, status.withdrawn_breaches) == (["rapid_review"],
                                                           ["panel_notification"])
    assert len(events(running.app, review.id, "BreachWithdrawn")) == 1
    await handle.terminate("test over")
    await keep_history(handle, "RapidReviewWorkflow-breach-withdrawn-by-a-late-entry")


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    review, other = refer(running.app, "ENG"), refer(running.app, "ENG")
    handle = await start(running, review)
    await eventually(where(handle, lambda s: s.state == "rapid review"))
    # The workflow's clock is still at the real now, before the referral on 22 December.
    early = await dated_now(running, handle, NotifyPanel, review)
    assert early.at < REFERRED_AT
    rule = await refused(handle, RapidReviewWorkflow.notify_panel, early)
    assert rule == "A fact cannot be dated before its record was opened"

    await advance_to(running, handle, on(date(2037, 12, 23)))
    before = (len(running.app.stored_events(review.id)),
              await handle.query(RapidReviewWorkflow.status))
    refusals: list[tuple[Any, type, dict[str, Any], str]] = [
        (RapidReviewWorkflow.complete_rapid_review, CompleteRapidReview,
         {"findings": "  ", "recommend_lcspr": False, "rationale": "no LCSPR needed"},
         "A completed rapid review records its findings"),
        (RapidReviewWorkflow.notify_panel, NotifyPanel, {"late_reason": "none"},
         "only for a step done after its deadline"),
        (RapidReviewWorkflow.request_agency_information, RequestAgencyInformation,
         {"request_id": "req-1", "agency": "police", "due_on": date(2037, 12, 1)},
         "cannot be due before it was made"),
        (RapidReviewWorkflow.decide_lcspr, DecideLcspr,
         {"commission": False, "rationale": "not needed"},
         "only after the rapid review is completed"),
        (RapidReviewWorkflow.close, CloseReview, {}, "only after the Panel is notified"),
    ]
    for update, kind, fields, rule in refusals:
        assert rule in await refused(handle, update,
                                     await dated_now(running, handle, kind, review, **fields))
    assert "another record than this process's" in await refused(
        handle, RapidReviewWorkflow.notify_panel,
        await dated_now(running, handle, NotifyPanel, other))
    assert (len(running.app.stored_events(review.id)),
            await handle.query(RapidReviewWorkflow.status)) == before
    await handle.terminate("test over")


async def test_a_second_rapid_review_of_the_same_incident_is_refused(running: Running) -> None:
    review = refer(running.app, "ENG")
    handle = await start(running, review)
    with pytest.raises(WorkflowAlreadyStartedError):
        await start(running, review)
    assert handle.id == f"rapid-review-{review.id}"
    await handle.terminate("test over")
