"""A supervisee's evaluation of their supervision (seed 003, Appendix I): one per supervision
arrangement and quarter, confidential to the supervisee and their supervisor.

A record of its own, beside the arrangement, so that nobody who may read the arrangement (its
line manager, its safeguarding lead) reads the answers with it; the arrangement only notes that
an evaluation was received. It has no collection of its own in the API: the two parties read
it through their arrangement, the partnership sees counts per agency (projections). Event:
Submitted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.arrangement_commands import SubmitEvaluation
from domain.evaluation_values import STATEMENTS, quarter_of
from domain.record import Record, natural_id


class SupervisionEvaluation(Record):
    @staticmethod
    def create_id(arrangement_id: UUID, quarter: str) -> UUID:
        """One evaluation per arrangement and quarter."""
        return natural_id("evaluation", f"{arrangement_id}:{quarter}")

    @classmethod
    def submit(cls, c: SubmitEvaluation, arrangement: Any) -> SupervisionEvaluation:
        """The supervisee's answers (the arrangement has checked who and when)."""
        answers = {name: str(getattr(c.answers, name)) for name, _ in STATEMENTS}
        return cls(arrangement_id=arrangement.id, agency=arrangement.agency,
                   supervisor=arrangement.supervisor, supervisee=arrangement.supervisee,
                   quarter=quarter_of(c.at.date()), answers=answers, more_of=c.more_of,
                   less_of=c.less_of, actor=c.by, occurred_on=c.at)

    @event("Submitted")
    def __init__(self, *, arrangement_id: UUID, agency: str, supervisor: str, supervisee: str,
                 quarter: str, answers: dict[str, str], more_of: str, less_of: str, actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.arrangement_id, self.agency, self.quarter = arrangement_id, agency, quarter
        self.supervisor, self.supervisee = supervisor, supervisee
        self.answers = dict(answers)
        self.more_of, self.less_of = more_of, less_of

    def readable_by(self, username: str) -> bool:
        """Only the supervisee and the supervisor they evaluated read the answers."""
        return username in (self.supervisor, self.supervisee)
