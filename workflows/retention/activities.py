"""The retention process's reading activity: which data subjects' records are past their
retention period (`domain.retention`). The erasures go through the generated command activity
of `EraseSubject` (workflows.command_activities).

It reads the closed records under no legal hold from the read table the projection runner
keeps (`projections.retention_subjects`, given by the wiring: workflows never import
projections), and asks the domain's rule of each row
(`kept_until_of`): one query, no replay. Only a record it lists as due is loaded, to confirm
it on the record itself (a hold or an erasure the table has not yet read). Where that table is
not current (not built yet at its version, or behind the log), it falls back to what it did
before: reading every subject's record found in the notification log.
"""

from __future__ import annotations

from datetime import date
from collections.abc import Callable
from typing import Any

from eventsourcing.utils import get_topic
from temporalio import activity

from domain.application import Assured
from domain.case import Case
from domain.errors import RecordNotFound
from domain.retention import kept_until, kept_until_of
from domain.safeguarder import Safeguarder
from domain.subjects import DataSubject
from workflows.retention.types import Due, Listing

PAGE = 500
OPENINGS: dict[str, str] = {get_topic(Safeguarder.Applied): "safeguarder",  # type: ignore[attr-defined]
                            get_topic(Case.Opened): "case"}  # type: ignore[attr-defined]
NOT_CLOSING = {"ProcessStepRecorded", "LegalHoldPlaced", "LegalHoldLifted"}


def subjects(app: Assured) -> list[tuple[Any, str]]:
    """Every data subject's record id with its kind, oldest first."""
    found, start = [], None
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=list(OPENINGS))
        found += [(n.originator_id, OPENINGS[n.topic]) for n in page]
        if len(page) < PAGE:
            return found
        start = page[-1].id + 1


ClosedRecords = Callable[[Assured], list[Any] | None]
"""Reads the closed records under no legal hold from the read table
(`projections.retention_subjects.current_closed_records`, given by the wiring: infra/worker.py),
or None where that table is not current."""


class RetentionActivities:
    def __init__(self, app: Assured, closed_records: ClosedRecords | None = None) -> None:
        self.app, self.closed_records = app, closed_records

    @activity.defn
    def list_past_retention(self, today: str) -> Listing:
        """The records past their retention period on `today`, and when the next falls due."""
        on = date.fromisoformat(today)
        rows = self.closed_records(self.app) if self.closed_records else None
        if rows is None:
            return self._by_replay(on)
        listing = Listing()
        for row in rows:
            until = kept_until_of(row.kind, closed=True, closed_on=row.closed_on, held=False,
                                  erased=False, nation=row.nation, legal_status=row.legal_status,
                                  policy=self.app.policy)
            if until is None:
                continue
            if on > until:
                confirmed = self._kept_until(row.subject_id)  # the record itself says so too
                if confirmed is not None and on > confirmed:
                    listing.due.append(Due(str(row.subject_id), row.kind, confirmed.isoformat()))
            elif listing.next_due is None or until.isoformat() < listing.next_due:
                listing.next_due = until.isoformat()
        return _in_order(listing)

    def _kept_until(self, record_id: Any) -> date | None:
        try:
            record = self.app.load(record_id, DataSubject, private=False)
        except RecordNotFound:
            return None
        events = self.app.stored_events(record_id)
        closing = [e.occurred_on for e in events if type(e).__name__ not in NOT_CLOSING]
        return kept_until(record, closing[-1] if closing else None, self.app.policy)

    def _by_replay(self, on: date) -> Listing:
        """Every subject's record, replayed: where the read table is not current."""
        listing = Listing()
        for record_id, kind in subjects(self.app):
            until = self._kept_until(record_id)
            if until is None:
                continue
            if on > until:
                listing.due.append(Due(str(record_id), kind, until.isoformat()))
            elif listing.next_due is None or until.isoformat() < listing.next_due:
                listing.next_due = until.isoformat()
        return _in_order(listing)


def _in_order(listing: Listing) -> Listing:
    """The due records longest past their period first (then by id): either way, the same."""
    listing.due.sort(key=lambda due: (due.kept_until, due.record_id))
    return listing
