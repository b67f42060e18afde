"""The rapid review of a serious incident on the real dev server: its statutory clocks run in the
incident's nation's working days, a missed deadline is recorded as a breach when its timer fires,
late steps need a reason, overdue information is chased, a commissioned LCSPR and its
recommendations are followed to closure; bad updates and second starts are refused."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.application import Assured
from domain.calendar import add_working_days
from domain.policy import add_months
from domain.review import Review
from tests.workflows.conftest import Running, eventually, keep_history
from workflows.common import Deadline
from workflows.rapid_review import RapidReviewWorkflow, rapid_review_id
from workflows.rapid_review_types import (
    AddRecommendation,
    CloseReview,
    CompleteRapidReview,
    CompleteRecommendation,
    DecideLcspr,
    NotifyPanel,
    RapidReviewInput,
    ReceiveInformation,
    RecordPanelResponse,
    RequestInformation,
)

AWARE = date(2026, 12, 22)  # a Tuesday, just before the Christmas and New Year bank holidays
REFERRED_AT = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
CHAIR = "practice-review-chair"


def refer(app: Assured, nation: str) -> Review:
    """A serious incident the partnership became aware of on 22 December 2026."""
    review = Review.refer(reference=f"RR-{uuid.uuid4().hex[:8]}", referrer="police",
                          category="serious_incident", summary="serious incident notified",
                          nation=nation, review_type="rapid_review", became_aware_on=AWARE,
                          by=CHAIR, at=REFERRED_AT, policy=app.policy)
    app.record(review)
    return review


async def start(running: Running, review: Review) -> WorkflowHandle:
    return await running.client.start_workflow(
        RapidReviewWorkflow.run, RapidReviewInput(str(review.id)),
        id=rapid_review_id(str(review.id)), task_queue=running.task_queue)


def events(app: Assured, review: Review, name: str) -> list[Any]:
    return [e for e in app.stored_events(review.id) if type(e).__name__ == name]


def steps(app: Assured, review: Review) -> list[Any]:
    return events(app, review, "ProcessStepRecorded")


def step_names(app: Assured, review: Review) -> list[str]:
    return [e.step for e in steps(app, review)]


def only_step(app: Assured, review: Review, name: str) -> Any:
    [found] = [e for e in steps(app, review) if e.step == name]
    return found


async def advance_to(running: Running, handle: WorkflowHandle, moment: datetime) -> None:
    """Move this workflow's virtual clock on to `moment` (it starts at the real now)."""
    now = await running.env.get_current_time(handle)
    assert now < moment, "the scenario's dates must lie ahead of the virtual clock"
    await running.env.fast_forward(handle, moment - now)


def where(handle: WorkflowHandle, check: Any) -> Any:
    """An `eventually` check: the workflow's status once `check(status)` holds."""
    async def status() -> Any:
        current = await handle.query(RapidReviewWorkflow.status)
        return current if check(current) else None
    return status


async def refused(handle: WorkflowHandle, update: Any, request: Any) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await handle.execute_update(update, request)
    return str(failure.value.cause.message)  # type: ignore[union-attr]


@pytest.mark.parametrize(("nation", "panel_due", "rapid_due", "rapid_warning"), [
    # ENG: 25 Dec, 28 Dec (Boxing Day substitute) and 1 Jan are bank holidays.
    ("ENG", date(2026, 12, 31), date(2027, 1, 15), date(2027, 1, 13)),
    # SCT also keeps 2 Jan, observed on Monday 4 Jan.
    ("SCT", date(2026, 12, 31), date(2027, 1, 18), date(2027, 1, 14)),
])
async def test_a_rapid_review_done_on_time_counts_the_nations_working_days(
    running: Running, nation: str, panel_due: date, rapid_due: date, rapid_warning: date,
) -> None:
    assert add_working_days(AWARE, 5, nation) == panel_due
    assert add_working_days(AWARE, 15, nation) == rapid_due
    review = refer(running.app, nation)
    with running.env.with_time_skipping_disabled():
        handle = await start(running, review)
    await advance_to(running, handle, datetime(2026, 12, 23, 10, tzinfo=UTC))
    status = await eventually(where(handle, lambda s: s.state == "rapid review"))
    assert (status.nation, status.panel_notification_due, status.rapid_review_due) == \
        (nation, panel_due, rapid_due)
    assert only_step(running.app, review, "deadlines set").details == {
        "nation": nation, "became_aware_on": "2026-12-22",
        "panel_notification_due": panel_due.isoformat(), "rapid_review_due": rapid_due.isoformat(),
        "panel_notification_warning_on": "2026-12-29",
        "rapid_review_warning_on": rapid_warning.isoformat(),
    }

    await request_and_chase(running, handle, review)
    await complete_on_time(handle)
    result = await handle.result()
    assert (result.state, result.breaches, result.lcspr_commissioned) == ("closed", [], False)
    assert events(running.app, review, "BreachRecorded") == []
    assert "at-risk warning" not in step_names(running.app, review)
    assert running.app.load(review.id, Review).breaches == []
    await keep_history(handle, f"RapidReviewWorkflow-on-time-{nation}")


