"""Issue 12's commands for `test_backdated_commands`: each given over HTTP, dated in the last
weeks, while the processes of the arrangement, the cycle, the plan and the self-evaluation run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from domain.accounts import Role
from domain.self_evaluation import questions
from tests.e2e.conftest import System

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def day(days: float) -> str:
    return ago(days).date().isoformat()


def assurance(journey: Any, system: System) -> None:
    bu = system.who(Role.BUSINESS_UNIT, "bu-1")
    journey.make("mentoring-programmes", system.who(Role.PANEL_ADMIN, "pa-1"),
                 datetime(2023, 1, 2, 9, tzinfo=UTC), starts_on="2023-01-01")
    calendar = journey.make("term-calendars", bu, ago(45), name="Schools", nation="ENG")
    journey.do("term-calendars", calendar, "set-term-dates", bu, ago(44),
               academic_year="2026/27", half_terms=[
                   {"name": "Autumn 1", "starts_on": "2026-09-03", "ends_on": "2026-10-23"}])
    _arrangement(journey, system)
    _cycle(journey, system, bu)
    plan = journey.make("forward-plans", bu, ago(30), name="Safeguarding Effectiveness plan")
    journey.do("forward-plans", plan, "add-plan-item", bu, ago(29), activity="peer_challenge",
               owner="lead-1", last_done_on=day(300))
    journey.do("forward-plans", plan, "record-activity-done",
               system.who(Role.PRACTICE_REVIEW_MEMBER, "lead-1"), ago(10),
               activity="peer_challenge", evidence="Peer challenge day report")
    journey.do("forward-plans", plan, "review-forward-plan", bu, ago(9), notes="On track")
    leader = system.who(Role.LEADER, "dcs-1")
    evaluation = journey.make("self-evaluations", leader, ago(20), audience="dcs",
                              year=ago(20).year)
    for n, question in enumerate(questions("dcs")):
        journey.do("self-evaluations", evaluation, "answer-question", leader,
                   ago(19 - n / 100), question_id=question.question_id, answer=f"Answer {n}",
                   rating="A", evidence=[{"note": "Board minutes"}])
    journey.do("self-evaluations", evaluation, "complete", leader, ago(10))


def _arrangement(journey: Any, system: System) -> None:
    su, pr = system.who(Role.SUPERVISOR, "su-5"), system.who(Role.PRACTITIONER, "pr-5")
    for n in range(2):  # the supervisee's open cases, for the session's case-file audit
        journey.make("cases", pr, ago(40), child_reference=f"C-2026-05{n}",
                     agency="Children's social care", practitioner="pr-5", supervisor="su-9",
                     legal_status="child_in_need", risk="medium", nation="ENG")
    a = journey.make("arrangements", su, ago(30), supervisor="su-5", supervisee="pr-5",
                     agency="Children's social care", contact="direct", frequency="monthly",
                     duration_minutes=60, supervisor_responsibilities="Keep notes",
                     supervisee_responsibilities="Bring cases", changes_notice="A week",
                     agenda_setting="At the start", workload_escalation="Line manager",
                     differences_of_opinion="In the session", line_manager="lm-5",
                     safeguarding_lead="dsl-5", supervisee_started_on="2019-09-01",
                     review_on=day(-200), nation="ENG")
    journey.do("arrangements", a, "sign-arrangement", su, ago(29.9), party="su-5")
    journey.do("arrangements", a, "sign-arrangement", pr, ago(29.8), party="pr-5")
    journey.do("arrangements", a, "record-supervision-session", su, ago(20), session_id="S-1",
               next_session_on=day(-10), agenda={
                   "attendees": ["su-5", "pr-5"], "matters_arising": "None",
                   "successes": "A family stepped down", "frustrations": [],
                   "concerns_to_escalate": [], "trends": "Neglect", "training": "Toolkit"})
    selected = system.until(lambda: [e for e in system.events(a)
                                     if type(e).__name__ == "CaseFileAuditSelected"])[0]
    journey.do("arrangements", a, "record-case-file-audit", su, ago(19.9), session_id="S-1",
               case_id=selected.selection[0], strengths="Chronology up to date",
               learning_points="Record the child's voice")
    journey.do("arrangements", a, "mark-confidentiality", su, ago(19.8), marking_id="M-1",
               session_id="S-1", level="duty_to_report", issue="A disclosure of harm")
    journey.do("arrangements", a, "record-reported", su, ago(19.7), marking_id="M-1",
               reported_to="dsl-5", channel="phone then the referral form")
    journey.do("arrangements", a, "mark-confidentiality", su, ago(19.6), marking_id="M-2",
               session_id="S-1", level="line_management", issue="Capability")
    journey.do("arrangements", a, "complete-line-management-action",
               system.who(Role.SUPERVISOR, "lm-5"), ago(19), marking_id="M-2",
               outcome="Capability plan agreed")
    journey.do("arrangements", a, "review-arrangement", su, ago(18), notes="Still right",
               next_review_on=day(-300))
    journey.do("arrangements", a, "submit-evaluation", pr, ago(17), answers={
        name: "yes" for name in ("length_of_sessions", "speak_about_cases",
                                 "level_of_discussion", "understand_actions",
                                 "plan_to_move_forward", "believed_about_concerns",
                                 "time_to_reflect", "time_for_my_issues", "respected",
                                 "equipped_for_cases")},
        more_of="Reflection", less_of="Reading back")
    journey.do("arrangements", a, "change-supervisor", su, ago(10), new_supervisor="su-6",
               reason="su-5 moved team")
    journey.do("arrangements", a, "end", pr, ago(5), reason="Left the post")


def _cycle(journey: Any, system: System, bu: dict[str, str]) -> None:
    lead = system.who(Role.PRACTICE_REVIEW_MEMBER, "lead-1")
    quarter = f"{ago(30).year}Q{(ago(30).month - 1) // 3 + 1}"
    c = journey.make("assurance-cycles", bu, ago(30), quarter=quarter,
                     sub_group_meets_on=day(15), partnership_meets_on=day(5), requests=[
                         {"item": "drift_cases", "kind": "measure", "lead": "lead-1"},
                         {"item": "Police", "kind": "agency", "lead": "police-1"}])
    journey.do("assurance-cycles", c, "submit-evidence", lead, ago(27), item="drift_cases",
               data="2 of 6", narrative="Drift is falling")
    journey.do("assurance-cycles", c, "record-sub-group-discussion", bu, ago(15),
               summary="Police evidence missing", actions=[
                   {"action_id": "A-1", "action": "Audit drift", "owner": "lead-1",
                    "due_on": day(-30)}],
               recommendations=[{"recommendation_id": "R-1", "text": "Weekly drift list"}])
    journey.do("assurance-cycles", c, "raise-query", bu, ago(14.5), query_id="Q-1",
               to="lead-1", question="Which teams?", due_on=day(10))
    journey.do("assurance-cycles", c, "answer-query", lead, ago(13), query_id="Q-1",
               answer="The two east teams")
    journey.do("assurance-cycles", c, "finalise-spotlight", bu, ago(12), spotlight_id="SP-1",
               title="Neglect", summary="Seen across agencies")
    journey.do("assurance-cycles", c, "record-partnership-decisions", bu, ago(5), decisions=[
        {"recommendation_id": "R-1", "decision": "amended", "note": "Monthly"}])
    journey.do("assurance-cycles", c, "publish-assurance-report", bu, ago(4),
               audiences=["executive", "other_boards", "sub_group_members"],
               next_actions=[{"action_id": "N-1", "action": "Repeat", "owner": "lead-1",
                              "due_on": day(-90)}])


__all__ = ["assurance"]
