"""Each user group's work, end to end, as the group would tell it: over HTTP against uvicorn,
with the worker and the projection runner running, dated in the past as real records are, and
checked by what the person reads at the end (never by the events alone).

The names and free text are realistic and a little hostile (apostrophes, markup, accents,
right-to-left script) so that every read shows them back as typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

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
    assert (row["name"], row["stage"], row["stage_on"]) == (f"Alex {HOSTILE}",
                                                          "recommendation recorded",
                                                          "2026-03-09")
    overdue = {item["what"]: item["asked"] for item in row["overdue"]}
    assert overdue["Support session, year 2 (0 of 1)"] == "support_manager"
    assert overdue["Peer mentoring session 2"] == "mentoring_coordinator"
    assert "Recommendation to Ministers" not in overdue


def test_the_practice_review_sub_group_reviews_an_incident_and_audits_practice(
        system: System) -> None:
    """Police refer a neglect concern, which goes on the register. Health notify a serious
    incident: the rapid review asks Health and the Police for information (both answer), tells
    the Panel, completes with findings, records the Panel's response and decides against an
    LCSPR, adds a recommendation and closes. A multi-agency audit planned six weeks ago, its returns due last week, selects
    its cases; the Police return on time, Health is reminded and chased at the due date and
    returns late; the return is moderated, findings recorded, reported, actions agreed and the
    audit closed. The chair then reads the register and the quarter's scorecard."""
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
    journey.do("audits", a, "submit-return", chair, ago(30), agency="Police",
               supervision_grade="good", oversight_grade="good", evidence="case notes sampled")
    system.until(lambda: any(type(e).__name__ == "ReturnChased" for e in system.events(a)))
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
    assert [b["label"] for b in audit_entry["breaches"]] == ["Return from Health"]
    assert [a["text"] for a in audit_entry["actions"]] == [
        "oversight template for health visitors"]

    audit_state = read(system, f"/audits/{a}", chair)
    assert len(audit_state["selected_cases"]) == 2
    assert audit_state["returns"]["Health"]["chased_on"] != []
    assert audit_state["returns"]["Police"]["chased_on"] == []

    def measure(key: str, due_on: str) -> dict[str, Any]:
        """The measure in the scorecard of the quarter its item fell due in."""
        day = date.fromisoformat(due_on)
        card = read(system, f"/scorecard/{day.year}Q{(day.month - 1) // 3 + 1}", chair)
        return next(m for m in card["measures"] if m["key"] == key)

    due = {d["label"]: d["due_on"] for d in review_entry["deadlines"] + audit_entry["deadlines"]}
    returns = measure("audit_returns_on_time", due["Return from Health"])["figure"]
    assert (returns["numerator"], returns["denominator"]) == (1, 2)
    assert measure("rapid_review_on_time", due["Rapid review"])["light"] == "green"
    notified = measure("panel_notification_on_time", due["Panel notification"])
    assert notified["figure"]["entered_late"] == 1
    assert referral in {e["entry_id"] for e in entries.values()}