async def request_and_chase(running: Running, handle: WorkflowHandle, review: Review) -> None:
    """Two agencies asked for information by 24 December; health answers, police is chased."""
    for request_id, agency in (("req-police", "police"), ("req-health", "health")):
        await handle.execute_update(RapidReviewWorkflow.request_information, RequestInformation(
            request_id, agency, date(2026, 12, 24), CHAIR))
    await handle.execute_update(RapidReviewWorkflow.receive_information,
                                ReceiveInformation("req-health", CHAIR))
    answer = await handle.execute_update(RapidReviewWorkflow.notify_panel, NotifyPanel(CHAIR))
    assert answer == "Panel notified"
    await advance_to(running, handle, datetime(2026, 12, 26, 10, tzinfo=UTC))
    status = await eventually(where(handle, lambda s: s.chased_requests))
    assert (status.chased_requests, status.outstanding_requests) == (["req-police"],
                                                                     ["req-police"])
    chase = only_step(running.app, review, "information chased")
    assert chase.details == {"request_id": "req-police", "due_on": "2026-12-24", "to": "police"}
    assert chase.occurred_on.date() == date(2026, 12, 25)
    assert (await handle.query(RapidReviewWorkflow.deadlines))[1:] == [
        Deadline("Rapid review", status.rapid_review_due, False),
        Deadline("information request req-police", date(2026, 12, 24), False),
        Deadline("information request req-health", date(2026, 12, 24), True)]
    await handle.execute_update(RapidReviewWorkflow.receive_information,
                                ReceiveInformation("req-police", CHAIR))


async def complete_on_time(handle: WorkflowHandle) -> None:
    await handle.execute_update(RapidReviewWorkflow.complete_rapid_review, CompleteRapidReview(
        findings="information sharing gaps between agencies", learning=["share plans"],
        recommend_lcspr=False, rationale="learning can be taken forward without an LCSPR",
        by=CHAIR))
    await handle.execute_update(RapidReviewWorkflow.record_panel_response,
                                RecordPanelResponse("agrees with the recommendation", CHAIR))
    answer = await handle.execute_update(RapidReviewWorkflow.decide_lcspr, DecideLcspr(
        False, "learning captured by the rapid review", CHAIR))
    assert answer == "No LCSPR commissioned"
    assert await handle.execute_update(RapidReviewWorkflow.close, CloseReview(CHAIR)) == \
        "Review closed"


