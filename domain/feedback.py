"""The record of a person's feedback about a Safeguarder, as the panel team took it down
(seed 000: feedback from children and young people, families and professionals).

The person who gave it is a data subject of their own (`domain.subjects.FeedbackGiver`): this
record is theirs, and holds their legal hold and erasure. Their words are on the Safeguarder's
record (`Safeguarder.FeedbackReceived`, which names this record as `giver_id`), sealed with this
record's key, so erasing the person makes those words read "[erased]" there and nothing else
changes. (Feedback sent through the public form has the submission for its record instead.)

Events: Given.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.safeguarder_commands import RecordFeedback
from domain.subjects import FeedbackGiver


class FeedbackGiven(FeedbackGiver):
    @classmethod
    def give(cls, c: RecordFeedback) -> FeedbackGiven:
        return cls(safeguarder_id=c.record_id, source=str(c.source), actor=c.by,
                   occurred_on=c.at)

    @event("Given")
    def __init__(self, *, safeguarder_id: UUID, source: str, actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.safeguarder_id, self.source = safeguarder_id, source
