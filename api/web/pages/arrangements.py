"""Supervision arrangements in the browser (seed 003 Appendix IV, seed 002): my arrangements,
making one (the contract), signing it, reviewing it, recording a session on seed 002's agenda,
the case-file audit of the two cases its process chose, confidentiality markings (level 1
reported, level 2 acted on by the line manager), a change of supervisor, its end, and the
supervisee's evaluation (seed 003 Appendix I: confidential to them and their supervisor; the
partnership sees counts only).

Every form is its command's dataclass (`api.web.derived`); only the words are written here.
What the line manager and safeguarding lead see is the policy's (`api.policy.redact`).
"""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.responses import Response

from api.access import record_list_view
from api.auth import Principal
from api.policy import Action, Decision, Facts, decide, may_create
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
from api.web.routing import page_router
from api.web.session import Person
from api.web.templating import render, today
from api.web.wording import NATIONS, long_date, moment, phrase
from domain.arrangement_commands import (
    ChangeArrangementSupervisor,
    CompleteLineManagementAction,
    EndArrangement,
    MakeArrangement,
    MarkConfidentiality,
    RecordCaseFileAudit,
    RecordReported,
    RecordSupervisionSession,
    ReviewArrangement,
    SignArrangement,
    SubmitEvaluation,
)
from domain.arrangement_values import Level
from domain.evaluation_values import STATEMENTS

router = page_router()

WORDS: dict[str, str | tuple[str, str]] = {
    "supervisor": ("Supervisor", "Their username, for example su-1"),
    "supervisee": ("Supervisee", "Their username, for example pr-1"),
    "agency": "Agency",
    "contact": "Does the supervisee have contact with children or families?",
    "direct": "Direct contact with children or families",
    "indirect": "Indirect contact (managing or advising those who have)",
    "frequency": "How often are sessions held?",
    "monthly": "Monthly", "half_termly": "Once a half term (by the schools' term dates)",
    "quarterly": "Quarterly", "six_monthly": "Every six months",
    "duration_minutes": ("Length of each session, in minutes", "For example, 90"),
    "supervisor_responsibilities": "The supervisor's roles and responsibilities",
    "supervisee_responsibilities": "The supervisee's roles and responsibilities",
    "changes_notice": "How changes to sessions are raised",
    "agenda_setting": "How the agenda is set",
    "workload_escalation": "How workload or performance issues are raised and escalated",
    "differences_of_opinion": "How differences of opinion are raised",
    "line_manager": ("Line manager", "Their username"),
    "safeguarding_lead": ("Safeguarding lead", "Their username"),
    "supervisee_started_on": "Date the supervisee started in post",
    "review_on": "Date the arrangement is reviewed",
    "nation": "Whose bank holidays apply?",
    "term_calendar_id": ("The schools' term calendar (optional)", "Its id, from the calendar's "
                         "page: needed for sessions once a half term"),
    **NATIONS,
    "notes": "Notes of the review",
    "next_review_on": "Date of the next review",
    "agenda.attendees": ("Who attended", "Their usernames, one a line (optional)"),
    "agenda.matters_arising": "Matters arising from the last session",
    "agenda.successes": "Successes",
    "agenda.frustrations": "Frustration",
    "frustration": "The frustration",
    "steps_taken": "Steps taken (optional)",
    "support_needed": "Support needed (optional)",
    "agenda.concerns_to_escalate": ("Concerns to escalate", "One a line (optional)"),
    "agenda.trends": "Trends",
    "agenda.procedure_concerns": "Concerns about procedures (optional)",
    "agenda.training": "Training",
    "agenda.enough_support": "Is there enough support? (optional)",
    "agenda.any_other_business": "Any other business (optional)",
    "next_session_on": "Date of the next session",
    "session_id": "Which session?",
    "case_id": "Which case?",
    "strengths": "Strengths",
    "learning_points": "Learning points",
    "level": "What level of confidentiality does it reach?",
    "duty_to_report": "Level 1, a duty to report: harm, illegal activity, gross misconduct, "
                      "child protection",
    "line_management": "Level 2, line management: disciplinary or capability matters",
    "may_need_reporting": "Level 3, may need reporting: significant impact on the organisation",
    "issue": "What is the issue?",
    "marking_id": "Which matter?",
    "reported_to": ("Who was it reported to?", "Their username or the service"),
    "channel": "How was it reported?",
    "outcome": "What did you do about it?",
    "new_supervisor": ("The new supervisor", "Their username"),
    "reason": "Why?",
    "more_of": "We need more of (optional)",
    "less_of": "We need to do less of (optional)",
    "yes": "Yes", "no": "No", "maybe": "Maybe",
    # Appendix I's ten statements, in its own words (domain.evaluation_values)
    **{f"answers.{name}": text for name, text in STATEMENTS},
}
DONE = {
    "sign-arrangement": "Your signature was recorded.",
    "review-arrangement": "The review was recorded.",
    "record-supervision-session": "The supervision session was recorded. Its case-file audit "
                                  "chooses two cases.",
    "record-case-file-audit": "The case-file audit was recorded.",
    "mark-confidentiality": "The confidentiality marking was recorded, with its required "
                            "action.",
    "record-reported": "The report was recorded.",
    "complete-line-management-action": "The line-management action was recorded.",
    "change-supervisor": "The new supervisor was recorded.",
    "end": "The arrangement was ended.",
    "submit-evaluation": "Your evaluation was sent. Only you and your supervisor see it.",
}


