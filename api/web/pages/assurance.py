"""The partnership's assurance in the browser (seed 004): the business unit's page of quarterly
assurance cycles, forward plans and term calendars; a cycle planned and taken through its five
steps (evidence, the sub-group's discussion, queries and spotlights, the partnership's
decisions, publication); the forward plan's activities, added and recorded done; and the
schools' half terms.

Every form is its command's dataclass (`api.web.derived`); only the words are written here. A
lead or an agency answers what a cycle asks of them from My work (and an agency contributor
from the agency's page, `api.web.pages.agency`).
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request
from starlette.responses import Response

from api.access import record_list_view
from api.auth import Principal
from api.web.derived import fields_of
from api.web.pages.common import reading
from api.web.pages.create_forms import CreateForm
from api.web.pages.record_forms import RecordForm
from api.web.pages.seed_pages import (
    Card,
    Offer,
    Part,
    RecordPages,
    View,
    add_derived_create,
    add_record_pages,
    options,
)
from api.web.routing import error_page, page_router
from api.web.session import Person
from api.web.templating import render
from api.web.wording import NATIONS, long_date, phrase
from domain.accounts import Role
from domain.assurance_commands import (
    AnswerQuery,
    FinaliseSpotlight,
    PlanAssuranceCycle,
    PublishAssuranceReport,
    RaiseQuery,
    RecordPartnershipDecisions,
    RecordSubGroupDiscussion,
    SubmitEvidence,
)
from domain.assurance_values import CycleStage
from domain.forward_plan_commands import (
    AddPlanItem,
    OpenForwardPlan,
    RecordActivityDone,
    ReviewForwardPlan,
)
from domain.term_calendar_commands import SetTermDates, SetUpTermCalendar

router = page_router()

WORDS: dict[str, str | tuple[str, str]] = {
    "quarter": ("Quarter", "For example, 2026Q4"),
    "sub_group_meets_on": "Date the Safeguarding Effectiveness sub-group meets",
    "partnership_meets_on": "Date the partnership meets",
    "requests": "Evidence asked",
    "item": ("What is asked", "A scorecard measure's key (for example drift_cases), or the "
             "agency's name"),
    "kind": "From whom?",
    "measure": "A scorecard measure's lead", "agency": "An agency named in the forward plan",
    "lead": ("Who provides it", "Their username"),
    "data": "The data",
    "narrative": "The narrative",
    "summary": "Summary report",
    "actions": "Action", "next_actions": "Action for the next period",
    "action_id": ("Reference", "For example, A-1"),
    "action": "What is to be done", "owner": ("Who does it", "Their username"),
    "due_on": "Due by",
    "recommendations": "Recommendation",
    "recommendation_id": ("Reference", "For example, R-1"),
    "text": "The recommendation",
    "to": ("Who is asked", "Their username"),
    "question": "The question",
    "answer": "The answer",
    "title": "Title", "spotlight_id": "Reference",
    "decisions": "Decision",
    "decisions.recommendation_id": "Which recommendation?",
    "decision": "The partnership's decision",
    "accepted": "Accepted", "amended": "Amended", "rejected": "Rejected",
    "note": "Note (needed unless accepted)",
    "audiences": "Published to",
    "executive": "The Executive", "other_boards": "The other Boards",
    "sub_group_members": "The sub-group's members",
    "name": "Name",
    "activity": "Which activity?",
    "section_11_audit": "Section 11 audit (every two years)",
    "single_agency_audits": "Single-agency audits (yearly)",
    "schools_safeguarding_audit": "Schools safeguarding audit (yearly)",
    "lado_report": "LADO report (yearly, with quarterly data)",
    "voice_of_children_and_families": "Voice of children and families (twice a year)",
    "self_assessment_sait": "Self-assessment, SAIT (yearly)",
    "peer_challenge": "Peer challenge (yearly)",
    "multi_agency_practice_audits": "Multi-agency practice audits (yearly)",
    "audit_plan_review": "Review of the audit plan (every six months)",
    "last_done_on": "Date it was last done (optional)",
    "first_due_on": "Date it is first due, if never done (optional)",
    "evidence": "Evidence that it was done",
    "notes": "Notes of the review",
    "nation": "Whose bank holidays apply?",
    **NATIONS,
    "academic_year": ("Academic year", "For example, 2026/27"),
    "half_terms": "Half term",
    "starts_on": "First day", "ends_on": "Last day",
}
STAGES = {CycleStage.EVIDENCE_DUE: ("due", "Evidence due"),
          CycleStage.DISCUSSED: ("waiting", "Discussed: clarify and deep dive"),
          CycleStage.DECIDED: ("waiting", "Decided by the partnership"),
          CycleStage.PUBLISHED: ("done", "Published")}
DONE = {
    "submit-evidence": "The evidence was recorded.",
    "record-sub-group-discussion": "The sub-group's discussion was recorded.",
    "raise-query": "The query was raised. It is on the person's My work.",
    "answer-query": "The answer was recorded.",
    "finalise-spotlight": "The spotlight was finalised.",
    "record-partnership-decisions": "The partnership's decisions were recorded.",
    "publish-assurance-report": "The final report was published.",
    "add-plan-item": "The activity was put on the plan. Its process has started.",
    "record-activity-done": "The activity was recorded as done.",
    "review-forward-plan": "The review of the plan was recorded.",
    "set-term-dates": "The term dates were set.",
}


def _stage(*stages: CycleStage) -> Any:
    return lambda record, who: record.stage in stages


def _owed(record: Any, who: Principal) -> tuple[tuple[str, str], ...]:
    return options((item, f"{item} ({phrase(e['kind'])}, from {e['lead']})")
                   for item, e in record.evidence.items() if e["submitted_on"] is None
                   and (who.role == Role.BUSINESS_UNIT or e["lead"] == who.username
                        or who.role == Role.AGENCY_CONTRIBUTOR))


def _unanswered(record: Any) -> tuple[tuple[str, str], ...]:
    return options((i, f"{i}: to {q['to']}, due {long_date(q['due_on'])}")
                   for i, q in record.queries.items() if q["answered_on"] is None)


def _recommendations(record: Any) -> tuple[tuple[str, str], ...]:
    found = (record.discussion or {}).get("recommendations") or []
    return options((r["recommendation_id"], f"{r['recommendation_id']}: {r['text']}")
                   for r in found)


EVIDENCE = RecordForm(
    "submit-evidence", SubmitEvidence, "Submit evidence", "Submit the evidence",
    lambda r: fields_of(SubmitEvidence, WORDS, choices={"item": _owed(r, _BU)},
                        when="Date you are submitting it"),
    rules=(("once", "item"), ("asked for", "item"), ("narrative", "narrative")))
_BU = Principal("", Role.BUSINESS_UNIT)  # the business unit sees every piece owed

CYCLE = (
    Offer(EVIDENCE, lambda record, who: bool(_owed(record, who))),
    Offer(RecordForm("record-sub-group-discussion", RecordSubGroupDiscussion,
                     "Record the sub-group's discussion", "Record the discussion",
                     lambda r: fields_of(RecordSubGroupDiscussion, WORDS,
                                         rows={"actions": 3, "recommendations": 3},
                                         when="Date the sub-group met"),
                     rules=(("action", "actions__1__action"),
                            ("recommendation", "recommendations__1__text"))),
          _stage(CycleStage.EVIDENCE_DUE)),
    Offer(RecordForm("raise-query", RaiseQuery, "Raise a query", "Raise the query",
                     lambda r: fields_of(RaiseQuery, WORDS, given=("query_id",),
                                         when="Date it was raised"),
                     extra=lambda r, f: {"query_id": f"Q-{secrets.token_hex(2)}"},
                     rules=(("due", "due_on"), ("stands at", "when"))),
          _stage(CycleStage.DISCUSSED)),
    Offer(RecordForm("answer-query", AnswerQuery, "Answer a query", "Send the answer",
                     lambda r: fields_of(AnswerQuery, WORDS,
                                         choices={"query_id": _unanswered(r)},
                                         when="Date of the answer"),
                     rules=(("once", "query_id"),)),
          lambda record, who: bool(_unanswered(record))),
    Offer(RecordForm("finalise-spotlight", FinaliseSpotlight, "Finalise a spotlight",
                     "Finalise it",
                     lambda r: fields_of(FinaliseSpotlight, WORDS, given=("spotlight_id",),
                                         when="Date it was finalised"),
                     extra=lambda r, f: {"spotlight_id": f"SP-{secrets.token_hex(2)}"}),
          _stage(CycleStage.DISCUSSED)),
    Offer(RecordForm("record-partnership-decisions", RecordPartnershipDecisions,
                     "Record the partnership's decisions", "Record the decisions",
                     lambda r: fields_of(RecordPartnershipDecisions, WORDS,
                                         rows={"decisions": max(1, len(_recommendations(r)))},
                                         choices={"recommendation_id": _recommendations(r)},
                                         when="Date the partnership met"),
                     rules=(("note", "decisions__1__note"),
                            ("recommendation", "decisions__1__recommendation_id"))),
          _stage(CycleStage.DISCUSSED)),
    Offer(RecordForm("publish-assurance-report", PublishAssuranceReport,
                     "Publish the final report", "Publish it",
                     lambda r: fields_of(PublishAssuranceReport, WORDS,
                                         rows={"next_actions": 3}, when="Date it was published"),
                     rules=(("executive", "audiences"), ("next period", "next_actions__1__action"),
                            ("action", "next_actions__1__action"))),
          _stage(CycleStage.DECIDED)),
)


def _evidence_card(item: str, e: dict[str, Any], said: Any) -> Card:
    if e["submitted_on"] is not None:
        state = ("done", "Submitted late" if e.get("late") else "Submitted")
    elif e["escalated_on"] is not None:
        state = ("breached", "Escalated")
    elif e["chased_on"] is not None:
        state = ("overdue", "Chased")
    else:
        state = ("due", "Owed")
    rows = [("From", f"{e['lead']} ({phrase(e['kind'])})")]
    if e["submitted_on"] is not None:
        rows.append(("Submitted", f"{long_date(e['submitted_on'])} by {e.get('by', '')}"))
        given = said.of("EvidenceSubmitted", "item", item)
        for key, label in (("data", "Data"), ("narrative", "Narrative")):
            if given is not None and getattr(given, key, ""):
                rows.append((label, getattr(given, key)))
    return Card(item, rows, state)


def _said(said: Any, name: str, item: str, key: str, by: str = "query_id") -> str:
    event = said.of(name, by, item)
    return str(getattr(event, key, "")) if event is not None else ""


def _cycle_view(record: Any, shown: dict[str, Any], who: Principal, said: Any) -> View:
    facts = [("Evidence due", long_date(record.evidence_due)),
             ("The sub-group meets", long_date(record.sub_group_meets_on)),
             ("The partnership meets", long_date(record.partnership_meets_on))]
    parts = [Part("evidence", "Evidence", [_evidence_card(i, e, said)
                                           for i, e in record.evidence.items()])]
    if record.discussion:
        d = record.discussion
        rows = [("Summary report", d["summary"])]
        rows += [(f"Action {a['action_id']}", f"{a['action']}, by {a['owner']}, due "
                  f"{long_date(a['due_on'])}") for a in d.get("actions") or []]
        rows += [(f"Recommendation {r['recommendation_id']}", r["text"])
                 for r in d.get("recommendations") or []]
        parts.append(Part("discussion", "The sub-group's discussion", [Card("Discussion", rows)]))
    parts.append(Part("queries", "Queries", [
        Card(i, [("To", q["to"]), ("Question", _said(said, "QueryRaised", i, "question")),
                 ("Due", long_date(q["due_on"]))]
             + ([("Answer", _said(said, "QueryAnswered", i, "answer"))]
                if q["answered_on"] else []),
             ("done", "Answered") if q["answered_on"] else
             ("overdue", "Chased") if q.get("chased_on") else ("due", "Waiting for an answer"))
        for i, q in record.queries.items()], "No query raised."))
    if record.spotlights:
        parts.append(Part("spotlights", "Spotlights", [
            Card(s["title"], [("Summary", _said(said, "SpotlightFinalised", i, "summary",
                                                "spotlight_id"))])
            for i, s in record.spotlights.items()]))
    if record.decisions:
        parts.append(Part("decisions", "The partnership's decisions", [Card("Decisions", [
            (i, f"{phrase(d['decision']).capitalize()}" + (f": {d['note']}" if d.get("note")
                                                           else ""))
            for i, d in record.decisions.items()])]))
    if record.published:
        p = record.published
        rows = [("Published to", ", ".join(str(WORDS.get(a, a)) for a in p["audiences"]))]
        rows += [(f"Next period: {a['action_id']}", f"{a['action']}, by {a['owner']}, due "
                  f"{long_date(a['due_on'])}") for a in p.get("next_actions") or []]
        parts.append(Part("published", "The final report", [Card("Published", rows)]))
    back = ("/app/assurance", "Back to assurance") if who.role == Role.BUSINESS_UNIT else \
        ("/app/my-work", "Back to my work")
    return View("Quarterly assurance cycle", record.quarter, facts, *back, parts,
                STAGES[record.stage])


def _plan_view(record: Any, shown: dict[str, Any], who: Principal, said: Any) -> View:
    cards = []
    for activity, item in sorted(record.items.items(), key=lambda kv: kv[1]["next_due_on"]):
        rows = [("Owner", item["owner"]), ("Frequency", phrase(item["frequency"])),
                ("Last done", long_date(item["last_done_on"]) or "Never"),
                ("Next due", long_date(item["next_due_on"]))]
        done = said.of("ActivityDone", "activity", activity) if item["done"] else None
        if done is not None:
            rows.append(("Evidence", done.evidence))
        state = (("overdue", "Overdue") if item["overdue_since"] else ("waiting", "Started")
                 if item["started_for"] else ("done", "Done") if item["done"]
                 else ("due", "Scheduled"))
        cards.append(Card(str(WORDS.get(activity, phrase(activity))), rows, state))
    facts = [("Last reviewed", long_date(record.reviews[-1]["on"]) if record.reviews
              else "Not yet")]
    back = ("/app/assurance", "Back to assurance") if who.role == Role.BUSINESS_UNIT else \
        ("/app/my-work", "Back to my work")
    return View("Forward plan", record.name, facts, *back,
                [Part("activities", "Assurance activities", cards, "No activity on the plan.")])


def _activities(record: Any, who: Principal) -> tuple[tuple[str, str], ...]:
    return options((a, WORDS.get(a, phrase(a))) for a, item in record.items.items()
                   if who.role == Role.BUSINESS_UNIT or item["owner"] == who.username)


PLAN = (
    Offer(RecordForm("add-plan-item", AddPlanItem, "Put an activity on the plan",
                     "Put it on the plan",
                     lambda r: fields_of(AddPlanItem, WORDS, when="Date it was added"),
                     rules=(("on the plan", "activity"), ("last done", "last_done_on"),
                            ("due", "first_due_on")))),
    Offer(RecordForm("record-activity-done", RecordActivityDone, "Record an activity done",
                     "Record it as done",
                     lambda r: fields_of(RecordActivityDone, WORDS,
                                         choices={"activity": _activities(r, _BU)},
                                         when="Date it was done"),
                     rules=(("evidence", "evidence"), ("plan", "activity"))),
          lambda record, who: bool(_activities(record, who))),
    Offer(RecordForm("review-forward-plan", ReviewForwardPlan, "Review the plan",
                     "Record the review",
                     lambda r: fields_of(ReviewForwardPlan, WORDS, when="Date of the review"))),
)


def _calendar_view(record: Any, shown: dict[str, Any], who: Principal, said: Any) -> View:
    cards = [Card(f"Academic year {year}", [(h["name"], f"{long_date(h['starts_on'])} to "
                                             f"{long_date(h['ends_on'])}") for h in halves])
             for year, halves in sorted(record.years.items())]
    return View("School term calendar", record.name, [("Bank holidays", str(
        WORDS.get(record.nation.value, record.nation.value)))], "/app/assurance",
        "Back to assurance", [Part("years", "Half terms", cards, "No term dates set yet.")])


CALENDAR = (
    Offer(RecordForm("set-term-dates", SetTermDates, "Set the term dates", "Set them",
                     lambda r: fields_of(SetTermDates, WORDS, rows={"half_terms": 6},
                                         when="Date they were set"),
                     rules=(("academic year", "academic_year"), ("half term",
                                                                 "half_terms__1__name")))),
)

for form in (
    CreateForm("/app/assurance-cycles/new", PlanAssuranceCycle,
               "Plan a quarter's assurance cycle", "Plan the cycle",
               fields_of(PlanAssuranceCycle, WORDS, rows={"requests": 6},
                         when="Date it was planned"),
               lambda made: f"/app/assurance-cycles/{made}", "/app/assurance",
               rules=(("quarter", "quarter"), ("10 days", "sub_group_meets_on"),
                      ("evidence is due", "sub_group_meets_on"),
                      ("partnership", "partnership_meets_on"), ("measure", "requests__1__item"),
                      ("lead", "requests__1__lead"), ("asks at least", "requests__1__item")),
               intro=("Seed 004's five steps: evidence is due at least 10 days before the "
                      "sub-group meets; each lead is reminded, chased on the day and, still "
                      "missing, escalated to the operational sub-group.",)),
    CreateForm("/app/forward-plans/new", OpenForwardPlan, "Open a forward plan",
               "Open the plan", fields_of(OpenForwardPlan, WORDS, when="Date it was opened"),
               lambda made: f"/app/forward-plans/{made}", "/app/assurance"),
    CreateForm("/app/term-calendars/new", SetUpTermCalendar, "Set up a term calendar",
               "Set it up", fields_of(SetUpTermCalendar, WORDS, when="Date it was set up"),
               lambda made: f"/app/term-calendars/{made}", "/app/assurance"),
):
    add_derived_create(router, form)


for pages in (RecordPages("assurance-cycle", "assurance-cycles", CYCLE, _cycle_view,
                          lambda r: f"Quarterly assurance cycle {r.quarter}", DONE),
              RecordPages("forward-plan", "forward-plans", PLAN, _plan_view,
                          lambda r: str(r.name), DONE),
              RecordPages("term-calendar", "term-calendars", CALENDAR, _calendar_view,
                          lambda r: str(r.name), DONE)):
    add_record_pages(router, pages)


@router.get("/app/assurance")
def assurance(request: Request, who: Person) -> Response:
    """The business unit's assurance: quarterly cycles, forward plans and term calendars."""
    if who.role != Role.BUSINESS_UNIT:
        return error_page(request, 403, "These pages are for the partnership's business unit.")
    with reading(request, ["assurance_cycle", "forward_plan", "term_calendar"]) as conn:
        cycles = conn.execute("SELECT cycle_id, quarter, stage, evidence_due, "
                              "sub_group_meets_on FROM cycle ORDER BY quarter DESC").fetchall()
        plans = conn.execute("SELECT p.plan_id, p.name, count(i.activity), "
                             "count(i.overdue_since) FROM plan p LEFT JOIN plan_item i "
                             "USING (plan_id) GROUP BY p.plan_id, p.name "
                             "ORDER BY p.name").fetchall()
        calendars = conn.execute("SELECT c.calendar_id, c.name, c.nation, "
                                 "string_agg(y.academic_year, ', ' ORDER BY y.academic_year), "
                                 "max(y.last_day_on) FROM term_calendar c LEFT JOIN "
                                 "term_calendar_year y USING (calendar_id) GROUP BY "
                                 "c.calendar_id, c.name, c.nation ORDER BY c.name").fetchall()
    record_list_view(request, who)
    groups = [
        {"key": "cycles", "heading": "Quarterly assurance cycles",
         "columns": ["Quarter", "Stage", "Evidence due", "The sub-group meets"],
         "rows": [(f"/app/assurance-cycles/{cid}", quarter,
                   [STAGES[CycleStage(stage)][1], long_date(due), long_date(meets)])
                  for cid, quarter, stage, due, meets in cycles],
         "empty": "No cycle is planned yet.",
         "new": ("Plan a quarter's assurance cycle", "/app/assurance-cycles/new")},
        {"key": "plans", "heading": "Forward plans", "columns": ["Plan", "Activities",
                                                                 "Overdue"],
         "rows": [(f"/app/forward-plans/{pid}", name, [str(n), str(overdue)])
                  for pid, name, n, overdue in plans],
         "empty": "No forward plan yet.", "new": ("Open a forward plan", "/app/forward-plans/new")},
        {"key": "calendars", "heading": "School term calendars",
         "columns": ["Calendar", "Bank holidays", "Years set", "Last teaching day set"],
         "rows": [(f"/app/term-calendars/{cid}", name, [WORDS.get(nation, nation),
                                                      years or "None yet", long_date(last)])
                  for cid, name, nation, years, last in calendars],
         "empty": "Set one up for the schools whose half terms supervision follows.",
         "new": ("Set up a term calendar", "/app/term-calendars/new")},
    ]
    return render(request, "seed_list.html", {"title": "Assurance", "groups": groups})
