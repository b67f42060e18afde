"""Values of a submission from the public (seed 000)."""

from __future__ import annotations

from enum import StrEnum

from domain.safeguarder_values import FeedbackSource


class SubmissionAbout(StrEnum):
    FEEDBACK = "feedback"
    """Something good, or something that could be better."""
    WORRY = "worry"
    """A worry or concern about the Safeguarder's work, actions or behaviour."""


class Submitter(StrEnum):
    CHILD_OR_YOUNG_PERSON = "child or young person"
    FAMILY = "family member or carer"
    PROFESSIONAL = "professional"
    SOMEONE_ELSE = "someone else"


class AttachAs(StrEnum):
    FEEDBACK = "feedback"
    CONCERN = "concern"


class SubmissionStatus(StrEnum):
    WAITING = "waiting"
    ATTACHED = "attached"
    SET_ASIDE = "set aside"


SOURCE_OF: dict[Submitter, FeedbackSource | None] = {
    Submitter.CHILD_OR_YOUNG_PERSON: FeedbackSource.CHILD_OR_YOUNG_PERSON,
    Submitter.FAMILY: FeedbackSource.FAMILY,
    Submitter.PROFESSIONAL: FeedbackSource.PROFESSIONAL,
    Submitter.SOMEONE_ELSE: None,
}
"""The feedback source a submitter stands for, where there is one (the panel team chooses
otherwise)."""


def concern_id_for(submission_id: object) -> str:
    """The concern a submission becomes has an id of its own, from the submission's: attaching
    it again is refused by the Safeguarder's rule that a concern id is used once."""
    return f"public-{str(submission_id)[:8]}"
