"""Journeys 10 to 13: issue 12's processes in the browser.

10. A supervisor makes a supervision arrangement with a practitioner (a review date before it
    is made is refused and records nothing), both sign it, the practitioner evaluates their
    supervision, and the supervisor records a session on seed 002's agenda with a level-1
    confidentiality marking, then records it reported.
11. The business unit plans a quarter's assurance cycle; the police's named lead sends the
    agency's evidence from the agency's page; a query is raised and its lead answers it from My
    work; the final report is published (refused first without every audience).
12. A forward-plan activity's owner records it done from My work (dated before it was put on
    the plan, refused).
13. A Director of Children's Services answers their self-evaluation and completes it (refused
    while questions are unanswered), and sets its self-ratings beside the scorecard.
14. The mentoring co-ordinator records when peer mentoring began (a second beginning refused)
    and reads its targets.
15. A supervisor records the case-file audit of a case the process chose; the line manager acts
    on a level-2 matter and sees it, but not the session's agenda.
The partnership reads the evaluations' counts only (journey 10's end).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from api.web import wording
from domain.accounts import Role
from domain.panel import MentoringProgramme
from domain.self_evaluation import questions
from tests.web.conftest import Visit
from tests.web.seeds import NOW, TODAY
from tests.web.test_agency import agency_account
from tests.web.test_support_manager import fill_date

HOSTILE = '</textarea><script>alert(1)</script> Late reports from "partners" & <b>school</b>'
SUPERVISOR, SUPERVISEE = "su-arr10", "pr-arr10"
BU, LEAD, POLICE, FORCE = "bu-web11", "prm-lead11", "ag-pol11", "Metropolitan Police"


def _banner(page: Any, words: str) -> None:
    expect(page.locator(".govuk-notification-banner")).to_contain_text(words)


def _refused(page: Any, rule: str) -> None:
    expect(page.locator(".govuk-error-summary")).to_contain_text(rule)


def test_an_arrangement_is_made_signed_evaluated_and_a_session_marked_level_one(
        visit: Visit, site: Any) -> None:
    site.who(Role.SUPERVISOR, SUPERVISOR)
    site.who(Role.PRACTITIONER, SUPERVISEE)
    page = visit.sign_in(SUPERVISOR)
    visit.follow("My arrangements")
    visit.arrived("My supervision arrangements")
    visit.follow("Make a supervision arrangement")
    visit.arrived("Make a supervision arrangement")
    page.get_by_label("Supervisor", exact=True).fill(SUPERVISOR)
    page.get_by_label("Supervisee", exact=True).fill(SUPERVISEE)
    page.get_by_label("Agency", exact=True).fill("Children's social care")
    page.get_by_label("Direct contact with children or families").check()
    page.get_by_label("Monthly").check()
    page.get_by_label("Length of each session, in minutes").fill("90")
    for label, text in (("The supervisor's roles and responsibilities", HOSTILE),
                        ("The supervisee's roles and responsibilities", "Bring cases"),
                        ("How changes to sessions are raised", "A week's notice"),
                        ("How the agenda is set", "At the start of each session"),
                        ("How workload or performance issues are raised and escalated",
                         "With the line manager within a week"),
                        ("How differences of opinion are raised", "In the session first")):
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Line manager", exact=True).fill("lm-arr10")
    page.get_by_label("Safeguarding lead", exact=True).fill("dsl-arr10")
    fill_date(page, "Date the supervisee started in post", TODAY - timedelta(days=900))
    fill_date(page, "Date the arrangement is reviewed", TODAY - timedelta(days=12))
    page.get_by_label("England").check()
    fill_date(page, "Date it was made", TODAY - timedelta(days=10))
    visit.submit("Make the arrangement")
    visit.arrived("Make a supervision arrangement")
    _refused(page, "review date is after it is made")
    expect(page.get_by_label("The supervisor's roles and responsibilities")).to_have_value(
        HOSTILE)
    fill_date(page, "Date the arrangement is reviewed", TODAY + timedelta(days=200))
    visit.submit("Make the arrangement")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    expect(page.locator("main")).to_contain_text("Waiting for signatures")
    expect(page.locator("main")).to_contain_text(HOSTILE)
    arrangement = page.url.split("/app/arrangements/")[1].split("?")[0]
    made = [e for e in site.events(arrangement) if type(e).__name__ == "Made"]
    assert len(made) == 1 and made[0].occurred_on.date() == TODAY - timedelta(days=10)

    visit.follow("Sign the arrangement")
    visit.arrived("Sign the arrangement")
    fill_date(page, "Date you signed it", TODAY - timedelta(days=9))
    visit.submit("Sign it")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    _banner(page, "Your signature was recorded")
    visit.sign_out()

    visit.sign_in(SUPERVISEE)
    visit.follow("My arrangements")
    visit.follow(f"{SUPERVISOR} and {SUPERVISEE}")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    visit.follow("Sign the arrangement")
    fill_date(page, "Date you signed it", TODAY - timedelta(days=8))
    visit.submit("Sign it")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    expect(page.locator("main")).to_contain_text("Signed by both")
    visit.follow("Evaluate your supervision")
    visit.arrived("Evaluate your supervision")
    for group in page.get_by_role("group").all():
        if group.get_by_label("Maybe").count():
            group.get_by_label("Yes").check()
    page.get_by_role("group", name="I feel you believe me when I tell you I am concerned "
                     "about a child or family").get_by_label("Maybe").check()
    page.get_by_label("We need more of (optional)").fill("Reflection on cases that worry me")
    fill_date(page, "Date of the evaluation", TODAY - timedelta(days=7))
    visit.submit("Send the evaluation")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    _banner(page, "Only you and your supervisor see it")
    submitted = [e for e in site.events(arrangement) if type(e).__name__ == "EvaluationNoted"
                 or "Evaluation" in type(e).__name__]
    assert submitted, "the arrangement notes the evaluation"
    visit.sign_out()

    visit.sign_in(SUPERVISOR)
    visit.go(f"/app/arrangements/{arrangement}")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    visit.follow("Record a supervision session")
    visit.arrived("Record a supervision session")
    page.get_by_label("Matters arising from the last session").fill("Actions from last time "
                                                                    "done")
    page.get_by_label("Successes").fill("Two families stepped down to early help")
    page.get_by_label("Frustration 1: The frustration").fill(HOSTILE)
    page.get_by_label("Frustration 1: Support needed (optional)").fill("Manager to write to "
                                                                       "the agency")
    page.get_by_label("Trends", exact=True).fill("More neglect referrals")
    page.get_by_label("Training", exact=True).fill("Neglect toolkit attended")
    fill_date(page, "Date of the next session", TODAY + timedelta(days=25))
    fill_date(page, "Date of this session", TODAY - timedelta(days=2))
    visit.submit("Record the session")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    _banner(page, "supervision session was recorded")
    held = TODAY - timedelta(days=2)
    session = page.locator("#sessions ~ .govuk-summary-card").first
    expect(session).to_contain_text(f"Session of {held.day} {held:%B %Y}")
    expect(session).to_contain_text(HOSTILE)

    visit.follow("Mark a confidentiality matter")
    visit.arrived("Mark a confidentiality matter")
    page.get_by_role("group", name="Which session?").get_by_role("radio").first.check()
    page.get_by_label("Level 1, a duty to report").check()
    page.get_by_label("What is the issue?").fill("A disclosure of harm by a child's parent")
    # Marked today: a level-1 matter dated before yesterday is already past its working day,
    # and its process escalates it at once (journey 10 reports it in time).
    fill_date(page, "Date it was marked", TODAY)
    visit.submit("Mark it")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    expect(session).to_contain_text("Level 1, duty to report: A disclosure of harm")
    expect(session).to_contain_text(f"Required action: {SUPERVISOR}")
    visit.follow("My work")
    visit.arrived("My work")
    item = page.locator("main").get_by_text("Report confidentiality matter").first
    expect(item).to_be_visible()
    visit.follow("Open the arrangement")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    visit.follow("Record that a matter was reported")
    visit.arrived("Record that a matter was reported")
    page.get_by_role("radio").first.check()
    page.get_by_label("Who was it reported to?").fill("dsl-arr10")
    page.get_by_label("How was it reported?").fill("By phone, then the referral form")
    fill_date(page, "Date it was reported", TODAY)
    visit.submit("Record the report")
    visit.arrived(f"{SUPERVISOR} and {SUPERVISEE}")
    expect(session).to_contain_text(f"Done {TODAY.day} {TODAY:%B %Y} by {SUPERVISOR}")
    visit.screenshot("10-arrangement")
    visit.sign_out()

    # The business unit sees the evaluations' counts only, and none for fewer than five.
    site.who(Role.BUSINESS_UNIT, "bu-arr10")
    visit.sign_in("bu-arr10")
    visit.follow("Supervision evaluations")
    evaluated = TODAY - timedelta(days=7)
    visit.go(f"/app/evaluation-counts?quarter={evaluated.year}Q{(evaluated.month - 1) // 3 + 1}")
    visit.arrived("Supervision evaluations")
    main = page.locator("main")
    expect(main).to_contain_text("Children's social care")
    expect(main).to_contain_text("Fewer than 5 answers: not shown.")
    expect(main).not_to_contain_text("Reflection on cases that worry me")
    expect(main).not_to_contain_text(SUPERVISEE)


def test_the_panel_records_when_peer_mentoring_began_and_reads_its_targets(
        visit: Visit, site: Any) -> None:
    site.who(Role.MENTORING_COORDINATOR, "mc-web14")
    page = visit.sign_in("mc-web14")
    visit.follow("Peer mentoring")
    visit.arrived("The peer mentoring programme")
    visit.follow("Record when the peer mentoring programme began")
    visit.arrived("Record when the peer mentoring programme began")
    began = TODAY - timedelta(days=200)
    fill_date(page, "Date the programme began", began)
    fill_date(page, "Date you are recording it", TODAY - timedelta(days=1))
    visit.submit("Record it")
    visit.arrived("The peer mentoring programme")
    main = page.locator("main")
    expect(main).to_contain_text(f"The programme began on {began.day} {began:%B %Y}")
    expect(main).to_contain_text("Peer mentors accredited against the programme's target")
    expect(main).to_contain_text("programme year 1: 0 accredited of a target of 6 (missed)")
    launched = site.events(MentoringProgramme.create_id())
    assert len(launched) == 1 and launched[0].occurred_on.date() == TODAY - timedelta(days=1)

    # It began once: a second beginning is refused, and records nothing.
    visit.go("/app/mentoring-programme/new")
    visit.arrived("Record when the peer mentoring programme began")
    fill_date(page, "Date the programme began", TODAY - timedelta(days=10))
    fill_date(page, "Date you are recording it", TODAY)
    visit.submit("Record it")
    visit.arrived("Record when the peer mentoring programme began")
    _refused(page, "A record with this reference already exists")
    assert len(site.events(MentoringProgramme.create_id())) == 1


@pytest.fixture(scope="module")
def cycle(site: Any) -> dict[str, Any]:
    """The people of the quarter's cycle (the business unit plans it in the test)."""
    site.who(Role.BUSINESS_UNIT, BU)
    site.who(Role.PRACTICE_REVIEW_MEMBER, LEAD)
    agency_account(site, POLICE, FORCE)
    return {"quarter": f"{TODAY.year}Q{(TODAY.month - 1) // 3 + 1}"}


