"""The service layer: the only writer of the event store.

`Assured` loads aggregates, runs a command on them and saves what they recorded, atomically.
A refused command raises `RuleBroken` before anything is saved; a concurrent writer that got
there first turns the save into `ConcurrencyConflict` (callers map it to HTTP 409).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding
from eventsourcing.utils import get_topic

from domain.accounts import Account, View
from domain.audit import AuditRecord
from domain.case import Case
from domain.errors import ConcurrencyConflict, RecordNotFound, RuleBroken, require
from domain.operations import Intervention
from domain.panel import GroupSession, Mentor, PanelRegion
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record
from domain.review import Review
from domain.safeguarder import Safeguarder
from domain.scorecard import ScorecardNarrative

R = TypeVar("R", bound=Record)

AGGREGATE_KINDS: dict[str, type[Record]] = {
    "safeguarder": Safeguarder,
    "case": Case,
    "review": Review,
    "audit": AuditRecord,
    "region": PanelRegion,
    "group-session": GroupSession,
    "mentor": Mentor,
    "account": Account,
    "view": View,
    "intervention": Intervention,
    "scorecard-narrative": ScorecardNarrative,
}


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@dataclass(frozen=True)
class Receipt:
    """What a saved command returns: the record's new version and the last notification id,
    which a reader can wait for to see its own write."""

    aggregate_id: UUID
    version: int
    notification_id: int | None


def project(aggregate: Any, events: Iterable[Any]) -> Any:
    """Rebuild state from events. The library's default projector asserts a protocol on each
    event, which costs about two thirds of the load time (see PERFORMANCE.md)."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class Assured(Application[UUID]):
    """Assured's application. Snapshots every `SNAPSHOT_INTERVAL` events when it is above 0."""

    name = "Assured"

    def __init__(self, env: dict[str, str] | None = None, policy: Policy = DEFAULT_POLICY) -> None:
        env = dict(env or {})
        interval = int(env.get("SNAPSHOT_INTERVAL", "0") or 0)
        if interval > 0:
            env["IS_SNAPSHOTTING_ENABLED"] = "y"
        super().__init__(env)
        self.policy = policy
        self.snapshotting_intervals = (
            {kind: interval for kind in AGGREGATE_KINDS.values()} if interval > 0 else {}
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def load(self, aggregate_id: UUID, kind: type[R] = Record) -> R:  # type: ignore[assignment]
        """The record's current state; RecordNotFound if there is none of that kind."""
        try:
            aggregate = self.repository.get(aggregate_id, projector_func=project)
        except AggregateNotFoundError:
            raise RecordNotFound(f"No record {aggregate_id}") from None
        if not isinstance(aggregate, kind):
            raise RecordNotFound(f"No {kind.__name__} {aggregate_id}")
        return aggregate

    def record(self, *aggregates: Record) -> Receipt:
        """Save what the aggregates recorded, all or nothing."""
        new = any(a.pending_events and a.pending_events[0].originator_version == 1
                  for a in aggregates)
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            if new:
                raise RuleBroken("A record with this reference already exists") from None
            raise ConcurrencyConflict(
                "The record was changed by someone else; reload it and try again"
            ) from None
        first = aggregates[0]
        last_id = recordings[-1].notification.id if recordings else None
        return Receipt(first.id, first.version, last_id)

    def change(
        self,
        aggregate_id: UUID,
        command: Callable[[Any], Any],
        kind: type[R] = Record,  # type: ignore[assignment]
        expected_version: int | None = None,
    ) -> Receipt:
        """Load one record, run `command` on it and save it.

        `expected_version` makes a stale writer fail (409) instead of acting on old state.
        """
        aggregate = self.load(aggregate_id, kind)
        if expected_version is not None and aggregate.version != expected_version:
            raise ConcurrencyConflict(
                f"The record is at version {aggregate.version}, not {expected_version}; "
                "reload it and try again"
            )
        command(aggregate)
        return self.record(aggregate)

    def run_step(
        self,
        aggregate_id: UUID,
        step_id: str,
        process: str,
        step: str,
        details: dict[str, Any],
        command: Callable[[Any], Any] | None = None,
        *,
        at: datetime,
    ) -> Receipt | None:
        """A workflow's step: run `command` (if any) and record the step, in one save.

        A step already recorded returns None and records nothing, so a retried activity is
        harmless. Two racing retries conflict on the version; the loser's retry finds the step.
        """
        aggregate = self.load(aggregate_id)
        if aggregate.has_process_step(step_id):
            return None
        if command is not None:
            command(aggregate)
        aggregate.record_process_step(step_id, process, step, details, by=f"process:{process}",
                                      at=at)
        return self.record(aggregate)

    def named_in_review(self, case_id: UUID) -> bool:
        """Whether an audit selected this case (the practice review sub-group may then read it)."""
        return str(case_id) in self.cases_named_in_audits()

    def cases_named_in_audits(self) -> set[str]:
        """Every case an audit selected, from the selection events."""
        topics = [get_topic(AuditRecord.CasesSelectedAtRandom),
                  get_topic(AuditRecord.CasesSelectedByRisk)]
        named: set[str] = set()
        start = 1
        while True:
            page = self.recorder.select_notifications(start, 500, topics=topics)
            for notification in page:
                selected = self.mapper.to_domain_event(notification)
                chosen = getattr(selected, "selection", None) or [
                    c["case_id"] for c in getattr(selected, "cases", [])]
                named.update(str(c) for c in chosen)
            if len(page) < 500:
                return named
            start = page[-1].id + 1

    def stored_events(self, aggregate_id: UUID) -> list[Any]:
        """Every stored event of one record, in order."""
        return list(self.repository.event_store.get(aggregate_id))

    # --- commands that span records: both sides are saved in one transaction -------------

    def allocate(self, safeguarder_id: UUID, manager: str, reason: str, *, by: str,
                 at: Any) -> Receipt:
        safeguarder = self.load(safeguarder_id, Safeguarder)
        region = self.load(PanelRegion.create_id(safeguarder.region), PanelRegion)
        safeguarder.allocate(region, manager, reason, by=by, at=at)
        return self.record(safeguarder)

    def attend_group_session(self, safeguarder_id: UUID, session_id: UUID, *, by: str,
                             at: Any) -> Receipt:
        safeguarder = self.load(safeguarder_id, Safeguarder)
        session = self.load(session_id, GroupSession)
        safeguarder.attend_group_session(session, by=by, at=at)
        return self.record(safeguarder, session)

    def assign_mentor(self, safeguarder_id: UUID, mentor_id: UUID, *, by: str,
                      at: Any) -> Receipt:
        safeguarder = self.load(safeguarder_id, Safeguarder)
        mentor = self.load(mentor_id, Mentor)
        require(mentor.id != safeguarder.id, "A Safeguarder does not mentor themselves")
        safeguarder.assign_mentor(mentor, by=by, at=at)
        return self.record(safeguarder)
