"""Data subjects: the records whose personal data is theirs, kept under their own key.

A data subject's record (a Safeguarder's, a child's case, a person's who gave feedback)
declares its `personal` fields: the
event fields holding the person's personal data (names, contact details, free text about
them). The store seals those fields with the subject's own data key (infra/subject_keys.py);
erasing the subject destroys the key, so the fields read as `ERASED` ever after while every
other field, and every other record, is unchanged. What a person's record is for, the rules it
kept and the dates it holds stay: the history still replays.

The record itself carries the facts of its governance as events: a legal hold placed and
lifted, and the erasure. An erased record takes no further changes (`Record`); a record under
legal hold is not erased.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar

from eventsourcing.domain import event

from domain.errors import require
from domain.record import Record
from domain.subject_commands import EraseSubject, LiftLegalHold, PlaceLegalHold

ERASED = "[erased]"
"""What an erased personal text field reads as."""


def erased_value(kind: str) -> Any:
    """The placeholder for an erased field of `kind` ('str', 'dict', 'list' or other)."""
    return {"str": ERASED, "dict": {}, "list": []}.get(kind)


class DataSubject(Record):
    """A record that is one data subject's. Subclasses set `personal` (a frozenset of event
    field names; `list[].part` for a part of each item of a list) and name their subject kind
    in `subject_kind`. `personal_of` names, per event class, the fields of that event that are
    another subject's personal data, and the field holding that subject's record id: they are
    sealed with that subject's key (and this record's), so either erasure erases them."""

    personal: ClassVar[frozenset[str]] = frozenset()
    personal_of: ClassVar[Mapping[str, tuple[str, frozenset[str]]]] = MappingProxyType({})
    subject_kind: ClassVar[str] = ""

    @property
    def legal_hold(self) -> dict[str, Any] | None:
        return self.__dict__.get("held")

    @property
    def erased_on(self) -> datetime | None:
        return self.__dict__.get("erased")

    def place_legal_hold(self, c: PlaceLegalHold) -> None:
        self.check_after_opening(c.at)
        require(self.legal_hold is None, "A legal hold is placed once; lift it before placing "
                "another")
        require(bool(c.grounds.strip()), "A legal hold records its grounds")
        self._legal_hold_placed(grounds=c.grounds, actor=c.by, occurred_on=c.at)

    @event("LegalHoldPlaced")
    def _legal_hold_placed(self, *, grounds: str, actor: str, occurred_on: datetime) -> None:
        self.__dict__["held"] = {"grounds": grounds, "by": actor, "on": occurred_on}

    def lift_legal_hold(self, c: LiftLegalHold) -> None:
        self.check_after_opening(c.at)
        require(self.legal_hold is not None, "Only a legal hold that stands is lifted")
        require(bool(c.grounds.strip()), "Lifting a legal hold records why")
        self._legal_hold_lifted(grounds=c.grounds, actor=c.by, occurred_on=c.at)

    @event("LegalHoldLifted")
    def _legal_hold_lifted(self, *, grounds: str, actor: str, occurred_on: datetime) -> None:
        self.__dict__["held"] = None

    def erase(self, c: EraseSubject) -> None:
        """Record the erasure; the application then destroys the subject's key."""
        self.check_after_opening(c.at)
        hold = self.legal_hold
        require(hold is None, "A record under legal hold is not erased (UK GDPR Art. 17(3)): "
                "the hold must be lifted first")
        require(bool(c.grounds.strip()), "An erasure records its grounds")
        self._erased(grounds=c.grounds, actor=c.by, occurred_on=c.at)

    @event("Erased")
    def _erased(self, *, grounds: str, actor: str, occurred_on: datetime) -> None:
        self.__dict__["erased"] = occurred_on


def is_erasure(domain_event: Any) -> bool:
    """Whether `domain_event` is a subject's erasure."""
    return type(domain_event).__name__ == "Erased" and isinstance(domain_event,
                                                                  DataSubject.Event)


class FeedbackGiver(DataSubject):
    """A person who gave feedback about a Safeguarder: a data subject of their own (UK GDPR
    Art. 4(1)), erased, held and exported on their own. Their record is the submission they
    sent through the public form (`domain.submission.PublicSubmission`), or, for feedback the
    panel team took down, the record of its being given (`domain.feedback.FeedbackGiven`).
    Their words sit on the Safeguarder's record (`Safeguarder.FeedbackReceived`, naming them
    by `giver_id`), sealed with this subject's key."""

    subject_kind = "feedback-giver"