def test_the_business_unit_runs_a_quarters_assurance_cycle_to_publication(
        visit: Visit, site: Any, cycle: dict[str, Any]) -> None:
    page = visit.sign_in(BU)
    visit.follow("Assurance", exact=True)
    visit.arrived("Assurance")
    visit.follow("Plan a quarter's assurance cycle")
    visit.arrived("Plan a quarter's assurance cycle")
    page.get_by_label("Quarter", exact=True).fill(cycle["quarter"])
    fill_date(page, "Date the Safeguarding Effectiveness sub-group meets",
              TODAY + timedelta(days=20))
    fill_date(page, "Date the partnership meets", TODAY + timedelta(days=40))
    for n, (item, kind, lead) in enumerate((("drift_cases", "A scorecard measure's lead", LEAD),
                                            (FORCE, "An agency named in the forward plan",
                                             POLICE)), start=1):
        page.get_by_label(f"Evidence asked {n}: What is asked").fill(item)
        page.get_by_role("group", name=f"Evidence asked {n}: From whom?").get_by_label(
            kind).check()
        page.get_by_label(f"Evidence asked {n}: Who provides it").fill(lead)
    fill_date(page, "Date it was planned", TODAY - timedelta(days=5))
    visit.submit("Plan the cycle")
    visit.arrived(cycle["quarter"])
    expect(page.locator("main")).to_contain_text("Evidence due")
    cycle_id = page.url.split("/app/assurance-cycles/")[1].split("?")[0]
    bu = site.who(Role.BUSINESS_UNIT, BU)
    visit.sign_out()

    # The police's named lead sends the agency's evidence from the agency's page.
    visit.sign_in(POLICE)
    visit.follow("What we are asked")
    visit.arrived("What your agency is asked")
    row = page.locator("main table tbody tr", has_text="quarterly assurance cycle")
    expect(row).to_contain_text(FORCE)
    row.get_by_role("link").click()
    visit.arrived("Send your agency's evidence")
    page.get_by_label("Your agency's data").fill("41 referrals; 3 strategy meetings late")
    page.get_by_label("Your agency's assurance narrative").fill(HOSTILE)
    fill_date(page, "Date you are sending it", TODAY - timedelta(days=3))
    visit.submit("Send the evidence")
    visit.arrived("What your agency is asked")
    _banner(page, "evidence was sent")
    expect(page.locator("main table tbody tr", has_text="quarterly assurance cycle")
           ).to_contain_text("Answered")
    visit.screenshot("12-agency-evidence")
    visit.sign_out()

    answer = site.post(f"/assurance-cycles/{cycle_id}/record-sub-group-discussion", bu,
                       summary="Drift evidence missing; police timeliness", actions=[],
                       recommendations=[{"recommendation_id": "R-1",
                                         "text": "A weekly drift list for every team"}],
                       at=(NOW - timedelta(days=2)).isoformat())
    assert answer.status_code == 200, answer.text

    visit.sign_in(BU)
    visit.go(f"/app/assurance-cycles/{cycle_id}")
    visit.arrived(cycle["quarter"])
    visit.follow("Raise a query")
    visit.arrived("Raise a query")
    page.get_by_label("Who is asked").fill(LEAD)
    page.get_by_label("The question").fill("Which teams' cases drift, and since when?")
    fill_date(page, "Due by", TODAY + timedelta(days=7))
    fill_date(page, "Date it was raised", TODAY - timedelta(days=1))
    visit.submit("Raise the query")
    visit.arrived(cycle["quarter"])
    _banner(page, "query was raised")
    visit.sign_out()

    visit.sign_in(LEAD)
    item = page.locator("main").get_by_text("Answer to query").first
    expect(item).to_be_visible()
    visit.follow("Open the cycle")
    visit.arrived(cycle["quarter"])
    visit.follow("Answer a query")
    visit.arrived("Answer a query")
    page.get_by_role("radio").first.check()
    page.get_by_label("The answer").fill("The two east teams, since the summer")
    fill_date(page, "Date of the answer", TODAY)
    visit.submit("Send the answer")
    visit.arrived(cycle["quarter"])
    expect(page.locator("#queries ~ .govuk-summary-card").first).to_contain_text(
        "The two east teams")
    visit.sign_out()

    answer = site.post(f"/assurance-cycles/{cycle_id}/record-partnership-decisions", bu,
                       decisions=[{"recommendation_id": "R-1", "decision": "amended",
                                   "note": "Monthly, not weekly"}], at=NOW.isoformat())
    assert answer.status_code == 200, answer.text
    visit.sign_in(BU)
    visit.go(f"/app/assurance-cycles/{cycle_id}")
    visit.arrived(cycle["quarter"])
    visit.follow("Publish the final report")
    visit.arrived("Publish the final report")
    page.get_by_label("The Executive").check()
    page.get_by_label("Action for the next period 1: Reference").fill("N-1")
    page.get_by_label("Action for the next period 1: What is to be done").fill(
        "Repeat the drift audit")
    page.get_by_label("Action for the next period 1: Who does it").fill(LEAD)
    fill_date(page, "Action for the next period 1: Due by", TODAY + timedelta(days=90))
    fill_date(page, "Date it was published", TODAY)
    visit.submit("Publish it")
    visit.arrived("Publish the final report")
    _refused(page, "The final report goes to the Executive, the other Boards")
    assert not [e for e in site.events(cycle_id) if type(e).__name__ == "Published"]
    page.get_by_label("The other Boards").check()
    page.get_by_label("The sub-group's members").check()
    visit.submit("Publish it")
    visit.arrived(cycle["quarter"])
    _banner(page, "final report was published")
    main = page.locator("main")
    expect(main).to_contain_text("Published")
    expect(main).to_contain_text("Amended: Monthly, not weekly")
    expect(main).to_contain_text(HOSTILE)
    expect(main).to_contain_text("Repeat the drift audit, by prm-lead11")
    visit.screenshot("11-assurance-cycle")


