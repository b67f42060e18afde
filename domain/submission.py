"""A submission from the public: feedback or a worry about a Safeguarder (seed 000), waiting
for the panel team to attach it to the right Safeguarder's file, or to set it aside.

Events: Received (with the date triage is due), Attached, SetAside. The person's words are
kept as they wrote them; the Safeguarder's name is theirs too, as they know it, and matches no
record until the panel team attaches it.

The person who sent it is a data subject (`domain.subjects.FeedbackGiver`) whose record this
is: feedback attached from it names this record as its giver, so erasing the person erases
their submission's words and the feedback's on the Safeguarder's file together.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import require
from domain.policy import DEFAULT_POLICY, Policy
from domain.subjects import FeedbackGiver
from domain.submission_commands import (
    PUBLIC,
    AttachSubmission,
    ReceivePublicSubmission,
    SetAsideSubmission,
)
from domain.submission_values import AttachAs, SubmissionStatus, concern_id_for

NATION = "SCT"  # the Safeguarders Panel is Scotland's: its working days


class PublicSubmission(FeedbackGiver):
    # The person who wrote in is a data subject of their own: what they wrote, the name they
    # gave, and where to reply are sealed with their key (domain/subjects.py).
    personal = frozenset({"safeguarder_named", "what_happened", "reply_to"})

    @classmethod
    def receive(cls, c: ReceivePublicSubmission,
                policy: Policy = DEFAULT_POLICY) -> PublicSubmission:
        require(c.by == PUBLIC, "A submission from the public is given by the public form")
        require(bool(c.safeguarder_named.strip()), "A submission says who the Safeguarder is")
        require(bool(c.what_happened.strip()), "A submission says what happened")
        return cls(about=c.about.value, submitter=c.submitter.value,
                   safeguarder_named=c.safeguarder_named.strip(),
                   what_happened=c.what_happened, reply_to=c.reply_to.strip(),
                   triage_due_on=policy.public_submission_triage.after(c.at.date(), NATION),
                   actor=c.by, occurred_on=c.at)

    @event("Received")
    def __init__(self, *, about: str, submitter: str, safeguarder_named: str,
                 what_happened: str, reply_to: str, triage_due_on: date, actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.about, self.submitter = about, submitter
        self.safeguarder_named, self.what_happened = safeguarder_named, what_happened
        self.reply_to = reply_to
        self.triage_due_on = triage_due_on
        self.status = SubmissionStatus.WAITING
        self.safeguarder_id: UUID | None = None
        self.attached_as: str | None = None

    def _check_waiting(self, at: datetime) -> None:
        self.check_after_opening(at)
        require(self.status == SubmissionStatus.WAITING,
                f"A submission is triaged once (this one is {self.status})")

    def attach(self, c: AttachSubmission) -> None:
        self._check_waiting(c.at)
        require(c.attached_as != AttachAs.CONCERN or c.concern_id == concern_id_for(self.id),
                "A concern from the public takes the id made from its submission")
        self._attached(safeguarder_id=c.safeguarder_id, attached_as=c.attached_as.value,
                       concern_id=c.concern_id, actor=c.by, occurred_on=c.at)

    @event("Attached")
    def _attached(self, *, safeguarder_id: UUID, attached_as: str, concern_id: str, actor: str,
                  occurred_on: datetime) -> None:
        self.status = SubmissionStatus.ATTACHED
        self.safeguarder_id, self.attached_as = safeguarder_id, attached_as

    def set_aside(self, c: SetAsideSubmission) -> None:
        self._check_waiting(c.at)
        require(bool(c.reason.strip()), "Setting a submission aside needs a reason")
        self._set_aside(reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("SetAside")
    def _set_aside(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.status = SubmissionStatus.SET_ASIDE
