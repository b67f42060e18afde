"""An agency's reference for a child, and the case open under it.

A child has one open case per agency: a second would run a second supervision cadence and
split the child's record in two. The rule needs a record of its own because it spans cases:
its id comes from the agency and the reference (compared without case or spacing), so two
openings at once both try to make version 1 of the same record and the second is refused by
the store itself. The record holds only case ids; the reference stays on the case, encrypted.

Events: Opened (the first case under the reference), CaseOpened (a later case, once the
previous one was closed).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.case import Case
from domain.errors import require
from domain.record import Record, natural_id

ONE_OPEN_CASE = ("A child has one open case per agency: this agency's reference already has "
                 "an open case, so record on that case or close it first")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


class CaseReference(Record):
    @staticmethod
    def id_for(agency: str, child_reference: str) -> UUID:
        return natural_id("case-reference", f"{_key(agency)}\n{_key(child_reference)}")

    @classmethod
    def first(cls, case: Case, by: str) -> CaseReference:
        return cls._create(cls.Opened, id=cls.id_for(case.agency, case.child_reference),
                           case_id=case.id, actor=by, occurred_on=case.opened_on)

    @event("Opened")
    def __init__(self, *, case_id: UUID, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.case_id = case_id

    def open_after(self, current: Case, case: Case, by: str) -> None:
        """`case` opens under this reference: the current one must have closed by then."""
        closed_on = current.__dict__.get("closed_on")
        require(current.closed and (closed_on is None or closed_on <= case.opened_on),
                ONE_OPEN_CASE)
        self._case_opened(case_id=case.id, actor=by, occurred_on=case.opened_on)

    @event("CaseOpened")
    def _case_opened(self, *, case_id: UUID, actor: str, occurred_on: datetime) -> None:
        self.case_id = case_id