def test_an_activity_owner_records_a_forward_plan_activity_done(visit: Visit,
                                                                site: Any) -> None:
    bu, owner = site.who(Role.BUSINESS_UNIT, "bu-web12"), "prm-owner12"
    site.who(Role.PRACTICE_REVIEW_MEMBER, owner)
    plan = site.post("/forward-plans", bu, name="Safeguarding Effectiveness plan (web)",
                     at=(NOW - timedelta(days=30)).isoformat())
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]
    added = site.post(f"/forward-plans/{plan_id}/add-plan-item", bu, activity="peer_challenge",
                      owner=owner, last_done_on=(TODAY - timedelta(days=330)).isoformat(),
                      at=(NOW - timedelta(days=20)).isoformat())
    assert added.status_code == 200, added.text
    page = visit.sign_in(owner)
    expect(page.get_by_role("cell", name="Assurance activity: peer_challenge",
                            exact=True)).to_be_visible()
    visit.follow("Open the plan")
    visit.arrived("Safeguarding Effectiveness plan (web)")
    visit.follow("Record an activity done")
    visit.arrived("Record an activity done")
    page.get_by_label("Peer challenge (yearly)").check()
    page.get_by_label("Evidence that it was done").fill(HOSTILE)
    fill_date(page, "Date it was done", TODAY - timedelta(days=25))
    visit.submit("Record it as done")
    visit.arrived("Record an activity done")
    _refused(page, "cannot be dated before its last change")
    assert not [e for e in site.events(plan_id) if type(e).__name__ == "ActivityDone"]
    fill_date(page, "Date it was done", TODAY - timedelta(days=4))
    visit.submit("Record it as done")
    visit.arrived("Safeguarding Effectiveness plan (web)")
    _banner(page, "recorded as done")
    done = TODAY - timedelta(days=4)
    card = page.locator("#activities ~ .govuk-summary-card").first
    expect(card).to_contain_text(f"{done.day} {done:%B %Y}")
    expect(card).to_contain_text(HOSTILE)