async def test_missed_deadlines_are_breaches_and_late_steps_need_a_reason(
    running: Running,
) -> None:
    review = refer(running.app, "ENG")
    with running.env.with_time_skipping_disabled():
        handle = await start(running, review)
    # Nobody acts on the deadlines until the day after the rapid review was due.
    await advance_to(running, handle, datetime(2027, 1, 17, 10, tzinfo=UTC))
    await eventually(where(handle, lambda s: len(s.breaches) == 2))
    assert await handle.query(RapidReviewWorkflow.deadlines) == [
        Deadline("Panel notification", date(2026, 12, 31), False),
        Deadline("Rapid review", date(2027, 1, 15), False)]
    warnings = [e for e in steps(running.app, review) if e.step == "at-risk warning"]
    assert [(w.details["step"], w.details["to"], w.occurred_on.date()) for w in warnings] == [
        ("panel_notification", "sub-group chair", date(2026, 12, 29)),
        ("rapid_review", "sub-group chair", date(2027, 1, 13)),
    ]
    breaches = events(running.app, review, "BreachRecorded")
    assert [(b.step, b.occurred_on.date()) for b in breaches] == [
        ("panel_notification", date(2027, 1, 1)),  # as 31 Dec, the deadline, ends
        ("rapid_review", date(2027, 1, 16)),  # as 15 Jan ends
    ]
    assert "not done by its deadline (2026-12-31)" in breaches[0].reason

    await late_steps_need_a_reason(running, handle, review)
    record = running.app.load(review.id, Review)
    assert [(b["step"], b["recorded_via"], b["done_on"] is not None) for b in record.breaches] \
        == [("panel_notification", "missed_deadline", True),
            ("rapid_review", "missed_deadline", True)]
    assert record.panel_notification["late_reason"] == "the referral reached us after the holiday"

    await lcspr_followed_to_closure(running, handle, review)
    await keep_history(handle, "RapidReviewWorkflow-breached-then-lcspr")


async def late_steps_need_a_reason(running: Running, handle: WorkflowHandle,
                                   review: Review) -> None:
    """After the deadline, a step without a reason is refused and changes nothing."""
    before = (len(running.app.stored_events(review.id)),
              await handle.query(RapidReviewWorkflow.status))
    rule = await refused(handle, RapidReviewWorkflow.notify_panel, NotifyPanel(CHAIR))
    assert "after its deadline (2026-12-31) needs a reason for the delay" in rule
    rule = await refused(handle, RapidReviewWorkflow.complete_rapid_review, CompleteRapidReview(
        "findings", [], True, "an LCSPR is needed", CHAIR))
    assert "after its deadline (2027-01-15) needs a reason for the delay" in rule
    assert (len(running.app.stored_events(review.id)),
            await handle.query(RapidReviewWorkflow.status)) == before

    answer = await handle.execute_update(RapidReviewWorkflow.notify_panel, NotifyPanel(
        CHAIR, late_reason="the referral reached us after the holiday"))
    assert answer == "Panel notified late; the delay's reason is recorded"
    answer = await handle.execute_update(RapidReviewWorkflow.complete_rapid_review,
                                         CompleteRapidReview(
        findings="missed opportunities to share concerns", learning=["joint visits"],
        recommend_lcspr=True, rationale="the case may show systemic learning", by=CHAIR,
        late_reason="agency chronologies arrived late"))
    assert answer == "Rapid review completed late; the delay's reason is recorded"
    [notified] = events(running.app, review, "PanelNotified")
    assert notified.late_reason == "the referral reached us after the holiday"


