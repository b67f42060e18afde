"""A fact entered after its deadline's timer fired, but dated within the deadline, is reconciled
by its process, not lost: the breach or shortfall the process recorded is withdrawn, naming the
late entry; both stay in the history, and the scorecard counts the fact as on time and entered
late. Over HTTP, with the worker and the projection runner running."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.accounts import Role
from domain.calendar import add_working_days
from tests.e2e.conftest import System


def named(events: list[Any], kind: str) -> list[Any]:
    return [e for e in events if type(e).__name__ == kind]


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def measure(system: System, quarter: str, key: str, after: int) -> dict[str, Any]:
    reader = system.who(Role.PRACTICE_REVIEW_MEMBER, "prm-1")
    card = system.http.get(f"/scorecard/{quarter}", params={"after": after}, headers=reader)
    assert card.status_code == 200, card.text
    [found] = [m for m in card.json()["measures"] if m["key"] == key]
    return found  # type: ignore[no-any-return]


def test_a_panel_notification_dated_in_time_but_entered_after_the_breach_withdraws_it(
    system: System,
) -> None:
    chair = system.who(Role.PRACTICE_REVIEW_MEMBER, "prm-1")
    aware = (datetime.now(UTC) - timedelta(days=28)).date()
    due = add_working_days(aware, 5, "ENG")
    referred = system.post("/reviews", chair, reference="SI-LATE-1", referrer="Police",
                           category="serious_incident", summary="a child seriously harmed",
                           nation="ENG", review_type="rapid_review",
                           became_aware_on=aware.isoformat(),
                           at=datetime(aware.year, aware.month, aware.day, 16,
                                       tzinfo=UTC).isoformat())
    assert referred.status_code == 201, referred.text
    review = referred.json()["id"]
    # The process starts with the deadline long passed: it records the breach at once.
    breach = system.until(lambda: [e for e in named(system.events(review), "BreachRecorded")
                                   if e.step == "panel_notification"])[0]
    assert breach.occurred_on == datetime(due.year, due.month, due.day, tzinfo=UTC) + \
        timedelta(days=1)  # dated as the deadline passed, not when the timer fired

    notified_on = datetime(aware.year, aware.month, aware.day, 17, tzinfo=UTC) + timedelta(days=1)
    answer = system.post(f"/reviews/{review}/notify-panel", chair, at=notified_on.isoformat())
    assert answer.status_code == 200, answer.text
    assert answer.json()["answer"] == "Panel notified"

    withdrawn = system.until(lambda: named(system.events(review), "BreachWithdrawn"))[0]
    assert withdrawn.step == "panel_notification"
    assert f"dated {notified_on:%d %B %Y}".replace(" 0", " ") in withdrawn.entered_late
    assert "entered on" in withdrawn.entered_late
    events = system.events(review)
    notified = named(events, "PanelNotified")[0]
    assert notified.occurred_on == notified_on and notified.late_reason is None
    assert named(events, "BreachRecorded")[0].originator_version < withdrawn.originator_version
    assert notified.timestamp > breach.timestamp  # entered after the breach was recorded

    figure = measure(system, quarter_of(due), "panel_notification_on_time",
                     after=max_notification(system))
    assert (figure["figure"]["numerator"], figure["figure"]["denominator"],
            figure["figure"]["entered_late"]) == (1, 1, 1)
    assert "1 withdrawn" in figure["figure"]["detail"]


def test_a_referral_entered_after_its_deadlines_passed_records_both_breaches_at_referral(
    system: System,
) -> None:
    chair = system.who(Role.PRACTICE_REVIEW_MEMBER, "prm-1")
    aware = date(2026, 3, 2)  # both deadlines (5 and 15 working days) long past
    referred_at = datetime(2026, 6, 1, 10, tzinfo=UTC)
    referred = system.post("/reviews", chair, reference="SI-LATE-2", referrer="Health",
                           category="serious_incident", summary="referred months late",
                           nation="ENG", review_type="rapid_review",
                           became_aware_on=aware.isoformat(), at=referred_at.isoformat())
    assert referred.status_code == 201, referred.text
    review = referred.json()["id"]
    breaches = system.until(lambda: named(system.events(review), "BreachRecorded")[1:])
    breaches = named(system.events(review), "BreachRecorded")
    assert sorted(b.step for b in breaches) == ["panel_notification", "rapid_review"]
    # Nothing is dated before the review was opened; each breach names its deadline.
    assert all(b.occurred_on == referred_at for b in breaches)
    due = add_working_days(aware, 5, "ENG")
    assert [b.reason for b in breaches if b.step == "panel_notification"] == [
        f"Panel notification not done by its deadline ({due})"]
    events = system.events(review)
    assert not [e for e in events if getattr(e, "step", None) == "at-risk warning"]
    status = system.http.get(f"/ops/workflows/rapid-review-{review}",
                             headers=system.who(Role.OPS, "ops-1"))
    assert status.status_code == 200 and status.json()["status"] == "running", status.text


def max_notification(system: System) -> int:
    return int(system.app.recorder.max_notification_id() or 0)


def test_a_support_session_and_reports_entered_after_the_shortfall_withdraw_it(
    system: System,
) -> None:
    admin = system.who(Role.PANEL_ADMIN, "pa-1")
    manager = system.who(Role.SUPPORT_MANAGER, "sm-a", "East")
    region = system.post("/regions", admin, region="East",
                         at="2022-12-01T09:00:00+00:00").json()["id"]
    assert system.post(f"/regions/{region}/add-support-manager", admin, manager="sm-a",
                       at="2022-12-02T09:00:00+00:00").status_code == 200
    made = system.post("/safeguarders", admin, name="Sam Eastwood", region="East",
                       at="2023-01-10T09:00:00+00:00")
    s = made.json()["id"]
    for verb, body in (("record-interview", {"passed": True, "at": "2023-02-01T09:00:00Z"}),
                       ("record-assessment", {"passed": True, "at": "2023-02-15T09:00:00Z"}),
                       ("appoint", {"term_starts_on": "2023-03-01",
                                    "at": "2023-02-28T09:00:00Z"}),
                       ("allocate", {"manager": "sm-a", "at": "2023-03-02T09:00:00Z"})):
        answer = system.post(f"/safeguarders/{s}/{verb}", admin, **body)
        assert answer.status_code == 200, f"{verb}: {answer.text}"

    # The first appointment year (to 29 February 2024) ended unmet: its shortfall is recorded.
    system.until(lambda: [e for e in named(system.events(s), "AnnualShortfallRecorded")
                          if e.year == 1])
    session = {"session_id": "S-2023", "notes": "the year's support session"}
    assert system.post(f"/safeguarders/{s}/record-support-session", manager,
                       at="2023-09-01T10:00:00Z", **session).status_code == 200
    for ref in ("R-1", "R-2"):
        answer = system.post(f"/safeguarders/{s}/record-sampled-report", manager,
                             at="2023-09-01T11:00:00Z", report_ref=ref, session_id="S-2023",
                             discussion="report discussed")
        assert answer.status_code == 200, answer.text

    withdrawn = system.until(lambda: [e for e in named(system.events(s),
                                                       "AnnualShortfallWithdrawn")
                                      if e.year == 1])[0]
    assert "sampled report R-2 dated 1 September 2023" in withdrawn.entered_late
    shortfalls = [e.year for e in named(system.events(s), "AnnualShortfallRecorded")]
    assert 1 in shortfalls, "the original shortfall stays in the history"
    assert 1 not in system.app.load(UUID(s)).shortfalls

    figure = measure(system, "2024Q1", "support_on_time", after=max_notification(system))
    assert (figure["figure"]["numerator"], figure["figure"]["denominator"],
            figure["figure"]["entered_late"]) == (1, 1, 1)
    assert "3 session(s) or sampled report(s) entered after their year ended" in \
        figure["figure"]["detail"]