def test_a_director_answers_and_completes_their_self_evaluation(visit: Visit,
                                                                site: Any) -> None:
    leader = site.who(Role.LEADER, "dcs-web13")
    page = visit.sign_in("dcs-web13")
    visit.follow("My self-evaluations")
    visit.arrived("My self-evaluations")
    visit.follow("Start a self-evaluation")
    visit.arrived("Start a self-evaluation")
    page.get_by_label("Director of Children's Services").check()
    page.locator("#year").fill(str(TODAY.year))
    fill_date(page, "Date you started it", TODAY - timedelta(days=6))
    visit.submit("Start it")
    title = f"Director of Children's Services, {TODAY.year}"
    visit.arrived(title)
    asked = questions("dcs")
    expect(page.locator("main")).to_contain_text(f"{len(asked)} of {len(asked)} still to answer")
    evaluation = page.url.split("/app/self-evaluations/")[1].split("?")[0]

    visit.follow("Complete the self-evaluation")
    visit.arrived("Complete the self-evaluation")
    fill_date(page, "Date it was completed", TODAY - timedelta(days=5))
    visit.submit("Complete it")
    visit.arrived("Complete the self-evaluation")
    _refused(page, f"({len(asked)} still to answer)")
    visit.go(f"/app/self-evaluations/{evaluation}")
    visit.follow("Answer a question")
    visit.arrived("Answer a question")
    page.get_by_role("group", name="Which question?").get_by_role("radio").first.check()
    page.get_by_label("Your answer").fill(HOSTILE)
    page.get_by_label("Amber: partly assured").check()
    page.get_by_label("Evidence 1: Or a note (optional)").fill("Board minutes, March")
    fill_date(page, "Date of the answer", TODAY - timedelta(days=5))
    visit.submit("Record the answer")
    visit.arrived(title)
    _banner(page, "Your answer was recorded")
    expect(page.locator("main")).to_contain_text(HOSTILE)
    for n, question in enumerate(asked[1:]):
        answered = site.post(f"/self-evaluations/{evaluation}/answer-question", leader,
                             question_id=question.question_id, answer=f"Answer {n}",
                             rating="G", evidence=[{"note": "Scorecard"}],
                             at=(NOW - timedelta(days=4)).isoformat())
        assert answered.status_code == 200, answered.text
    visit.go(f"/app/self-evaluations/{evaluation}")
    visit.follow("Complete the self-evaluation")
    fill_date(page, "Date it was completed", TODAY - timedelta(days=3))
    visit.submit("Complete it")
    visit.arrived(title)
    completed = TODAY - timedelta(days=3)
    expect(page.locator("main")).to_contain_text(f"Completed {completed.day} "
                                                 f"{completed:%B %Y}")
    visit.screenshot("13-self-evaluation")
    visit.follow("See the self-ratings beside the scorecard")
    visit.arrived("Self-ratings beside the scorecard")
    first = page.locator("main table tbody tr", has_text=asked[0].theme.replace("_", " ").split()[0]
                         .capitalize()).first
    expect(first).to_contain_text("Amber")


