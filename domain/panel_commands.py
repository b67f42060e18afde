"""The commands of the panel's small records (seed 000): regions, group sessions, mentors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.commands import Command, RecordCommand
from domain.panel_values import Region
from domain.text import Narrative, Short


@dataclass(frozen=True, kw_only=True)
class EstablishRegion(Command, kind="region", creates=True):
    """Establish one of the panel's regions (East, North or West)."""

    region: Region


@dataclass(frozen=True, kw_only=True)
class AddSupportManager(RecordCommand, kind="region"):
    """Add a support manager to the region (at most two)."""

    manager: Short


@dataclass(frozen=True, kw_only=True)
class RemoveSupportManager(RecordCommand, kind="region"):
    """Remove a support manager from the region, with a reason."""

    manager: Short
    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class PlanGroupSession(Command, kind="group-session", creates=True):
    """Plan a group support session, facilitated by a support manager."""

    session_ref: Short
    facilitator: Short
    held_on: date


@dataclass(frozen=True, kw_only=True)
class RecruitMentor(Command, kind="mentor", creates=True):
    """Recruit an experienced Safeguarder as a peer mentor."""

    name: Short


@dataclass(frozen=True, kw_only=True)
class RecordMentorTraining(RecordCommand, kind="mentor", verb="record-training"):
    """Record that the mentor completed their training."""


@dataclass(frozen=True, kw_only=True)
class AccreditMentor(RecordCommand, kind="mentor", verb="accredit"):
    """Accredit a trained mentor: they may then be assigned."""


@dataclass(frozen=True, kw_only=True)
class WithdrawMentor(RecordCommand, kind="mentor", verb="withdraw"):
    """Withdraw a mentor, with a reason."""

    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class LaunchMentoringProgramme(Command, kind="mentoring-programme", creates=True):
    """Record when the peer mentoring programme began: its yearly targets count from then."""

    starts_on: date

    example = {"starts_on": "2025-04-01"}
