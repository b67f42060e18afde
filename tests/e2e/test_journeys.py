"""Each user group's work, end to end, as the group would tell it: over HTTP against uvicorn,
with the worker and the projection runner running, dated in the past as real records are, and
checked by what the person reads at the end (never by the events alone).

The names and free text are realistic and a little hostile (apostrophes, markup, accents,
right-to-left script) so that every read shows them back as typed.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

from domain.accounts import Role
from tests.e2e.conftest import System
from tests.e2e.test_backdated_commands import Journey, ago, on

HOSTILE = "O'Brien <b>Ré</b> \u05e9\u05dc\u05d5\u05dd"


def read(system: System, path: str, who: dict[str, str], **params: Any) -> Any:
    answer = system.http.get(path, headers=who, params=params)
    assert answer.status_code == 200, f"{path}: {answer.text}"
    return answer.json()


def refused(system: System, path: str, who: dict[str, str], status: int = 409,
            **body: Any) -> str:
    """The refusal's message, after checking its status."""
    answer = system.http.post(path, headers=who, json=body)
    assert answer.status_code == status, answer.text
    return str(answer.json()["detail"])


def test_a_support_manager_takes_a_safeguarder_from_application_to_recommendation(
        system: System) -> None:
    """The panel team sets up the West region with two support managers. Alex applies, is
    interviewed, assessed and appointed for a term that began in March 2023, and is allocated
    to Priya with a reason. Priya holds the first year's support session and samples two
    reports; Alex joins a group session and is mentored. A child's feedback and a concern about
    Alex are recorded, and the concern is resolved. Years two and three had no session, so when
    the re-appointment review opens, Priya's recommendation needs an exception reason, and gets
    one. Priya then reads Alex's file, her caseload and the evidence pack."""
    journey = Journey(system)
    admin = system.who(Role.PANEL_ADMIN, "pa-1")
    priya = system.who(Role.SUPPORT_MANAGER, "sm-priya", "West")
    coordinator = system.who(Role.MENTORING_COORDINATOR, "mc-1")

    region = journey.make("regions", admin, on(date(2023, 1, 3)), region="West")
    for manager in ("sm-priya", "sm-owen"):
        journey.do("regions", region, "add-support-manager", admin, on(date(2023, 1, 4)),
                   manager=manager)
    mentor = journey.make("mentors", coordinator, on(date(2023, 1, 5)), name="Morgan Ellis")
    journey.do("mentors", mentor, "record-training", coordinator, on(date(2023, 1, 20)))
    journey.do("mentors", mentor, "accredit", coordinator, on(date(2023, 2, 1)))
    group = journey.make("group-sessions", admin, on(date(2023, 4, 3)), session_ref="GS-W-1",
                         facilitator="sm-priya", held_on="2023-05-09")

    alex = journey.make("safeguarders", admin, on(date(2023, 1, 9)), name=f"Alex {HOSTILE}",
                        contact={"email": "alex@example.org"}, region="West")
    journey.do("safeguarders", alex, "record-interview", admin, on(date(2023, 1, 30)),
               passed=True, notes="strong child focus; <i>calm</i>")
    journey.do("safeguarders", alex, "record-assessment", admin, on(date(2023, 2, 13)),
               passed=True, notes="ready for appointment")
    journey.do("safeguarders", alex, "appoint", admin, on(date(2023, 2, 27)),
               term_starts_on="2023-03-01")
    journey.do("safeguarders", alex, "allocate", admin, on(date(2023, 3, 2)),
               manager="sm-priya", reason="Priya covers the family courts Alex sits in")
    journey.do("safeguarders", alex, "record-support-session", priya, on(date(2023, 9, 12)),
               session_id="SS-2023", notes="reflective; workload fine")
    for report in ("RPT-2023-07", "RPT-2023-08"):
        journey.do("safeguarders", alex, "record-sampled-report", priya, on(date(2023, 9, 12)),
                   report_ref=report, session_id="SS-2023", discussion="clear analysis")
    journey.do("safeguarders", alex, "attend-group-session", priya, on(date(2023, 5, 9)),
               also=group, session_id=group)
    journey.do("safeguarders", alex, "assign-mentor", coordinator, on(date(2023, 3, 6)),
               mentor_id=mentor)
    journey.do("safeguarders", alex, "record-mentoring-session", coordinator,
               on(date(2023, 4, 18)), notes="first hearings talked through")
    journey.do("safeguarders", alex, "record-feedback", priya, on(date(2023, 11, 7)),
               source="child or young person", tone="positive",
               summary="Alex listened and wrote down what I said")
    raised = journey.do("safeguarders", alex, "raise-concern", admin, on(date(2024, 2, 5)),
                        concern_id="CON-1", about="behaviour",
                        summary="late for two hearings in January")
    journey.do("safeguarders", alex, "resolve-concern", admin, on(date(2024, 2, 19)),
               concern_id="CON-1", resolution="childcare clash; now resolved")

    system.until(lambda: read(system, f"/safeguarders/{alex}", priya)["status"]
                 == "in re-appointment review", timeout=60)
    rule = refused(system, f"/safeguarders/{alex}/recommend", priya,
                   at=on(date(2026, 3, 9)).isoformat(), reappoint=True,
                   rationale="sound practice")
    assert "exception" in rule.lower() and rule.count("2") == 1, rule
    journey.do("safeguarders", alex, "recommend", priya, on(date(2026, 3, 9)), reappoint=True,
               rationale="sound practice, confirmed by the sampled reports",
               exception_reason="no sessions in years 2 and 3 while Priya was on leave")

    assert raised["answer"] == "Concern CON-1 raised and escalated to stage 1"

    file = read(system, f"/safeguarders/{alex}/file", priya)
    details, sections = file["details"], file["sections"]
    assert (details["name"], details["status"], details["support_manager"]) == (
        f"Alex {HOSTILE}", "in re-appointment review", "sm-priya")
    assert [a["reason"] for a in sections["allocations"]] == [
        "Priya covers the family courts Alex sits in"]
    assert [r["report_ref"] for r in sections["sampled_reports"]] == ["RPT-2023-07",
                                                                      "RPT-2023-08"]
    assert [g["session_ref"] for g in sections["group_sessions"]] == ["GS-W-1"]
    assert [m["kind"] for m in sections["mentoring"]] == ["mentor assigned", "mentoring session"]
    assert [c["resolution"] for c in sections["concerns"]] == ["childcare clash; now resolved"]
    assert [y["met"] for y in file["years"][:3]] == [True, False, False]

    pack = read(system, f"/safeguarders/{alex}/evidence-pack", priya)
    assert pack["recommendation"]["unmet_years"] == [2, 3]
    assert pack["recommendation"]["exception_reason"].startswith("no sessions in years 2 and 3")
    first_year = pack["years"][0]["evidence"]
    assert len(first_year["sampled report"]) == 2 and len(first_year["support session"]) == 1
    assert pack["years"][0]["concerns"][0]["summary"] == "late for two hearings in January"

    [row] = read(system, "/support-managers/sm-priya/caseload", priya)
    assert row["name"] == f"Alex {HOSTILE}"
    # The stage is the process's latest step by date: the recommendation, unless the process
    # caught up on year 1's end before the session above reached it, recorded a shortfall, and
    # withdrew it today when the session arrived.
    assert (row["stage"], row["stage_on"]) in (
        ("recommendation recorded", "2026-03-09"),
        ("annual shortfall withdrawn (year 1)", datetime.now(UTC).date().isoformat()))
    overdue = {item["what"]: item["asked"] for item in row["overdue"]}
    assert overdue["Support session, year 2 (0 of 1)"] == "support_manager"
    assert overdue["Peer mentoring session 2"] == "mentoring_coordinator"
    assert "Recommendation to Ministers" not in overdue