def _signed_arrangement(site: Any, supervisor: tuple[Any, str], supervisee: tuple[Any, str], *,
                        made_at: str, signed_at: str, **terms: Any) -> str:
    """An arrangement made over the API on the usual working terms, with `terms` (agency, line
    manager, nation, dates …), and signed by both; its id. Each party is (account, name)."""
    (su, su_name), (_, pr_name) = supervisor, supervisee
    made = site.post("/arrangements", su, supervisor=su_name, supervisee=pr_name,
                     contact="direct", frequency="monthly", duration_minutes=60,
                     supervisor_responsibilities="Keep notes",
                     supervisee_responsibilities="Bring cases", changes_notice="A week",
                     agenda_setting="At the start", workload_escalation="Line manager",
                     differences_of_opinion="In the session", at=made_at, **terms)
    assert made.status_code == 201, made.text
    arrangement: str = made.json()["id"]
    for who, party in supervisor, supervisee:
        signed = site.post(f"/arrangements/{arrangement}/sign-arrangement", who, party=party,
                           at=signed_at)
        assert signed.status_code == 200, signed.text
    return arrangement


def test_a_line_manager_acts_on_a_level_two_matter_and_sees_only_what_is_theirs(
        visit: Visit, site: Any) -> None:
    supervisor, supervisee, manager = "su-arr15", "pr-arr15", "lm-arr15"
    su, pr = site.who(Role.SUPERVISOR, supervisor), site.who(Role.PRACTITIONER, supervisee)
    site.who(Role.SUPERVISOR, manager)
    for n in range(3):  # the supervisee's open cases, for the session's case-file audit
        opened = site.post("/cases", pr, child_reference=f"C-ARR15-{n}",
                           agency="Children's social care", practitioner=supervisee,
                           supervisor="su-other15", legal_status="child_in_need",
                           risk="medium", nation="ENG", at=(NOW - timedelta(days=60)).isoformat())
        assert opened.status_code == 201, opened.text
    arrangement = _signed_arrangement(
        site, (su, supervisor), (pr, supervisee), made_at=(NOW - timedelta(days=30)).isoformat(),
        signed_at=(NOW - timedelta(days=29)).isoformat(), agency="Children's social care",
        line_manager=manager, safeguarding_lead="dsl-arr15", supervisee_started_on="2019-09-01",
        review_on=(TODAY + timedelta(days=150)).isoformat(), nation="ENG")
    held = site.post(f"/arrangements/{arrangement}/record-supervision-session", su,
                     session_id="S-15", next_session_on=(TODAY + timedelta(days=20)).isoformat(),
                     agenda={"matters_arising": "None", "successes": "A family stepped down",
                             "trends": "Neglect", "training": "Toolkit",
                             "enough_support": "Not while the caseload is 30"},
                     at=(NOW - timedelta(days=10)).isoformat())
    assert held.status_code == 200, held.text
    marked = site.post(f"/arrangements/{arrangement}/mark-confidentiality", su,
                       marking_id="M-15", session_id="S-15", level="line_management",
                       issue=HOSTILE, at=(NOW - timedelta(days=10)).isoformat())
    assert marked.status_code == 200, marked.text
    site.until(lambda: [e for e in site.events(arrangement)
                        if type(e).__name__ == "CaseFileAuditSelected"])

    # The supervisor records the audit of a case the process chose.
    page = visit.sign_in(supervisor)
    visit.go(f"/app/arrangements/{arrangement}")
    visit.arrived(f"{supervisor} and {supervisee}")
    session = page.locator("#sessions ~ .govuk-summary-card").first
    expect(session).to_contain_text("chosen at random from 3 open (seed")
    visit.follow("Record a case-file audit")
    visit.arrived("Record a case-file audit")
    page.get_by_role("radio").first.check()
    page.get_by_label("Strengths").fill("Chronology up to date")
    page.get_by_label("Learning points").fill("Record the child's own words")
    fill_date(page, "Date of the audit", TODAY - timedelta(days=9))
    visit.submit("Record the audit")
    visit.arrived(f"{supervisor} and {supervisee}")
    expect(session).to_contain_text("Learning points: Record the child's own words")
    visit.sign_out()

    # The line manager: the matter reported to them, not the session's agenda.
    visit.sign_in(manager)
    expect(page.get_by_role("cell", name="Act on line-management matter M-15",
                            exact=True)).to_be_visible()
    visit.follow("Open the arrangement")
    visit.arrived(f"{supervisor} and {supervisee}")
    main = page.locator("main")
    expect(main).to_contain_text(HOSTILE)
    expect(main).not_to_contain_text("Not while the caseload is 30")
    expect(main).not_to_contain_text("A family stepped down")
    expect(main.get_by_role("link", name="Record a supervision session")).to_have_count(0)
    visit.follow("Record the line-management action")
    visit.arrived("Record the line-management action")
    page.get_by_role("radio").first.check()
    page.get_by_label("What did you do about it?").fill("Capability plan agreed; review in "
                                                        "six weeks")
    fill_date(page, "Date of the action", TODAY - timedelta(days=5))
    visit.submit("Record the action")
    visit.arrived(f"{supervisor} and {supervisee}")
    done = TODAY - timedelta(days=5)
    expect(page.locator("#markings ~ .govuk-summary-card").first).to_contain_text(
        f"Done {done.day} {done:%B %Y} by {manager}")