def _sessions(record: Any) -> tuple[tuple[str, str], ...]:
    return options((i, f"Session of {long_date(s['held_on'])}")
                   for i, s in sorted(record.sessions.items(),
                                      key=lambda kv: kv[1]["held_on"], reverse=True))


def _chosen_cases(record: Any) -> tuple[tuple[str, str], ...]:
    return options((case, f"Case {case}, chosen for the session of {long_date(s['held_on'])}")
                   for s in record.sessions.values() if s["audit"]
                   for case in s["audit"]["selection"] if case not in s["audit"]["findings"])


def _open_markings(level: Level) -> Any:
    def chosen(record: Any) -> tuple[tuple[str, str], ...]:
        return options((i, f"Matter {i}, marked {long_date(m['marked_on'])}")
                       for i, m in record.markings.items() if m["level"] == level
                       and m["action"] and m["action"]["done_on"] is None)
    return chosen


def _audit_session(record: Any, filled: Any) -> dict[str, Any]:
    case = filled.values.get("case_id")
    return {"session_id": next((i for i, s in record.sessions.items() if s["audit"]
                                and case in s["audit"]["selection"]), "")}


FORMS = (
    Offer(RecordForm("sign-arrangement", SignArrangement, "Sign the arrangement",
                     "Sign it", lambda r: fields_of(SignArrangement, WORDS, given=("party",),
                                                    when="Date you signed it"),
                     person=("party",), rules=(("sign", "when"),),
                     intro=lambda r: ["Signing says you agree the arrangement. The supervisor "
                                      "and the supervisee each sign."]),
          lambda record, who: who.username in record.parties
          and who.username not in record.signed),
    Offer(RecordForm("record-supervision-session", RecordSupervisionSession,
                     "Record a supervision session", "Record the session",
                     lambda r: fields_of(RecordSupervisionSession, WORDS, given=("session_id",),
                                         rows={"agenda.frustrations": 3},
                                         when="Date of this session"),
                     extra=lambda r, f: {"session_id": f"S-{today():%Y%m%d}-"
                                                       f"{secrets.token_hex(2)}"},
                     rules=(("next session", "next_session_on"),
                            ("before the previous", "when"), ("agenda", "agenda__trends")),
                     intro=lambda r: ["Seed 002's agenda: matters arising, successes, the top "
                                      "three frustrations with the support needed, concerns "
                                      "to escalate, trends and training."]),
          lambda record, who: who.username in record.parties),
    Offer(RecordForm("record-case-file-audit", RecordCaseFileAudit, "Record a case-file audit",
                     "Record the audit",
                     lambda r: fields_of(RecordCaseFileAudit, WORDS, given=("session_id",),
                                         choices={"case_id": _chosen_cases(r)},
                                         when="Date of the audit"),
                     extra=_audit_session),
          lambda record, who: bool(_chosen_cases(record))),
    Offer(RecordForm("mark-confidentiality", MarkConfidentiality,
                     "Mark a confidentiality matter", "Mark it",
                     lambda r: fields_of(MarkConfidentiality, WORDS, given=("marking_id",),
                                         choices={"session_id": _sessions(r)},
                                         when="Date it was marked"),
                     extra=lambda r, f: {"marking_id": f"M-{secrets.token_hex(3)}"},
                     rules=(("issue", "issue"), ("session", "session_id")),
                     intro=lambda r: ["Seed 002: what a session heard that obliges reporting. "
                                      "Level 1 must be recorded as reported within one working "
                                      "day, or it is escalated to the safeguarding lead. Level 2 "
                                      "goes to the line manager."]),
          lambda record, who: bool(record.sessions) and who.username in record.parties),
    Offer(RecordForm("record-reported", RecordReported, "Record that a matter was reported",
                     "Record the report",
                     lambda r: fields_of(RecordReported, WORDS,
                                         choices={"marking_id":
                                                  _open_markings(Level.DUTY_TO_REPORT)(r)},
                                         when="Date it was reported")),
          lambda record, who: bool(_open_markings(Level.DUTY_TO_REPORT)(record))),
    Offer(RecordForm("complete-line-management-action", CompleteLineManagementAction,
                     "Record the line-management action", "Record the action",
                     lambda r: fields_of(CompleteLineManagementAction, WORDS,
                                         choices={"marking_id":
                                                  _open_markings(Level.LINE_MANAGEMENT)(r)},
                                         when="Date of the action")),
          lambda record, who: who.username == record.line_manager
          and bool(_open_markings(Level.LINE_MANAGEMENT)(record))),
    Offer(RecordForm("review-arrangement", ReviewArrangement, "Review the arrangement",
                     "Record the review",
                     lambda r: fields_of(ReviewArrangement, WORDS, when="Date of the review"),
                     rules=(("next review", "next_review_on"),)),
          lambda record, who: who.username in record.parties),
    Offer(RecordForm("submit-evaluation", SubmitEvaluation, "Evaluate your supervision",
                     "Send the evaluation",
                     lambda r: fields_of(SubmitEvaluation, WORDS,
                                         when="Date of the evaluation"),
                     rules=(("evaluates", "answers__length_of_sessions"),),
                     intro=lambda r: ["Seed 003, Appendix I. Your answers are seen only by you "
                                      "and your supervisor. The partnership sees how many "
                                      "people in each agency answered each way, and only where "
                                      "five or more answered."]),
          lambda record, who: who.username == record.supervisee),
    Offer(RecordForm("change-supervisor", ChangeArrangementSupervisor, "Change the supervisor",
                     "Change the supervisor",
                     lambda r: fields_of(ChangeArrangementSupervisor, WORDS,
                                         when="Date of the change"),
                     rules=(("supervisor", "new_supervisor"), ("reason", "reason"))),
          lambda record, who: who.username in record.parties),
    Offer(RecordForm("end", EndArrangement, "End the arrangement", "End it",
                     lambda r: fields_of(EndArrangement, WORDS, when="Date it ended")),
          lambda record, who: who.username in record.parties),
)


