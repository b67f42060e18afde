"""The commands on a data subject's record (UK GDPR Art. 17 and its Art. 17(3) exemptions).

A data subject's record is a Safeguarder's or a child's case (`domain.subjects`). These
commands have their own door (`/subjects/...`, `assured erase`, `assured legal-hold`), not the
record kind's, since they apply to every kind of subject alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.commands import RecordCommand
from domain.text import Narrative


@dataclass(frozen=True, kw_only=True)
class SubjectCommand(RecordCommand, kind="subject", abstract=True):
    """A command on a data subject's record, with the grounds for it."""

    grounds: Narrative


@dataclass(frozen=True, kw_only=True)
class EraseSubject(SubjectCommand, verb="erase"):
    """Erase the data subject's personal data (UK GDPR Art. 17): their key is destroyed, their
    events replay as "[erased]", their snapshots and read rows are removed."""


@dataclass(frozen=True, kw_only=True)
class PlaceLegalHold(SubjectCommand, verb="legal-hold"):
    """Place a legal hold (for example during an inquiry): erasure is refused while it stands
    (UK GDPR Art. 17(3)(e), legal claims)."""


@dataclass(frozen=True, kw_only=True)
class LiftLegalHold(SubjectCommand, verb="lift-legal-hold"):
    """Lift the legal hold that stands, with the reason."""