def test_my_work_counts_a_northern_irish_arrangements_matters_in_its_working_days(
        visit: Visit, site: Any) -> None:
    """An arrangement in Northern Ireland: its duty-to-report matters fall due by its bank
    holidays (marked on Monday 16 March 2026, due on the 18th: the 17th is St Patrick's Day;
    marked on Friday 10 July, due on Tuesday the 14th, after the Twelfth's Monday), and the
    supervisor's My work counts how late each is in Northern Ireland's working days. Scotland's
    count (the panel's, where a record names no nation) differs from it for at least one of the
    two on every day to the end of 2028, so the page cannot show Scotland's and pass."""
    supervisor, supervisee = "su-arr16", "pr-arr16"
    su, pr = site.who(Role.SUPERVISOR, supervisor), site.who(Role.PRACTITIONER, supervisee)
    arrangement = _signed_arrangement(
        site, (su, supervisor), (pr, supervisee), made_at="2026-03-02T10:00:00+00:00",
        signed_at="2026-03-03T10:00:00+00:00", agency="Health visiting", line_manager="lm-arr16",
        safeguarding_lead="dsl-arr16", supervisee_started_on="2021-09-01",
        review_on="2027-03-31", nation="NIR")
    matters = {"M-16": ("2026-03-13", "2026-03-16", date(2026, 3, 18)),
               "M-17": ("2026-07-09", "2026-07-10", date(2026, 7, 14))}
    for marking, (held_on, marked_on, _) in matters.items():
        session = f"S-{marking}"
        held = site.post(f"/arrangements/{arrangement}/record-supervision-session", su,
                         session_id=session, next_session_on="2026-12-31",
                         agenda={"matters_arising": "None", "successes": "Visits kept",
                                 "trends": "Neglect", "training": "Toolkit",
                                 "enough_support": "Yes"}, at=f"{held_on}T10:00:00+00:00")
        assert held.status_code == 200, held.text
        marked = site.post(f"/arrangements/{arrangement}/mark-confidentiality", su,
                           marking_id=marking, session_id=session, level="duty_to_report",
                           issue=HOSTILE, at=f"{marked_on}T10:00:00+00:00")
        assert marked.status_code == 200, marked.text
    assert any(wording.late(due, TODAY, "NIR") != wording.late(due, TODAY, "SCT")
               for _, _, due in matters.values())

    page = visit.sign_in(supervisor)
    for marking, (_, _, due) in matters.items():
        matter = page.get_by_role("row").filter(
            has_text=f"Report confidentiality matter {marking}")
        expect(matter.first).to_contain_text("Overdue")
        expect(matter.first).to_contain_text(wording.late(due, TODAY, "NIR"))