async def lcspr_followed_to_closure(running: Running, handle: WorkflowHandle,
                                    review: Review) -> None:
    """A commissioned LCSPR: reminder and overdue step; overdue recommendations; closure."""
    for rid, due in (("rec-1", date(2027, 2, 15)), ("rec-2", date(2027, 3, 1))):
        await handle.execute_update(RapidReviewWorkflow.add_recommendation, AddRecommendation(
            rid, "agree a joint chronology template", "health", due, CHAIR))
    await handle.execute_update(RapidReviewWorkflow.record_panel_response,
                                RecordPanelResponse("supports an LCSPR", CHAIR))
    answer = await handle.execute_update(RapidReviewWorkflow.decide_lcspr, DecideLcspr(
        True, "systemic learning", CHAIR, reviewer="independent reviewer",
        scope="the year before the incident"))
    [decided] = events(running.app, review, "LcsprDecided")
    assert decided.occurred_on.date() == date(2027, 1, 17)
    assert decided.due_on == add_months(date(2027, 1, 17), 6) == date(2027, 7, 17)
    assert answer == f"LCSPR commissioned, due {decided.due_on}"

    await advance_to(running, handle, datetime(2027, 3, 3, 10, tzinfo=UTC))
    status = await eventually(where(handle, lambda s: len(s.overdue_recommendations) == 2))
    assert status.overdue_recommendations == ["rec-1", "rec-2"]
    assert not status.lcspr_overdue
    after_due = datetime.combine(decided.due_on + timedelta(days=2), time(10), UTC)
    await advance_to(running, handle, after_due)
    status = await eventually(where(handle, lambda s: s.lcspr_overdue))
    assert (status.state, status.lcspr_due) == ("LCSPR commissioned", decided.due_on)
    overdue = [e for e in steps(running.app, review) if e.step == "recommendation overdue"]
    assert [(e.details["recommendation_id"], e.details["to"], e.occurred_on.date())
            for e in overdue] == [("rec-1", "health", date(2027, 2, 16)),
                                  ("rec-2", "health", date(2027, 3, 2))]
    # Five working days before Saturday 17 July 2027 (`Policy.reminder_lead`).
    assert only_step(running.app, review, "LCSPR reminder").occurred_on.date() == \
        date(2027, 7, 12)
    assert only_step(running.app, review, "LCSPR overdue").occurred_on.date() == \
        decided.due_on + timedelta(days=1)

    await handle.execute_update(RapidReviewWorkflow.complete_recommendation,
                                CompleteRecommendation("rec-1", CHAIR))
    assert await handle.query(RapidReviewWorkflow.deadlines) == [
        Deadline("Panel notification", date(2026, 12, 31), True),
        Deadline("Rapid review", date(2027, 1, 15), True),
        Deadline("LCSPR", decided.due_on, False),
        Deadline("recommendation rec-1", date(2027, 2, 15), True),
        Deadline("recommendation rec-2", date(2027, 3, 1), False)]
    rule = await refused(handle, RapidReviewWorkflow.close, CloseReview(CHAIR))
    assert "carried over with a reason" in rule
    answer = await handle.execute_update(RapidReviewWorkflow.close, CloseReview(
        CHAIR, {"rec-2": "moved to the partnership's training plan"}))
    assert answer == "Review closed, 1 recommendation(s) carried over"
    result = await handle.result()
    assert (result.state, result.open_recommendations) == ("closed", ["rec-2"])
    assert running.app.load(review.id, Review).carried_over == {
        "rec-2": "moved to the partnership's training plan"}


async def test_an_update_that_breaks_a_rule_is_rejected_and_changes_nothing(
    running: Running,
) -> None:
    review = refer(running.app, "ENG")
    with running.env.with_time_skipping_disabled():
        handle = await start(running, review)
    await eventually(where(handle, lambda s: s.rapid_review_due is not None))
    rule = await refused(handle, RapidReviewWorkflow.notify_panel, NotifyPanel(CHAIR))
    assert "deadlines are not set yet" in rule  # the referral's instant is still ahead

    await advance_to(running, handle, datetime(2026, 12, 23, 10, tzinfo=UTC))
    await eventually(where(handle, lambda s: s.state == "rapid review"))
    before = (len(running.app.stored_events(review.id)),
              await handle.query(RapidReviewWorkflow.status))
    no_findings = CompleteRapidReview("  ", [], False, "no LCSPR needed", CHAIR)
    rule = await refused(handle, RapidReviewWorkflow.complete_rapid_review, no_findings)
    assert rule == "A completed rapid review records its findings"
    on_time_with_excuse = NotifyPanel(CHAIR, late_reason="none")
    assert "only for a step done after its deadline" in await refused(
        handle, RapidReviewWorkflow.notify_panel, on_time_with_excuse)
    already_due = RequestInformation("req-1", "police", date(2026, 12, 1), CHAIR)
    assert "cannot be due before it was made" in await refused(
        handle, RapidReviewWorkflow.request_information, already_due)
    assert "only after the rapid review is completed" in await refused(
        handle, RapidReviewWorkflow.decide_lcspr, DecideLcspr(False, "not needed", CHAIR))
    assert "only after the Panel is notified" in await refused(
        handle, RapidReviewWorkflow.close, CloseReview(CHAIR))
    assert (len(running.app.stored_events(review.id)),
            await handle.query(RapidReviewWorkflow.status)) == before
    await handle.terminate("test over")


async def test_a_second_rapid_review_of_the_same_incident_is_refused(running: Running) -> None:
    review = refer(running.app, "ENG")
    with running.env.with_time_skipping_disabled():
        handle = await start(running, review)
        with pytest.raises(WorkflowAlreadyStartedError):
            await start(running, review)
    assert handle.id == f"rapid-review-{review.id}"
    await handle.terminate("test over")
