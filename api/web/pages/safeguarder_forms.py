"""What a support manager records on a Safeguarder's file, a page per command: the support
session, a report sampled at it, a peer mentoring session, feedback, a concern (its escalation
starts), and the recommendation to Ministers."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from api.web.forms import Field, Filled
from api.web.pages.record_forms import RecordForm, add_routes
from api.web.routing import page_router
from api.web.templating import today
from domain.safeguarder_commands import (
    RaiseSafeguarderConcern,
    Recommend,
    RecordFeedback,
    RecordMentoringSession,
    RecordSampledReport,
    RecordSupportSession,
)
from domain.safeguarder_values import ConcernAbout, FeedbackSource, Tone

router = page_router()


def _when(label: str) -> Field:
    return Field("when", label, kind="date", when=True, hint="For example, 27 3 2026",
                 missing=f"Enter the {label[0].lower()}{label[1:]}")


def _reference(prefix: str, filled: Filled) -> str:
    """A new id for what the form records: its date and a few random letters."""
    day = filled.values.get("when")
    stamp = (day if isinstance(day, date) else today()).strftime("%Y%m%d")
    return f"{prefix}-{stamp}-{secrets.token_hex(2)}"


def _sessions(record: Any) -> tuple[tuple[str, str], ...]:
    held = sorted(record.sessions.items(), key=lambda kv: kv[1]["on"], reverse=True)
    return tuple((sid, f"Year {s['year']} session {sid}, held {s['on']:%-d %B %Y}")
                 for sid, s in held)


def _unmet(record: Any) -> list[str]:
    unmet = record.unmet_years(today())
    if not unmet:
        return ["Every appointment year of this term so far met the annual requirement."]
    years = ", ".join(map(str, unmet))
    return [f"The annual requirement was not met in year {years}. A recommendation to "
            "re-appoint needs an exception reason."]


NOTES = Field("notes", "Notes (optional)", kind="textarea", optional=True)

FORMS = (
    RecordForm(
        "support-session", RecordSupportSession, "Record a support session", "Record the session",
        lambda record: (_when("Date of the session"), NOTES),
        extra=lambda record, filled: {"session_id": _reference("S", filled)},
        intro=lambda record: ["Each year a Safeguarder has one individual support session, "
                              "at which two of their reports are sampled and discussed. "
                              "Record the reports next."]),
    RecordForm(
        "sampled-report", RecordSampledReport, "Record a sampled report", "Record the report",
        lambda record: (
            Field("session_id", "Support session it was discussed at", kind="select",
                  options=_sessions(record), missing="Select the support session"),
            Field("report_ref", "Report reference", hint="The report's reference, as it is "
                  "filed", classes="govuk-input--width-20"),
            _when("Date it was discussed"),
            Field("discussion", "What was discussed (optional)", kind="textarea", optional=True)),
        rules=(("session", "session_id"), ("report", "report_ref"), ("dated", "when"))),
    RecordForm(
        "mentoring", RecordMentoringSession, "Record a peer mentoring session",
        "Record the session", lambda record: (_when("Date of the session"), NOTES),
        rules=(("dated", "when"),),
        intro=lambda record: ["Peer mentoring runs through the first appointment year, with "
                              "the accredited mentor assigned to the Safeguarder."]),
    RecordForm(
        "feedback", RecordFeedback, "Record feedback", "Record the feedback",
        lambda record: (
            Field("source", "Who gave the feedback?", kind="radios",
                  options=tuple((s.value, s.value.capitalize()) for s in FeedbackSource)),
            Field("tone", "How was it?", kind="radios", options=tuple(
                (t.value, t.value.capitalize()) for t in Tone if t != Tone.NOT_RECORDED)),
            Field("summary", "What did they say?", kind="textarea",
                  missing="Enter what they said"),
            _when("Date it was given")),
        rules=(("summary", "summary"), ("tone", "tone"))),
    RecordForm(
        "concern", RaiseSafeguarderConcern, "Raise a concern", "Raise the concern",
        lambda record: (
            Field("about", "What is the concern about?", kind="radios", options=tuple(
                (a.value, f"Their {a.value}") for a in ConcernAbout)),
            Field("summary", "What is the concern?", kind="textarea",
                  missing="Enter what the concern is"),
            _when("Date it was raised")),
        extra=lambda record, filled: {"concern_id": _reference("C", filled)},
        rules=(("summary", "summary"),),
        intro=lambda record: ["A concern about a Safeguarder's work, actions or behaviour "
                              "starts its escalation at stage 1 as soon as it is raised."]),
    RecordForm(
        "recommendation", Recommend, "Make the recommendation to Ministers",
        "Make the recommendation",
        lambda record: (
            Field("reappoint", "Do you recommend re-appointment for a further term?",
                  kind="yes-no", missing="Select yes if you recommend re-appointment"),
            Field("rationale", "Your reasons", kind="textarea",
                  hint="What the evidence pack shows, and why it leads to this recommendation",
                  missing="Enter your reasons"),
            Field("exception_reason", "Exception reason", kind="textarea", optional=True,
                  hint="Needed to recommend re-appointment when a year's annual requirement "
                  "was not met: why the requirement should not stand in the way")),
        rules=(("exception reason", "exception_reason"), ("rationale", "rationale")),
        intro=_unmet, then="/evidence-pack"),
)

for _form in FORMS:
    add_routes(router, "safeguarder", "safeguarders", _form, lambda record: str(record.name))
