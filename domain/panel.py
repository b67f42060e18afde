"""Small aggregates for rules that span Safeguarders (seed 000).

- `PanelRegion`: a region's support managers, at most two.
  Events: Established, SupportManagerAdded, SupportManagerRemoved.
- `GroupSession`: a small group support session of up to four Safeguarders.
  Events: Planned, AttendanceRecorded.
- `Mentor`: a peer mentor, recruited, trained and accredited before being assigned.
  Events: Recruited, Trained, Accredited, Withdrawn.
- `MentoringProgramme`: when the peer mentoring programme began, so its yearly targets (six
  accredited mentors in the first year, twelve in the second) count from then. Event: Launched.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import event

from domain.errors import require
from domain.panel_commands import (
    AccreditMentor,
    AddSupportManager,
    LaunchMentoringProgramme,
    EstablishRegion,
    PlanGroupSession,
    RecordMentorTraining,
    RecruitMentor,
    RemoveSupportManager,
    WithdrawMentor,
)
from domain.panel_values import (
    MAX_GROUP_SESSION_SIZE,
    MAX_SUPPORT_MANAGERS_PER_REGION,
    MentorStage,
    Region,
)
from domain.record import Record, natural_id

__all__ = ["GroupSession", "Mentor", "MentorStage", "MentoringProgramme", "PanelRegion",
           "Region"]



class PanelRegion(Record):
    """One of the panel's three regions, with its support managers."""

    @staticmethod
    def create_id(region: Region | str) -> UUID:
        """One record per region: the id is the region's natural key."""
        return natural_id("region", Region(region).value)

    @classmethod
    def establish(cls, c: EstablishRegion) -> PanelRegion:
        return cls(region=Region(c.region), actor=c.by, occurred_on=c.at)

    @event("Established")
    def __init__(self, *, region: Region, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.region = Region(region)
        self.support_managers: list[str] = []

    def add_support_manager(self, c: AddSupportManager) -> None:
        self.check_after_opening(c.at)
        require(bool(c.manager.strip()), "A support manager is named")
        require(c.manager not in self.support_managers,
                "A support manager is added to a region once")
        require(
            len(self.support_managers) < MAX_SUPPORT_MANAGERS_PER_REGION,
            "A region has at most two support managers",
        )
        self._support_manager_added(manager=c.manager, actor=c.by, occurred_on=c.at)

    @event("SupportManagerAdded")
    def _support_manager_added(self, *, manager: str, actor: str, occurred_on: datetime) -> None:
        self.support_managers.append(manager)

    def remove_support_manager(self, c: RemoveSupportManager) -> None:
        self.check_after_opening(c.at)
        require(c.manager in self.support_managers,
                "Only a support manager of the region is removed")
        require(bool(c.reason.strip()), "Removing a support manager needs a reason")
        self._support_manager_removed(manager=c.manager, reason=c.reason, actor=c.by,
                                      occurred_on=c.at)

    @event("SupportManagerRemoved")
    def _support_manager_removed(
        self, *, manager: str, reason: str, actor: str, occurred_on: datetime
    ) -> None:
        self.support_managers.remove(manager)


class GroupSession(Record):
    """A group support session facilitated by a support manager."""

    @staticmethod
    def create_id(session_ref: str) -> UUID:
        return natural_id("group-session", session_ref)

    @classmethod
    def plan(cls, c: PlanGroupSession) -> GroupSession:
        require(bool(c.session_ref.strip()), "A group session has a reference")
        require(bool(c.facilitator.strip()), "A group session is facilitated by a support manager")
        return cls(session_ref=c.session_ref, facilitator=c.facilitator, held_on=c.held_on,
                   actor=c.by, occurred_on=c.at)

    @event("Planned")
    def __init__(
        self, *, session_ref: str, facilitator: str, held_on: date, actor: str,
        occurred_on: datetime,
    ) -> None:
        self.opened_on = occurred_on
        self.session_ref = session_ref
        self.facilitator = facilitator
        self.held_on = held_on
        self.attendees: list[UUID] = []

    def admit(self, safeguarder_id: UUID, *, by: str, at: datetime) -> None:
        self.check_after_opening(at)
        require(safeguarder_id not in self.attendees, "A Safeguarder attends a group session once")
        require(
            len(self.attendees) < MAX_GROUP_SESSION_SIZE,
            "A group session holds at most four Safeguarders",
        )
        self._attendance_recorded(safeguarder_id=safeguarder_id, actor=by, occurred_on=at)

    @event("AttendanceRecorded")
    def _attendance_recorded(
        self, *, safeguarder_id: UUID, actor: str, occurred_on: datetime
    ) -> None:
        self.attendees.append(safeguarder_id)


class Mentor(Record):
    """An experienced Safeguarder recruited, trained and accredited as a peer mentor."""

    @classmethod
    def recruit(cls, c: RecruitMentor) -> Mentor:
        require(bool(c.name.strip()), "A mentor is named")
        return cls(name=c.name, actor=c.by, occurred_on=c.at)

    @event("Recruited")
    def __init__(self, *, name: str, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.name = name
        self.stage = MentorStage.RECRUITED

    @property
    def accredited(self) -> bool:
        return self.stage == MentorStage.ACCREDITED

    def record_training(self, c: RecordMentorTraining) -> None:
        self.check_after_opening(c.at)
        require(self.stage == MentorStage.RECRUITED, "A mentor is trained once, after recruitment")
        self._trained(actor=c.by, occurred_on=c.at)

    @event("Trained")
    def _trained(self, *, actor: str, occurred_on: datetime) -> None:
        self.stage = MentorStage.TRAINED

    def accredit(self, c: AccreditMentor) -> None:
        self.check_after_opening(c.at)
        require(self.stage == MentorStage.TRAINED, "A mentor is accredited only after training")
        self._accredited(actor=c.by, occurred_on=c.at)

    @event("Accredited")
    def _accredited(self, *, actor: str, occurred_on: datetime) -> None:
        self.stage = MentorStage.ACCREDITED

    def withdraw(self, c: WithdrawMentor) -> None:
        self.check_after_opening(c.at)
        require(self.stage != MentorStage.WITHDRAWN, "A withdrawn mentor cannot be withdrawn again")
        require(bool(c.reason.strip()), "Withdrawing a mentor needs a reason")
        self._withdrawn(reason=c.reason, actor=c.by, occurred_on=c.at)

    @event("Withdrawn")
    def _withdrawn(self, *, reason: str, actor: str, occurred_on: datetime) -> None:
        self.stage = MentorStage.WITHDRAWN


class MentoringProgramme(Record):
    """The peer mentoring programme (seed 000): one, begun on a date."""

    @staticmethod
    def create_id() -> UUID:
        return natural_id("mentoring-programme", "peer-mentoring")

    @classmethod
    def launch(cls, c: LaunchMentoringProgramme) -> MentoringProgramme:
        return cls(starts_on=c.starts_on, actor=c.by, occurred_on=c.at)

    @event("Launched")
    def __init__(self, *, starts_on: date, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.starts_on = starts_on