def _agenda_rows(agenda: dict[str, Any]) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        ("Attended", ", ".join(agenda.get("attendees") or ()) or "Not recorded"),
        ("Matters arising", agenda.get("matters_arising")),
        ("Successes", agenda.get("successes"))]
    for n, f in enumerate(agenda.get("frustrations") or (), start=1):
        rows.append((f"Frustration {n}", "; ".join(x for x in (
            f.get("frustration"), f.get("steps_taken") and f"steps taken: {f['steps_taken']}",
            f.get("support_needed") and f"support needed: {f['support_needed']}") if x)))
    if agenda.get("concerns_to_escalate"):
        rows.append(("Concerns to escalate", "; ".join(agenda["concerns_to_escalate"])))
    rows += [("Trends", agenda.get("trends")), ("Training", agenda.get("training"))]
    return rows


def _session_card(s: dict[str, Any], markings: list[dict[str, Any]]) -> Card:
    rows = _agenda_rows(s["agenda"]) if "agenda" in s else []
    if "agenda" in s:
        rows.append(("Next session", long_date(s["next_session_on"])))
    audit = s.get("audit")
    if audit and not audit["selection"]:
        rows.append(("Case-file audit", "The supervisee had no open case to choose from"))
    elif audit:
        rows.append(("Case-file audit", f"Cases {', '.join(audit['selection'])} chosen at "
                     f"random from {audit['population']} open (seed {audit['seed']})"))
        for case, found in audit["findings"].items():
            rows.append((f"Case {case}", f"Strengths: {found['strengths']}. Learning points: "
                         f"{found['learning_points']}"))
    for m in markings:
        rows.append((f"Confidentiality matter {m['marking_id']}", _marking(m)))
    return Card(f"Session of {long_date(s['held_on'])}, with {s['supervisor']}", rows)


def _marking(m: dict[str, Any]) -> str:
    level = {Level.DUTY_TO_REPORT: "Level 1, duty to report",
             Level.LINE_MANAGEMENT: "Level 2, line management",
             Level.MAY_NEED_REPORTING: "Level 3, may need reporting"}[m["level"]]
    said = f"{level}: {m['issue']}"
    action = m["action"]
    if action is None:
        return said
    if action["done_on"] is not None:
        return f"{said}. Done {long_date(action['done_on'])} by {action['done_by']}"
    if action["escalated_on"] is not None:
        return f"{said}. Not reported in time: escalated to {action['escalated_to']}"
    due = f", due {long_date(action['due_on'])}" if action["due_on"] else ""
    return f"{said}. Required action: {action['owner']}{due}"


