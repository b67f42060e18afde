"""The commands of a submission from the public (seed 000: "We always want to hear from you";
"If you have a worry or concern about your Safeguarder's work, actions or behaviour, then we
want you to tell us about it"), each one frozen dataclass.

`domain.submission.PublicSubmission` carries them out. A submission arrives through the public
form, with no sign-in (`by` is `PUBLIC`); the panel team then attaches it to the Safeguarder it
is about, as feedback or as a concern, or sets it aside with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.commands import Command, RecordCommand
from domain.submission_values import AttachAs, Submitter, SubmissionAbout
from domain.text import Narrative, Short

PUBLIC = "public"
"""Who gives a submission: someone from the public, never named in `by`."""


@dataclass(frozen=True, kw_only=True)
class ReceivePublicSubmission(Command, kind="public-submission", creates=True):
    """Receive what someone from the public told the panel about a Safeguarder."""

    about: SubmissionAbout
    submitter: Submitter
    safeguarder_named: Short
    """The Safeguarder's name as the person knows it (or whatever helps find them)."""
    what_happened: Narrative
    reply_to: Short = ""
    """How to reach the person, if they want a reply (optional)."""


@dataclass(frozen=True, kw_only=True)
class AttachSubmission(RecordCommand, kind="public-submission"):
    """Note that the submission was attached to a Safeguarder's file, as feedback or a concern
    (the feedback or concern itself is recorded on the Safeguarder's record)."""

    safeguarder_id: UUID
    attached_as: AttachAs
    concern_id: Short = ""


@dataclass(frozen=True, kw_only=True)
class SetAsideSubmission(RecordCommand, kind="public-submission"):
    """Set the submission aside without attaching it (it is about no one on the panel, or
    cannot be matched), with the reason."""

    reason: Narrative