def test_the_practice_review_sub_group_reviews_an_incident_and_audits_practice(
        system: System) -> None:
    """Police refer a neglect concern, which goes on the register. Health notify a serious
    incident: the rapid review asks Health and the Police for information (both answer), tells
    the Panel, completes with findings, records the Panel's response and decides against an
    LCSPR, adds a recommendation and closes. A multi-agency audit planned six weeks ago, its
    returns due last week, selects its cases; both agencies are reminded and chased at the
    due date and return late; the return is moderated, findings recorded,
    reported, actions agreed and the audit closed. The chair then reads the register and the
    quarter's scorecard."""
    journey = Journey(system)
    chair = system.who(Role.PRACTICE_REVIEW_MEMBER, "prm-chair")
    practitioner = system.who(Role.PRACTITIONER, "pr-7")
    for n in range(3):
        journey.make("cases", practitioner, ago(120 + n), child_reference=f"HLT-2026-{n:04d}",
                     agency="Health", practitioner="pr-7", supervisor="su-7",
                     legal_status="child_in_need", risk="medium", nation="ENG")

    referral = journey.make("reviews", chair, ago(30), reference="REF-2026-031",
                            referrer="Police", category="practice_concern",
                            summary=f"neglect concern at {HOSTILE}'s address", nation="ENG",
                            review_type="single_agency", became_aware_on=ago(31).date().isoformat())
    incident = system.post("/reviews", chair, at=ago(12).isoformat(), reference="SI-2026-017",
                           referrer="Health", category="serious_incident",
                           summary="a six-month-old seriously injured at home", nation="ENG",
                           review_type="rapid_review",
                           became_aware_on=ago(12).date().isoformat())
    assert incident.status_code == 201 and incident.json()["workflow"], incident.text
    r = incident.json()["id"]
    for request, agency in (("REQ-H", "Health"), ("REQ-P", "Police")):
        journey.do("reviews", r, "request-agency-information", chair, ago(11.9),
                   request_id=request, agency=agency, due_on=ago(5).date().isoformat())
    journey.do("reviews", r, "notify-panel", chair, ago(11.8))
    journey.do("reviews", r, "receive-agency-information", chair, ago(8), request_id="REQ-H")
    journey.do("reviews", r, "receive-agency-information", chair, ago(7), request_id="REQ-P")
    journey.do("reviews", r, "complete-rapid-review", chair, ago(4),
               findings="discharge information was not shared with the health visitor",
               learning=["share discharge summaries the same day"], recommend_lcspr=False,
               rationale="the learning is clear without an LCSPR")
    journey.do("reviews", r, "record-panel-response", chair, ago(3),
               response="the Panel agrees with the rapid review")
    journey.do("reviews", r, "decide-lcspr", chair, ago(2.5), commission=False,
               rationale="learning captured by the rapid review")
    journey.do("reviews", r, "add-recommendation", chair, ago(2), recommendation_id="REC-1",
               text="health visitors receive discharge summaries", owner_agency="Health",
               due_on=ago(-60).date().isoformat())
    journey.do("reviews", r, "close", chair, ago(1),
               carried_over={"REC-1": "due in the next quarter; Health leads it"})

    planned = system.post("/audits", chair, at=ago(45).isoformat(), reference="MAPA-2026-3",
                          theme="neglect: early help", dimension="multi_agency",
                          audit_type="multi_agency_practice", year=ago(45).year,
                          agencies=["Police", "Health"], sample_size=2,
                          returns_due=ago(8).date().isoformat())
    assert planned.status_code == 201 and planned.json()["workflow"], planned.text
    a = planned.json()["id"]
    system.until(lambda: read(system, f"/audits/{a}", chair)["stage"] == "returns_requested")
    # The cycle starts in the past, so it reminds and chases both agencies at once: a return
    # entered now must be dated after its chase (the record refuses a fact dated before one).
    system.until(lambda: {e.agency for e in system.events(a)
                          if type(e).__name__ == "ReturnChased"} == {"Police", "Health"})
    journey.do("audits", a, "submit-return", chair, ago(7), agency="Police",
               supervision_grade="good", oversight_grade="good", evidence="case notes sampled")
    journey.do("audits", a, "submit-return", chair, ago(6), agency="Health",
               supervision_grade="requires_improvement", oversight_grade="good",
               evidence="late: staff absence")
    journey.do("audits", a, "moderate", chair, ago(5), notes="grades agreed at moderation")
    journey.do("audits", a, "record-findings", chair, ago(4.5), strengths=["timely strategy"],
               areas_for_development=["recording of oversight"])
    journey.do("audits", a, "report", chair, ago(4), group="Safeguarding Effectiveness")
    journey.do("audits", a, "agree-actions", chair, ago(3.5),
               actions=[{"action": "oversight template for health visitors", "owner": "Health",
                         "due_on": ago(-40).date().isoformat()}])
    journey.do("audits", a, "close", chair, ago(3))

    entries = {e["reference"]: e for e in read(system, "/register", chair)}
    assert (entries["REF-2026-031"]["status"], entries["REF-2026-031"]["title"]) == (
        "referred", f"neglect concern at {HOSTILE}'s address")
    review_entry = entries["SI-2026-017"]
    assert review_entry["status"] == "closed" and review_entry["breaches"] == []
    assert {d["label"]: d["state"] for d in review_entry["deadlines"]} == {
        "Information from Health": "met", "Information from Police": "met",
        "Panel notification": "met", "Rapid review": "met"}
    assert [a["carried_over"] for a in review_entry["actions"]] == [
        "due in the next quarter; Health leads it"]
    audit_entry = entries["MAPA-2026-3"]
    assert audit_entry["status"] == "closed"
    assert sorted(b["label"] for b in audit_entry["breaches"]) == ["Return from Health",
                                                                  "Return from Police"]
    assert [a["text"] for a in audit_entry["actions"]] == [
        "oversight template for health visitors"]

    audit_state = read(system, f"/audits/{a}", chair)
    assert len(audit_state["selected_cases"]) == 2
    assert all(audit_state["returns"][agency]["chased_on"] for agency in ("Health", "Police"))

    def measure(key: str, due_on: str) -> dict[str, Any]:
        """The measure in the scorecard of the quarter its item fell due in."""
        day = date.fromisoformat(due_on)
        card = read(system, f"/scorecard/{day.year}Q{(day.month - 1) // 3 + 1}", chair)
        return next(m for m in card["measures"] if m["key"] == key)

    due = {d["label"]: d["due_on"] for d in review_entry["deadlines"] + audit_entry["deadlines"]}
    returns = measure("audit_returns_on_time", due["Return from Health"])["figure"]
    assert (returns["numerator"], returns["denominator"]) == (0, 2)
    assert measure("rapid_review_on_time", due["Rapid review"])["light"] == "green"
    notified = measure("panel_notification_on_time", due["Panel notification"])
    assert notified["figure"]["entered_late"] == 1
    assert referral in {e["entry_id"] for e in entries.values()}


