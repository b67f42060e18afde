"""The retention process's reading activity: which data subjects' records are past their
retention period (`domain.retention`). The erasures go through the generated command activity
of `EraseSubject` (workflows.command_activities).

It reads each subject's record found in the notification log (their opening events), so a run
costs one replay per Safeguarder and case: fine monthly at the panel's and a partnership's
scale; a read model of closing dates would be the next step beyond it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.utils import get_topic
from temporalio import activity

from domain.application import Assured
from domain.case import Case
from domain.errors import RecordNotFound
from domain.retention import kept_until
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


class RetentionActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn
    def list_past_retention(self, today: str) -> Listing:
        """The records past their retention period on `today`, and when the next falls due."""
        on, listing = date.fromisoformat(today), Listing()
        for record_id, kind in subjects(self.app):
            try:
                record = self.app.load(record_id, DataSubject, private=False)
            except RecordNotFound:
                continue
            events = self.app.stored_events(record_id)
            closing = [e.occurred_on for e in events if type(e).__name__ not in NOT_CLOSING]
            until = kept_until(record, closing[-1] if closing else None, self.app.policy)
            if until is None:
                continue
            if on > until:
                listing.due.append(Due(str(record_id), kind, until.isoformat()))
            elif listing.next_due is None or until.isoformat() < listing.next_due:
                listing.next_due = until.isoformat()
        return listing
