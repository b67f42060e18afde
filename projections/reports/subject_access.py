"""A subject access export (UK GDPR Art. 15): everything held about one data subject, from the
events of their record (and, for a person who gave feedback, the feedback they gave as the
Safeguarder's record holds it), as JSON or PDF.

Every event of the record is a fact held about them: what happened, when it happened and when
it was recorded, with each detail. Other people's personal data is redacted: who gave each
command (staff usernames), and the fields that name other people (a support manager, a
mentor, a practitioner or supervisor, the parties to a discussion). Processes stay named
(`process:appointment`): they are not people. Erased fields read "[erased]".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.application import SUBJECT_KINDS, Assured
from domain.errors import RecordNotFound
from domain.subjects import FeedbackGiver
from projections.reports.history import HIDDEN, EventLine
from projections.reports.readable import event_name, field_name, readable

REDACTED = "[another person]"
OTHER_PEOPLE = frozenset({"manager", "mentor_id", "practitioner", "supervisor", "supervisee",
                          "party", "new_supervisor", "between", "facilitator", "support_manager",
                          "safeguarder_id", "giver_id"})
"""Event fields that name someone other than the data subject."""


@dataclass
class SubjectAccess:
    kind: str
    record_id: str
    exported_at: str
    facts: list[EventLine]
    legal_hold: str | None
    erased: bool
    note: str = ("Every fact held about the data subject, from their record's history. Other "
                 "people's personal data is redacted as \"" + REDACTED + "\".")


def _who(actor: str) -> str:
    return actor if actor.startswith("process:") else REDACTED


def _fact(event: Any) -> EventLine:
    details = {field_name(k): REDACTED if k in OTHER_PEOPLE else readable(v)
               for k, v in vars(event).items() if k not in HIDDEN}
    if isinstance(getattr(event, "details", None), dict):  # a process step's details
        details[field_name("details")] = readable(
            {k: REDACTED if k in OTHER_PEOPLE or k == "by" else v
             for k, v in event.details.items()})
    return EventLine(event.originator_version, event_name(event), _who(event.actor),
                     readable(event.occurred_on), readable(event.timestamp), details)


def build_export(app: Assured, kind: str, record_id: UUID, now: datetime) -> SubjectAccess:
    """The export of the subject whose record this is; RecordNotFound if it is no subject's."""
    record_class = SUBJECT_KINDS.get(kind)
    if record_class is None:
        raise RecordNotFound(f"No data subject's record of kind {kind}")
    record = app.load(record_id, record_class, private=False)
    events = app.stored_events(record_id)
    if isinstance(record, FeedbackGiver):
        events += _feedback_given(app, record)
    hold = record.legal_hold
    return SubjectAccess(kind, str(record_id), readable(now), [_fact(e) for e in events],
                         f"since {readable(hold['on'])}" if hold else None,
                         record.erased_on is not None)


def _feedback_given(app: Assured, giver: Any) -> list[Any]:
    """A person who gave feedback: the feedback they gave, from the Safeguarder's record it
    was recorded on (that record's other events are the Safeguarder's, not theirs)."""
    safeguarder_id = getattr(giver, "safeguarder_id", None)
    if safeguarder_id is None:
        return []
    return [e for e in app.stored_events(safeguarder_id)
            if type(e).__name__ == "FeedbackReceived" and getattr(e, "giver_id", None) == giver.id]


def as_html(export: SubjectAccess) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    templates = Environment(loader=PackageLoader("projections", "reports/templates"),
                            autoescape=select_autoescape())
    return templates.get_template("subject_access.html").render(export=export)


def as_pdf(export: SubjectAccess) -> bytes:
    from weasyprint import HTML

    return HTML(string=as_html(export)).write_pdf()  # type: ignore[no-any-return]