def test_the_business_unit_lists_its_term_calendars_with_the_years_set(
        visit: Visit, site: Any, cycle: dict[str, Any]) -> None:
    page = visit.sign_in(BU)
    visit.follow("Assurance", exact=True)
    visit.arrived("Assurance")
    visit.follow("Set up a term calendar")
    visit.arrived("Set up a term calendar")
    name = f"Wrexham schools {HOSTILE}"
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Wales").check()
    fill_date(page, "Date it was set up", TODAY - timedelta(days=60))
    visit.submit("Set it up")
    visit.arrived(name)
    calendar_id = page.url.split("/app/term-calendars/")[1].split("?")[0]
    answer = site.post(f"/term-calendars/{calendar_id}/set-term-dates",
                       site.who(Role.BUSINESS_UNIT, BU), academic_year="2026/27",
                       at=(NOW - timedelta(days=59)).isoformat(), half_terms=[
                           {"name": "Autumn 1", "starts_on": "2026-09-02",
                            "ends_on": "2026-10-23"},
                           {"name": "Autumn 2", "starts_on": "2026-11-02",
                            "ends_on": "2026-12-18"}])
    assert answer.status_code == 200, answer.text

    def listed() -> bool:
        visit.go("/app/assurance")
        row = page.locator("main table tbody tr", has_text="Wrexham schools")
        return row.count() == 1 and "2026/27" in row.inner_text()

    site.until(listed)
    row = page.locator("main table tbody tr", has_text="Wrexham schools")
    expect(row).to_contain_text(HOSTILE)  # shown as text, not run
    expect(row).to_contain_text("Wales")
    expect(row).to_contain_text("18 December 2026")
    row.get_by_role("link").first.click()
    visit.arrived(name)
    expect(page.locator("main")).to_contain_text("Academic year 2026/27")
