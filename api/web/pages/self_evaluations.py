"""A leader's yearly self-evaluation in the browser (seed 001): start it, answer each question
under its theme with a RAG self-rating and evidence (a record in Assured, or a note), and
complete it once every question is answered. The questions are data
(`domain/self_evaluation_questions.json`), shown with their source.

Every form is its command's dataclass (`api.web.derived`); only the words are written here.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request
from starlette.responses import Response

from api.access import authorised, record_list_view, record_view
from api.auth import Principal
from api.policy import Action, Decision, Facts, decide, may_create
from api.web.derived import fields_of
from api.web.pages.common import application, cipher, policy, reading
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
from api.web.templating import render, today
from api.web.wording import long_date
from domain.self_evaluation import questions, source, themes
from projections import self_evaluation
from projections.quarters import Quarter
from domain.self_evaluation_commands import (
    AnswerQuestion,
    CompleteSelfEvaluation,
    StartSelfEvaluation,
)

router = page_router()
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
WORDS: dict[str, str | tuple[str, str]] = {
    "audience": "Which leader are you?",
    "dcs": "Director of Children's Services", "lead_member": "Elected Lead Member",
    "year": ("Year", "For example, 2026"),
    "question_id": "Which question?",
    "answer": "Your answer",
    "rating": "How do you rate it?",
    "R": "Red: not yet assured", "A": "Amber: partly assured", "G": "Green: assured",
    "evidence": "Evidence",
    "record_kind": ("Kind of record (optional)", "For example, audit or review"),
    "record_id": ("The record's id (optional)", "From the record's page"),
    "note": "Or a note (optional)",
}
DONE = {"answer-question": "Your answer was recorded.",
        "complete": "Your self-evaluation is complete."}


def _asked(record: Any) -> tuple[tuple[str, str], ...]:
    return options((q.question_id, f"{q.number}. {q.text}"
                    + (" (answered)" if q.question_id in record.answers else ""))
                   for q in questions(record.audience))


FORMS = (
    Offer(RecordForm("answer-question", AnswerQuestion, "Answer a question", "Record the answer",
                     lambda r: fields_of(AnswerQuestion, WORDS, rows={"evidence": 2},
                                         choices={"question_id": _asked(r)},
                                         when="Date of the answer"),
                     rules=(("evidence", "evidence__1__note"), ("answer is", "answer"),
                            ("question", "question_id")),
                     intro=lambda r: [f"The questions: {source()}."]),
          lambda record, who: record.completed_on is None),
    Offer(RecordForm("complete", CompleteSelfEvaluation, "Complete the self-evaluation",
                     "Complete it",
                     lambda r: fields_of(CompleteSelfEvaluation, WORDS,
                                         when="Date it was completed"),
                     rules=(("every question", "when"),)),
          lambda record, who: record.completed_on is None),
)


def _view(record: Any, shown: dict[str, Any], who: Principal, said: Any) -> View:
    parts = []
    for theme in themes():
        cards = []
        for q in questions(record.audience):
            if q.theme != theme.key:
                continue
            a = record.answers.get(q.question_id)
            rows = [("Question", q.text)]
            if a is not None:
                rows += [("Answer", a["answer"]), ("Answered", long_date(a["on"]))]
                rows += [("Evidence", e["note"] or f"{e['record_kind']} {e['record_id']}")
                         for e in a["evidence"]]
            cards.append(Card(f"Question {q.number}", rows, (
                {"R": "overdue", "A": "due", "G": "done"}[a["rating"].value],
                RAG_WORDS[a["rating"].value]) if a else ("waiting", "Not answered")))
        parts.append(Part(theme.key, theme.title, cards))
    left = len(record.unanswered())
    state = (("done", f"Completed {long_date(record.completed_on)}") if record.completed_on
             else ("due", f"{left} of {len(questions(record.audience))} still to answer"))
    return View("Self-evaluation", f"{WORDS[record.audience.value]}, {record.year}",
                [("Leader", record.leader), ("Started", long_date(record.opened_on))],
                "/app/self-evaluations", "Back to my self-evaluations", parts, state,
                [("See the self-ratings beside the scorecard",
                  f"/app/self-evaluations/{record.id}/beside-scorecard")])


add_derived_create(router, CreateForm(
    "/app/self-evaluations/new", StartSelfEvaluation, "Start a self-evaluation", "Start it",
    fields_of(StartSelfEvaluation, WORDS, when="Date you started it"),
    lambda made: f"/app/self-evaluations/{made}", "/app/self-evaluations",
    rules=(("year", "year"),)))


add_record_pages(router, RecordPages("self-evaluation", "self-evaluations", FORMS, _view,
                                     lambda r: f"Self-evaluation {r.year}", DONE))


@router.get("/app/self-evaluations")
def mine(request: Request, who: Person) -> Response:
    """My self-evaluations, a year each."""
    with reading(request, ["self_evaluation"]) as conn:
        found = conn.execute("SELECT evaluation_id, leader, audience, year, completed_on FROM "
                             "self_evaluation ORDER BY year DESC").fetchall()
    rows = [(f"/app/self-evaluations/{eid}", f"{WORDS[audience]}, {year}",
             [f"Completed {long_date(done)}" if done else "In progress"])
            for eid, leader, audience, year, done in found
            if decide(who, Action.READ, Facts("self-evaluation", parties=(leader,)))
            == Decision.ALLOW]
    record_list_view(request, who)
    return render(request, "seed_list.html", {"title": "My self-evaluations", "groups": [
        {"key": "evaluations", "heading": "Self-evaluations", "columns": ["Year", "State"],
         "rows": rows, "empty": "You have not started a self-evaluation.",
         "new": ("Start a self-evaluation", "/app/self-evaluations/new")
         if may_create(who, "self-evaluation") else None}]})


@router.get("/app/self-evaluations/{record_id}/beside-scorecard")
def beside(request: Request, record_id: UUID, who: Person,
           quarter: str | None = None) -> Response:
    """The self-ratings, theme by theme, beside the quarter's scorecard lights mapped to it."""
    app = application(request)
    authorised(app, who, Action.READ, "self-evaluation", record_id)
    try:
        chosen = Quarter.parse(quarter) if quarter else Quarter.of(today())
    except ValueError:
        return error_page(request, 404, "There is no such quarter. Quarters are written like "
                          "2026Q4.")
    with reading(request, list(self_evaluation.READ_MODELS)) as conn:
        report = self_evaluation.beside_scorecard(conn, record_id, chosen, cipher(request),
                                                  policy(request))
    if report is None:
        return error_page(request, 404, "There is no such page, or you cannot see it.")
    record_view(app, record_id, request.scope["route"].path, who)
    return render(request, "beside_scorecard.html", {"report": report, "rag": RAG_WORDS,
                                                     "record_id": record_id})