def _view(record: Any, shown: dict[str, Any], who: Principal, said: Any) -> View:
    signed = ", ".join(f"{p} on {long_date(at)}" for p, at in record.signed.items())
    facts = [("Supervisor and supervisee", f"{record.supervisor} supervises {record.supervisee}"),
             ("Agency", record.agency),
             ("Contact with children", WORDS[record.contact.value]),
             ("Sessions", f"{WORDS[record.frequency.value]}, {record.duration_minutes} minutes"),
             ("Line manager and safeguarding lead",
              f"{record.line_manager}; {record.safeguarding_lead}"),
             ("Review date", long_date(record.review_on)),
             ("Signed", signed or "Not signed yet")]
    facts += [(str(WORDS[k]), v) for k, v in record.terms.items() if k in WORDS]
    markings = list(shown["markings"].values())
    sessions = sorted(shown["sessions"].values(), key=lambda s: s["held_on"], reverse=True)
    cards = [_session_card(s, [m for m in markings if m["session_id"] == s["session_id"]])
             for s in sessions]
    seen = {s["session_id"] for s in sessions}
    reported = [Card(f"Confidentiality matter {m['marking_id']}", [("Marked", moment(
        m["marked_on"])), ("Matter", _marking(m))]) for m in markings
        if m["session_id"] not in seen or "agenda" not in shown["sessions"].get(
            m["session_id"], {})]
    missed = [Card(f"Missed: the period to {long_date(m['period_ends_on'])}",
                   [("Requirement", phrase(m["requirement"]))], ("overdue", "Missed"))
              for m in record.missed]
    state = (("done", "Ended") if record.ended else ("done", "Signed by both")
             if record.agreed else ("waiting", "Waiting for signatures"))
    return View("Supervision arrangement", f"{record.supervisor} and {record.supervisee}",
                facts, "/app/arrangements", "Back to my arrangements",
                [Part("sessions", "Supervision sessions", cards,
                      "No session is recorded yet."),
                 *([Part("markings", "Matters reported to you", reported)] if reported
                   and who.username not in record.parties else []),
                 *([Part("missed", "Sessions missed", missed)] if missed else [])], state)



add_derived_create(router, CreateForm(
    "/app/arrangements/new", MakeArrangement, "Make a supervision arrangement",
    "Make the arrangement", fields_of(MakeArrangement, WORDS, when="Date it was made"),
    lambda made: f"/app/arrangements/{made}", "/app/arrangements",
    rules=(("review", "review_on"), ("themselves", "supervisee"),
           ("line manager", "line_manager"), ("minutes", "duration_minutes"),
           ("half term", "frequency")),
    intro=("The supervision contract (seed 003, Appendix IV): both of you sign it once it "
           "is made, and its process holds sessions to it.",)))


PAGES = RecordPages("arrangement", "arrangements", FORMS, _view,
                    lambda record: f"{record.supervisor} and {record.supervisee}", DONE)
add_record_pages(router, PAGES)


@router.get("/app/arrangements")
def my_arrangements(request: Request, who: Person, done: str | None = None) -> Response:
    """My supervision arrangements: those I am party to, manage or am the lead for."""
    rows = _rows(request, who)
    record_list_view(request, who)
    groups = [{"key": "arrangements", "heading": "Supervision arrangements", "columns":
               ["Between", "Agency", "Sessions", "Last session", "Review date"],
               "rows": rows, "empty": "You have no supervision arrangements.",
               "new": ("Make a supervision arrangement", "/app/arrangements/new")
               if may_create(who, "arrangement") else None}]
    return render(request, "seed_list.html", {"title": "My supervision arrangements",
                                              "groups": groups})


def _rows(request: Request, who: Principal) -> list[tuple[str, str, list[str]]]:
    with reading(request, ["supervision_arrangement"]) as conn:
        found = conn.execute(
            "SELECT arrangement_id, supervisor, supervisee, line_manager, safeguarding_lead, "
            "agency, frequency, last_session_on, review_on, ended_on FROM arrangement "
            "ORDER BY made_on DESC").fetchall()
    rows = []
    for (aid, supervisor, supervisee, manager, lead, agency, frequency, last, review,
         ended) in found:
        facts = Facts("arrangement", parties=(supervisor, supervisee),
                      contributors=(manager, lead))
        if decide(who, Action.READ, facts) != Decision.ALLOW:
            continue
        rows.append((f"/app/arrangements/{aid}", f"{supervisor} and {supervisee}",
                     [agency, str(WORDS.get(frequency, frequency)),
                      long_date(last) or "None yet",
                      "Ended" if ended else long_date(review)]))
    return rows


def arrangement_link(record_id: UUID) -> str:
    return f"/app/arrangements/{record_id}"