def test_a_supervisor_and_practitioner_supervise_a_child_in_need_and_escalate_a_disagreement(
        system: System) -> None:
    """Jo, a practitioner, opens the case of a child in need five months ago; trying to open it
    again is refused. Sam, the supervisor, records a discussion the next week with an amber
    rating and two actions, and both sign it; Jo completes one action. Nobody has discussed the
    child since, so the case drifts, the child in need is overdue for discussion and the other
    action is overdue. Jo raises a professional disagreement with the Police; Sam escalates it
    to stage 2 and then stage 3, and a fourth stage is refused. Jo and Sam each read their
    lists, which show their case and not another team's."""
    journey = Journey(system)
    jo, sam = system.who(Role.PRACTITIONER, "pr-jo"), system.who(Role.SUPERVISOR, "su-sam")
    other = system.who(Role.PRACTITIONER, "pr-kit")
    opening = {"child_reference": "CSC-2026-0815", "agency": "Children's social care",
               "practitioner": "pr-jo", "supervisor": "su-sam", "legal_status": "child_in_need",
               "risk": "medium", "nation": "ENG"}
    c = journey.make("cases", jo, ago(150), **opening)
    twice = system.post("/cases", jo, at=ago(149).isoformat(), **opening)
    assert twice.status_code == 409 and "one open case per agency" in twice.json()["detail"]
    theirs = journey.make("cases", other, ago(150), **(opening | {
        "child_reference": "CSC-2026-0999", "practitioner": "pr-kit", "supervisor": "su-lee"}))

    journey.do("cases", c, "record-discussion", sam, ago(143), discussion_id="D-1",
               supervisor="su-sam", supervisee="pr-jo", needs="school attendance; food",
               risks=f"neglect; mother's partner {HOSTILE}", engagement="mother engages",
               plan="early help assessment", capacity_for_change="some", rag="A",
               actions=[{"action_id": "A-1", "description": "refer to early help",
                         "owner": "pr-jo", "due": ago(136).date().isoformat()},
                        {"action_id": "A-2", "description": "home visit with health visitor",
                         "owner": "pr-jo", "due": ago(120).date().isoformat()}],
               next_discussion_on=ago(113).date().isoformat())
    journey.do("cases", c, "sign-discussion", sam, ago(143), discussion_id="D-1",
               party="su-sam")
    journey.do("cases", c, "sign-discussion", jo, ago(142), discussion_id="D-1", party="pr-jo")
    journey.do("cases", c, "complete-action", jo, ago(137), action_id="A-1")

    raised = journey.do("cases", c, "raise-disagreement", jo, ago(3), disagreement_id="PD-1",
                        between=["Police", "Children's social care"],
                        summary="Police declined a joint visit")
    assert raised["workflow"], "a disagreement starts its escalation ladder"
    journey.do("cases", c, "escalate-disagreement", sam, ago(2.5), disagreement_id="PD-1",
               reason="workers could not agree")
    journey.do("cases", c, "escalate-disagreement", sam, ago(2), disagreement_id="PD-1",
               reason="team managers could not agree")
    rule = refused(system, f"/cases/{c}/escalate-disagreement", sam,
                   at=ago(1).isoformat(), disagreement_id="PD-1", reason="still no agreement")
    assert "stage 3" in rule, rule

    def ids(rows: list[dict[str, Any]]) -> set[str]:
        return {str(r["case_id"]) for r in rows}

    for me, mine in ((jo, c), (sam, c), (other, theirs)):
        drift = system.until(lambda me=me: read(system, "/supervision/drift", me))
        assert ids(drift) == {mine}
        assert "more than 3 months without a supervision discussion" in drift[0]["reasons"][0]
        assert ids(read(system, "/supervision/children-in-need-overdue", me)) == {mine}
        assert {row["id"] for row in read(system, "/cases", me)["items"]} == {mine}
    for me in (jo, sam):
        overdue = read(system, "/supervision/overdue-actions", me)
        assert [(a["case_id"], a["action_id"]) for a in overdue["pr-jo"]] == [(c, "A-2")]
        assert list(overdue) == ["pr-jo"]
    assert read(system, "/supervision/overdue-actions", other) == {}

    disagreement = read(system, f"/cases/{c}", sam)["disagreements"]["PD-1"]
    assert (disagreement["stage"], disagreement["stage_name"]) == (
        3, "senior manager or partnership")
    assert [e["reason"] for e in disagreement["escalations"]] == [
        "workers could not agree", "team managers could not agree"]
    assert [d["rag"] for d in read(system, f"/cases/{c}/rag-trend", jo)] == ["A"]


