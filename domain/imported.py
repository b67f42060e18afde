"""A row brought in from an organisation's own records (`assured import`), by its reference.

Running an import twice must record nothing twice. Each row has a record of its own whose id
comes from the kind and the organisation's reference for the row, saved in the same save as
everything the row records: a second run finds it and skips the row, and two runs at once both
try to make version 1 of it, so the store itself refuses the second. It holds only the id of
the record the row made; the reference itself is not stored (a child's reference stays on its
case, encrypted). Event: Imported.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.record import Record, natural_id


class ImportedRow(Record):
    @staticmethod
    def id_for(kind: str, reference: str) -> UUID:
        return natural_id("imported-row", f"{kind}\n{' '.join(reference.split()).casefold()}")

    @classmethod
    def note(cls, kind: str, reference: str, record_id: UUID, *, by: str,
             at: datetime) -> ImportedRow:
        return cls._create(cls.Imported, id=cls.id_for(kind, reference), kind=kind,
                           record_id=record_id, actor=by, occurred_on=at)

    @event("Imported")
    def __init__(self, *, kind: str, record_id: UUID, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.kind, self.record_id = kind, record_id