def test_an_auditor_replays_a_case_as_it_was_known_and_as_it_happened(system: System) -> None:
    """A case was opened in the spring. Its supervisor recorded a discussion in September,
    but entered it only today, after the risk had been raised to high. The auditor reads the
    case's history: every fact with who gave it, when it happened and when it was recorded,
    the late entry marked; the case as it was known before the late entry, and as it had
    happened by the end of August; what changed between those two instants; the history as a
    PDF; and who has viewed the case, the auditor among them."""
    journey = Journey(system)
    jo, sam = system.who(Role.PRACTITIONER, "pr-ana"), system.who(Role.SUPERVISOR, "su-ben")
    auditor = system.who(Role.AUDITOR, "au-cat")
    c = journey.make("cases", jo, ago(200), child_reference="CSC-2026-0420",
                     agency="Children's social care", practitioner="pr-ana",
                     supervisor="su-ben", legal_status="child_protection", risk="medium",
                     nation="ENG")
    journey.do("cases", c, "change-risk", sam, ago(20), new_risk="high")
    before_late_entry = datetime.now(UTC)
    time.sleep(1.1)  # the store's clock moves on before the late entry is recorded
    journey.do("cases", c, "record-discussion", sam, ago(80), discussion_id="D-9",
               supervisor="su-ben", supervisee="pr-ana", needs="a safe bedroom",
               risks=f"domestic abuse; {HOSTILE}", engagement="father avoids visits",
               plan="strategy discussion", capacity_for_change="low", rag="R", actions=[],
               next_discussion_on=ago(50).date().isoformat())
    read(system, f"/cases/{c}", sam)

    history = read(system, f"/history/case/{c}", auditor)
    [late] = [e for e in history["events"] if e["what"] == "Discussion recorded"]
    assert (late["by"], late["details"]["risks"]) == ("su-ben", f"domestic abuse; {HOSTILE}")
    assert late["happened"].startswith(f"{ago(80).day} {ago(80):%b %Y}")
    assert late["recorded"].startswith(f"{datetime.now(UTC).day} {datetime.now(UTC):%b %Y}")

    known = read(system, f"/history/case/{c}", auditor, as_known_at=before_late_entry.isoformat())
    assert (known["state"]["risk"], known["state"]["discussions"]) == ("high", "—")
    happened = read(system, f"/history/case/{c}", auditor, as_happened_by=ago(60).isoformat())
    assert happened["state"]["risk"] == "medium" and "D-9" in happened["state"]["discussions"]
    diff = read(system, f"/history/case/{c}", auditor, diff_from=before_late_entry.isoformat(),
                diff_to=datetime.now(UTC).isoformat())
    assert any(change["field"].startswith("discussions.D-9") for change in diff["changes"])

    pdf = system.http.get(f"/history/case/{c}", headers=auditor, params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    viewers = read(system, f"/cases/{c}/viewers", auditor)
    assert {v["by"] for v in viewers} == {"su-ben", "au-cat"}
    assert sum(v["by"] == "au-cat" for v in viewers) == 5  # four histories and the PDF


def test_operations_staff_watch_the_processes_and_intervene_only_where_it_helps(
        system: System) -> None:
    """A Safeguarder appointed last year has had no mentoring, so their appointment process
    has overdue items; a case opened last week is in good order. Operations staff list the
    running processes and see the Safeguarder's overdue items, the same ones their support
    manager's caseload shows, and the overdue count in the metrics. A retry of the healthy
    case's process is refused and leaves it on the same run; they terminate it with a reason,
    after which it is listed as terminated and a cancel is refused."""
    journey = Journey(system)
    admin, ops = system.who(Role.PANEL_ADMIN, "pa-ops"), system.who(Role.OPS, "ops-dee")
    manager = system.who(Role.SUPPORT_MANAGER, "sm-nia", "North")
    region = journey.make("regions", admin, on(date(2025, 1, 6)), region="North")
    journey.do("regions", region, "add-support-manager", admin, on(date(2025, 1, 6)),
               manager="sm-nia")
    s = journey.make("safeguarders", admin, on(date(2025, 1, 13)), name="Robin Fairweather",
                     region="North")
    journey.do("safeguarders", s, "record-interview", admin, on(date(2025, 2, 3)), passed=True)
    journey.do("safeguarders", s, "record-assessment", admin, on(date(2025, 2, 17)),
               passed=True)
    journey.do("safeguarders", s, "appoint", admin, on(date(2025, 3, 3)),
               term_starts_on="2025-03-03")
    journey.do("safeguarders", s, "allocate", admin, on(date(2025, 3, 4)), manager="sm-nia")
    practitioner = system.who(Role.PRACTITIONER, "pr-eve")
    c = journey.make("cases", practitioner, ago(7), child_reference="ED-2026-0007",
                     agency="Education", practitioner="pr-eve", supervisor="su-fin",
                     legal_status="child_protection", risk="low", nation="WLS")

    def overdue_of(record: str) -> list[str]:
        lines = read(system, "/ops/workflows", ops, status="running")
        return next((line["overdue"] for line in lines if record in line["workflow_id"]), [])

    late = system.until(lambda: overdue_of(s))
    [row] = read(system, "/support-managers/sm-nia/caseload", manager)
    assert sorted(late) == sorted(f"{i['what']} (due {i['due_on']})" for i in row["overdue"])
    assert any(item.startswith("Peer mentoring session") for item in late)
    assert overdue_of(c) == []
    metrics = system.http.get("/metrics").text
    counted = [line for line in metrics.splitlines()
               if line.startswith('assured_overdue_deadlines{kind="safeguarder"}')]
    assert counted and float(counted[0].split()[-1]) >= len(late), counted

    cadence = next(line for line in read(system, "/ops/workflows", ops, status="running")
                   if c in line["workflow_id"])
    before = read(system, f"/ops/workflows/{cadence['workflow_id']}", ops)
    retried = system.post(f"/ops/workflows/{cadence['workflow_id']}/retry", ops,
                          reason="checking")
    assert retried.status_code == 409 and "no step of it is failing" in retried.text
    after = read(system, f"/ops/workflows/{cadence['workflow_id']}", ops)
    assert (after["run_id"], after["status"]) == (before["run_id"], "running")
    ended = system.post(f"/ops/workflows/{cadence['workflow_id']}/terminate", ops,
                        reason="case opened in error; closed by the school")
    assert ended.status_code == 200, ended.text
    listed = read(system, "/ops/workflows", ops, status="terminated")
    assert cadence["workflow_id"] in [line["workflow_id"] for line in listed]
    again = system.post(f"/ops/workflows/{cadence['workflow_id']}/cancel", ops,
                        reason="tidy up")
    assert again.status_code == 409 and again.json()["title"] == "The process has ended"
