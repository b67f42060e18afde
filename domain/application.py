"""The service layer: the only writer of the event store, with one named method per command.

`Assured` loads aggregates, runs a command on them and saves what they recorded, atomically.
A refused command raises `RuleBroken` before anything is saved; a concurrent writer that got
there first turns the save into `ConcurrencyConflict` (callers map it to HTTP 409).
`execute(command)` finds the method for any command (`domain.handling`).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, JSONTranscoder, StoredEvent, Transcoding

from domain.accounts import Account, View
from domain.arrangement import SupervisionArrangement
from domain.arrangement_commands import MakeArrangement, SubmitEvaluation
from domain.assurance import AssuranceCycle
from domain.assurance_commands import SubmitEvidence
from domain.audit import AuditRecord
from domain.audit_commands import SelectCasesAtRandom, SelectCasesByRisk
from domain.cache import RecordCache, private_copy
from domain.case import Case
from domain.case_reference import CaseReference
from domain.case_commands import NoteAuditSelection, OpenCase
from domain.commands import Command
from domain.errors import ConcurrencyConflict, RecordNotFound, RuleBroken, require
from domain.evaluation import SupervisionEvaluation
from domain.feedback import FeedbackGiven
from domain.forward_plan import ForwardPlan
from domain.handling import Created, Receipt, Step, acts_on, handlers_of, handles, makes
from domain.operations import Intervention, RecordIntervention
from domain.panel import GroupSession, Mentor, MentoringProgramme, PanelRegion
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record
from domain.review import Review
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import Allocate, AssignMentor, AttendGroupSession, RecordFeedback
from domain.submission import PublicSubmission
from domain.subject_commands import EraseSubject
from domain.subjects import DataSubject, FeedbackGiver, is_erasure
from domain.scorecard import MEASURE_KEYS, ScorecardNarrative, WriteNarrative
from domain.self_evaluation import SelfEvaluation
from domain.term_calendar import TermCalendar

__all__ = ["AGGREGATE_KINDS", "SUBJECT_KINDS", "Assured", "Created", "Receipt", "Step"]

R = TypeVar("R", bound=Record)

_HELD: contextvars.ContextVar[list[Record] | None] = contextvars.ContextVar("held", default=None)
"""The records `Assured.together` holds for its one save, in the thread that runs it."""

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
    "public-submission": PublicSubmission,
    "case-reference": CaseReference,
    "mentoring-programme": MentoringProgramme,
    "term-calendar": TermCalendar,
    "arrangement": SupervisionArrangement,
    "evaluation": SupervisionEvaluation,
    "assurance-cycle": AssuranceCycle,
    "forward-plan": ForwardPlan,
    "self-evaluation": SelfEvaluation,
    "feedback-giver": FeedbackGiver,
}

SUBJECT_KINDS: dict[str, type[DataSubject]] = {
    "safeguarder": Safeguarder, "case": Case, "feedback-giver": FeedbackGiver}
"""The kinds of data subject (domain/subjects.py): their doors are `/subjects/{kind}/...`. A
person who gave feedback has for record the submission they sent, or `FeedbackGiven`."""


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def project(aggregate: Any, events: Iterable[Any]) -> Any:
    """Rebuild state from events. The library's default projector asserts a protocol on each
    event, which costs about two thirds of the load time (the shared PERFORMANCE.md baselines)."""
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


class Assured(Application[UUID]):
    """Assured's application. Snapshots every `SNAPSHOT_INTERVAL` events when it is above 0."""

    name = "Assured"
    handlers: ClassVar[dict[type[Command], str]]

    def __init__(self, env: dict[str, str] | None = None, policy: Policy = DEFAULT_POLICY) -> None:
        env = dict(env or {})
        interval = int(env.get("SNAPSHOT_INTERVAL", "0") or 0)
        if interval > 0:
            env["IS_SNAPSHOTTING_ENABLED"] = "y"
        super().__init__(env)
        self.policy = policy
        size = int(env.get("RECORD_CACHE_SIZE", "0") or 0)
        self.cache = RecordCache(size) if size > 0 else None
        self.snapshotting_intervals = (
            {kind: interval for kind in AGGREGATE_KINDS.values()} if interval > 0 else {}
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # --- loading and saving -------------------------------------------------------------------

    def load(self, aggregate_id: UUID, kind: type[R] = Record,  # type: ignore[assignment]
             *, private: bool = True, latest: bool = True) -> R:
        """The record's current state; RecordNotFound if there is none of that kind.

        `private`: the caller may change what it gets (its own copy); otherwise it gets the
        cached record itself, to read only. `latest`: read the events recorded since the cached
        copy (another process may have written); only a change whose save is checked against
        the version may go without, since a stale copy's save conflicts.
        """
        record = self.cached(aggregate_id)
        if record is None:
            try:
                record = self.repository.get(aggregate_id, projector_func=project)
            except AggregateNotFoundError:
                raise RecordNotFound(f"No record {aggregate_id}") from None
            if self.cache is not None:
                self.cache.put(record)
        elif latest:
            record = self.caught_up(record, self.recorder.select_events(aggregate_id,
                                                                        gt=record.version))
        if not isinstance(record, kind):
            raise RecordNotFound(f"No {kind.__name__} {aggregate_id}")
        return private_copy(record) if private and self.cache is not None else record

    def cached(self, record_id: UUID) -> Record | None:
        """The cached record, to read only (it may be behind what another process recorded)."""
        return self.cache.get(record_id) if self.cache is not None else None

    def caught_up(self, record: Record, newer: Sequence[StoredEvent]) -> Record:
        """The cached `record` with the `newer` stored events applied, cached in its place."""
        if not newer:
            return record
        events = list(map(self.mapper.to_domain_event, newer))
        if any(map(is_erasure, events)):  # the cached copy holds what was erased: reload
            self.cache.drop(record.id)  # type: ignore[union-attr]
            return self.repository.get(record.id, projector_func=project)  # type: ignore[no-any-return]
        caught = project(private_copy(record), events)
        self.cache.put(caught)  # type: ignore[union-attr]
        return caught  # type: ignore[no-any-return]

    @contextmanager
    def together(self, *, save: bool = True) -> Iterator[list[Record]]:
        """Carry out several commands in this thread and save what they all recorded in one
        save at the end: all of them or none (a refusal inside leaves nothing recorded). A
        command on a record made inside is given that record as `on`. `save=False` checks
        every rule and records nothing (an import's dry run). Yields the records held."""
        held: list[Record] = []
        token = _HELD.set(held)
        try:
            yield held
        finally:
            _HELD.reset(token)
        if save and held:
            self.record(*held)

    def record(self, *aggregates: Record) -> Receipt:
        """Save what the aggregates recorded, all or nothing (inside `together`: held for
        its one save)."""
        held = _HELD.get()
        if held is not None:
            held.extend(a for a in aggregates if not any(a is h for h in held))
            return Receipt(aggregates[0].id, aggregates[0].version, None, None)
        pending = [e for a in aggregates for e in a.pending_events]
        new = any(e.originator_version == 1 for e in pending)
        recorded_at = pending[-1].timestamp if pending else None
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            if new:
                raise RuleBroken("A record with this reference already exists") from None
            raise ConcurrencyConflict(
                "The record was changed by someone else; reload it and try again"
            ) from None
        if self.cache is not None:
            for saved in aggregates:  # the caller is done with them: they become shared
                self.cache.update(saved)
        first = aggregates[0]
        last_id = recordings[-1].notification.id if recordings else None
        return Receipt(first.id, first.version, last_id, recorded_at)

    def save(self, *aggregates: Any, **kwargs: Any) -> list[Any]:
        """The library's save of the records' pending events, for records only.

        The library's `ProcessingEvent.collect_events` first asks of each object whether it is
        an event, then whether it collects events, by runtime protocol checks: about 14 µs a
        save (bench/append.py), for an answer that is always the same here (`record` saves
        records). The rest is the library's own: record, snapshot, notify.
        """
        processing: ProcessingEvent[UUID] = ProcessingEvent()
        for aggregate in aggregates:
            processing.events.extend(aggregate.collect_events())
            processing.aggregates[aggregate.id] = aggregate
        processing.saved_kwargs.update(kwargs)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        return recordings

    def execute(self, c: Command, *, on: Any = None, step: Step | None = None) -> Receipt | None:
        """Carry out any command with its named method (see `domain.handling`)."""
        return getattr(self, self.handlers[type(c)])(c, on=on, step=step)  # type: ignore[no-any-return]

    def change(self, kind: type[R], c: Any, apply: Callable[[R], None], *, on: R | None = None,
               step: Step | None = None, also: Iterable[Record] = ()) -> Receipt | None:
        """Run `apply` on the command's record (`on`, or loaded) and save it, with `step`."""
        record = on if on is not None else self.load(c.record_id, kind)
        if not isinstance(record, kind) or record.id != c.record_id:
            raise RecordNotFound(f"No {kind.__name__} {c.record_id}")
        if step is not None and record.has_process_step(step.step_id):
            return None
        apply(record)
        self._note(record, step, c)
        return self.record(record, *also)

    def make(self, build: Callable[[], Record], c: Command, step: Step | None = None) -> Created:
        """Make a record; a process's retry finds the record its first attempt made."""
        record = build()
        self._note(record, step, c)
        try:
            receipt = self.record(record)
        except RuleBroken:
            if step is not None:
                found = self.load(record.id, type(record))
                if found.has_process_step(step.step_id):
                    return Created(found.id, found.version, None, None, found)
            raise
        return Created(**vars(receipt), record=record)

    @staticmethod
    def _note(record: Record, step: Step | None, c: Command) -> None:
        if step is not None:
            record.record_process_step(step.step_id, step.process, step.name, step.details,
                                       by=f"process:{step.process}", at=c.at)

    def note_step(self, record_id: UUID, step: Step, at: datetime) -> Receipt | None:
        """A process's step that changes nothing else (a reminder, a deadline set), dated
        when it fell due; None if it was recorded before."""
        record = self.load(record_id)
        if record.has_process_step(step.step_id):
            return None
        record.record_process_step(step.step_id, step.process, step.name, step.details,
                                   by=f"process:{step.process}", at=at)
        return self.record(record)

    def _referenced(self, record_id: UUID, kind: type[R], rule: str, *,
                    private: bool = False) -> R:
        """A record the command refers to (not the one it acts on): missing, it breaks `rule`.
        Read only, unless `private` (the command changes it too)."""
        try:
            return self.load(record_id, kind, private=private)
        except RecordNotFound:
            raise RuleBroken(rule) from None

    def stored_events(self, aggregate_id: UUID) -> list[Any]:
        """Every stored event of one record, in order."""
        return list(self.repository.event_store.get(aggregate_id))

    # --- a Safeguarder ----------------------------------------------------------------------

    apply_to_panel = makes(Safeguarder, Safeguarder.apply_to_panel)
    record_interview = acts_on(Safeguarder, Safeguarder.record_interview)
    record_assessment = acts_on(Safeguarder, Safeguarder.record_assessment)
    appoint = acts_on(Safeguarder, Safeguarder.appoint)
    record_support_session = acts_on(Safeguarder, Safeguarder.record_support_session)
    record_sampled_report = acts_on(Safeguarder, Safeguarder.record_sampled_report)
    record_mentoring_session = acts_on(Safeguarder, Safeguarder.record_mentoring_session)
    record_mentoring_impact = acts_on(Safeguarder, Safeguarder.record_mentoring_impact)

    @handles
    def record_feedback(self, c: RecordFeedback, *, on: Safeguarder | None = None,
                        step: Step | None = None) -> Receipt | None:
        """Record the feedback on the Safeguarder's file. The person who gave it is a data
        subject of their own: their record is the submission they sent (`giver_id`), or one
        made here, saved with the feedback (domain/feedback.py)."""
        if c.giver_id is not None:
            giver = self._referenced(c.giver_id, FeedbackGiver, "Feedback names the person who "
                                     "gave it by their record (a submission from the public)")
            require(giver.erased_on is None, "The person who gave this feedback was erased: "
                    "nothing more is recorded of them")
            return self.change(Safeguarder, c, lambda s: s.record_feedback(c), on=on, step=step)
        made: list[Record] = []

        def apply(safeguarder: Safeguarder) -> None:
            giver = FeedbackGiven.give(c)
            safeguarder.record_feedback(c, giver_id=giver.id)
            made.append(giver)

        return self.change(Safeguarder, c, apply, on=on, step=step, also=made)

    raise_safeguarder_concern = acts_on(Safeguarder, Safeguarder.raise_concern)
    resolve_safeguarder_concern = acts_on(Safeguarder, Safeguarder.resolve_concern)
    record_performance_evidence = acts_on(Safeguarder, Safeguarder.record_performance_evidence)
    record_annual_shortfall = acts_on(Safeguarder, Safeguarder.record_annual_shortfall)
    withdraw_annual_shortfall = acts_on(Safeguarder, Safeguarder.withdraw_annual_shortfall)
    open_reappointment_review = acts_on(Safeguarder, Safeguarder.open_reappointment_review)
    recommend = acts_on(Safeguarder, Safeguarder.recommend)
    record_ministers_decision = acts_on(Safeguarder, Safeguarder.record_ministers_decision)
    resign = acts_on(Safeguarder, Safeguarder.resign)
    remove_from_panel = acts_on(Safeguarder, Safeguarder.remove)

    @handles
    def allocate(self, c: Allocate, *, on: Safeguarder | None = None,
                 step: Step | None = None) -> Receipt | None:
        """Allocate to a support manager of the Safeguarder's region (read, not changed)."""
        def apply(safeguarder: Safeguarder) -> None:
            region = self._referenced(PanelRegion.create_id(safeguarder.region), PanelRegion,
                                      "A Safeguarder is allocated within an established region")
            safeguarder.allocate(c, region)

        return self.change(Safeguarder, c, apply, on=on, step=step)

    @handles
    def attend_group_session(self, c: AttendGroupSession, *, on: Safeguarder | None = None,
                             step: Step | None = None) -> Receipt | None:
        """Record attendance on both records, in one save: the session holds the size rule."""
        # The session is changed too: its own copy, never the cached one (a save that
        # conflicts must leave nothing applied to a record others read).
        session = self._referenced(c.session_id, GroupSession,
                                   "A group session is planned before it is attended",
                                   private=True)
        return self.change(Safeguarder, c, lambda s: s.attend_group_session(c, session), on=on,
                           step=step, also=[session])

    @handles
    def assign_mentor(self, c: AssignMentor, *, on: Safeguarder | None = None,
                      step: Step | None = None) -> Receipt | None:
        mentor = self._referenced(c.mentor_id, Mentor, "Only a recruited mentor is assigned")
        return self.change(Safeguarder, c, lambda s: s.assign_mentor(c, mentor), on=on,
                           step=step)

    # --- the panel's small records ----------------------------------------------------------

    establish_region = makes(PanelRegion, PanelRegion.establish)
    add_support_manager = acts_on(PanelRegion, PanelRegion.add_support_manager)
    remove_support_manager = acts_on(PanelRegion, PanelRegion.remove_support_manager)
    plan_group_session = makes(GroupSession, GroupSession.plan)
    recruit_mentor = makes(Mentor, Mentor.recruit)
    record_mentor_training = acts_on(Mentor, Mentor.record_training)
    accredit_mentor = acts_on(Mentor, Mentor.accredit)
    withdraw_mentor = acts_on(Mentor, Mentor.withdraw)
    launch_mentoring_programme = makes(MentoringProgramme, MentoringProgramme.launch)

    # --- a case -------------------------------------------------------------------------------

    @handles
    def open_case(self, c: OpenCase, *, on: Any = None, step: Step | None = None) -> Created:
        """Open the case and note it under the agency's reference for the child, in one save:
        a child has one open case per agency (`domain.case_reference`)."""
        case = Case.open(c)
        reference_id = CaseReference.id_for(c.agency, c.child_reference)
        try:
            reference = self.load(reference_id, CaseReference)
        except RecordNotFound:
            reference = CaseReference.first(case, c.by)
        else:
            reference.open_after(self.load(reference.case_id, Case, private=False), case, c.by)
        self._note(case, step, c)
        receipt = self.record(case, reference)
        return Created(**vars(receipt), record=case)
    change_legal_status = acts_on(Case, Case.change_legal_status)
    change_risk = acts_on(Case, Case.change_risk)
    record_discussion = acts_on(Case, Case.record_discussion)
    sign_discussion = acts_on(Case, Case.sign_discussion)
    complete_action = acts_on(Case, Case.complete_action)
    mark_action_overdue = acts_on(Case, Case.mark_action_overdue)
    flag_drift = acts_on(Case, Case.flag_drift)
    raise_case_concern = acts_on(Case, Case.raise_concern)
    escalate_case_concern = acts_on(Case, Case.escalate_concern)
    resolve_case_concern = acts_on(Case, Case.resolve_concern)
    raise_disagreement = acts_on(Case, Case.raise_disagreement)
    escalate_disagreement = acts_on(Case, Case.escalate_disagreement)
    resolve_disagreement = acts_on(Case, Case.resolve_disagreement)
    record_audit_grade = acts_on(Case, Case.record_audit_grade)
    note_audit_selection = acts_on(Case, Case.note_audit_selection)
    change_supervisor = acts_on(Case, Case.change_supervisor)
    close_case = acts_on(Case, Case.close)

    # --- a practice review --------------------------------------------------------------------

    refer = makes(Review, Review.refer)
    notify_panel = acts_on(Review, Review.notify_panel)
    record_breach = acts_on(Review, Review.record_breach)
    withdraw_breach = acts_on(Review, Review.withdraw_breach)
    request_agency_information = acts_on(Review, Review.request_agency_information)
    receive_agency_information = acts_on(Review, Review.receive_agency_information)
    complete_rapid_review = acts_on(Review, Review.complete_rapid_review)
    record_panel_response = acts_on(Review, Review.record_panel_response)
    decide_lcspr = acts_on(Review, Review.decide_lcspr)
    add_recommendation = acts_on(Review, Review.add_recommendation)
    update_recommendation = acts_on(Review, Review.update_recommendation)
    assess_recommendation_impact = acts_on(Review, Review.assess_recommendation_impact)
    complete_recommendation = acts_on(Review, Review.complete_recommendation)
    close_review = acts_on(Review, Review.close)

    # --- a multi-agency audit ----------------------------------------------------------------

    plan_audit = makes(AuditRecord, AuditRecord.plan)
    review_plan = acts_on(AuditRecord, AuditRecord.review_plan)
    request_returns = acts_on(AuditRecord, AuditRecord.request_returns)
    chase_return = acts_on(AuditRecord, AuditRecord.chase_return)
    submit_return = acts_on(AuditRecord, AuditRecord.submit_return)
    escalate_non_compliance = acts_on(AuditRecord, AuditRecord.escalate_non_compliance)
    moderate = acts_on(AuditRecord, AuditRecord.moderate)
    record_findings = acts_on(AuditRecord, AuditRecord.record_findings)
    report_audit = acts_on(AuditRecord, AuditRecord.report)
    agree_actions = acts_on(AuditRecord, AuditRecord.agree_actions)
    close_audit = acts_on(AuditRecord, AuditRecord.close)

    @handles
    def select_cases_at_random(self, c: SelectCasesAtRandom, *, on: AuditRecord | None = None,
                               step: Step | None = None) -> Receipt | None:
        """Select the audit's cases at random; each chosen case notes it, in the same save."""
        return self._select(c, lambda audit: audit.select_cases_at_random(c), on, step)

    @handles
    def select_cases_by_risk(self, c: SelectCasesByRisk, *, on: AuditRecord | None = None,
                             step: Step | None = None) -> Receipt | None:
        return self._select(c, lambda audit: audit.select_cases_by_risk(c), on, step)

    def _select(self, c: Any, select: Callable[[AuditRecord], None], on: AuditRecord | None,
                step: Step | None) -> Receipt | None:
        chosen: list[Case] = []

        def apply(audit: AuditRecord) -> None:
            select(audit)
            for case_id in audit.selected_cases:
                case = self.load(UUID(case_id), Case)
                case.note_audit_selection(NoteAuditSelection(record_id=case.id,
                                                             audit_id=audit.id, by=c.by,
                                                             at=c.at))
                chosen.append(case)

        return self.change(AuditRecord, c, apply, on=on, step=step, also=chosen)

    # --- a submission from the public ---------------------------------------------------------

    receive_public_submission = makes(PublicSubmission, PublicSubmission.receive)
    attach_submission = acts_on(PublicSubmission, PublicSubmission.attach)
    set_aside_submission = acts_on(PublicSubmission, PublicSubmission.set_aside)

    # --- a data subject's record: legal hold and erasure (domain/subjects.py) ---------------

    place_legal_hold = acts_on(DataSubject, DataSubject.place_legal_hold)
    lift_legal_hold = acts_on(DataSubject, DataSubject.lift_legal_hold)

    @handles
    def erase_subject(self, c: EraseSubject, *, on: DataSubject | None = None,
                      step: Step | None = None) -> Receipt | None:
        """Record the erasure, then have the store destroy the subject's key and snapshots.

        An erased record whose key outlived a failed first attempt is finished by asking
        again: the event is recorded once, the key destroyed after it."""
        record = on if on is not None else self.load(c.record_id, DataSubject)
        receipt = None
        if record.erased_on is None:  # (idempotent by itself: no process step is noted on it)
            receipt = self.change(DataSubject, c, lambda r: r.erase(c), on=record)
        self.forget_subject(c.record_id)
        return receipt or Receipt(record.id, record.version, None, None)

    def forget_subject(self, record_id: UUID) -> None:
        """Destroy the subject's key and snapshots where the store keeps them (a store without
        subject keys keeps personal fields under the store's key alone), and drop the cached
        record."""
        erase = getattr(self.mapper, "erase_subject", None)
        if erase is not None:
            erase(record_id)
        if self.cache is not None:
            self.cache.drop(record_id)

    # --- school term dates and supervision arrangements (seeds 002, 003) ----------------------

    set_up_term_calendar = makes(TermCalendar, TermCalendar.set_up)
    set_term_dates = acts_on(TermCalendar, TermCalendar.set_term_dates)

    @handles
    def make_arrangement(self, c: MakeArrangement, *, on: Any = None,
                         step: Step | None = None) -> Created:
        """Make the arrangement; a school's names a term calendar the partnership keeps."""
        if c.term_calendar_id is not None:
            self._referenced(c.term_calendar_id, TermCalendar, "A school's arrangement names a "
                             "term calendar the partnership has set up")
        return self.make(lambda: SupervisionArrangement.make(c, self.policy), c, step)

    sign_arrangement = acts_on(SupervisionArrangement, SupervisionArrangement.sign)
    review_arrangement = acts_on(SupervisionArrangement, SupervisionArrangement.review)
    record_supervision_session = acts_on(SupervisionArrangement,
                                         SupervisionArrangement.record_session)
    select_case_file_audit = acts_on(SupervisionArrangement,
                                     SupervisionArrangement.select_case_file_audit)
    record_case_file_audit = acts_on(SupervisionArrangement,
                                     SupervisionArrangement.record_case_file_audit)
    mark_confidentiality = acts_on(SupervisionArrangement,
                                   SupervisionArrangement.mark_confidentiality)
    record_reported = acts_on(SupervisionArrangement, SupervisionArrangement.record_reported)
    escalate_unreported = acts_on(SupervisionArrangement,
                                  SupervisionArrangement.escalate_unreported)
    complete_line_management_action = acts_on(
        SupervisionArrangement, SupervisionArrangement.complete_line_management_action)
    mark_session_missed = acts_on(SupervisionArrangement,
                                  SupervisionArrangement.mark_session_missed)
    mark_review_overdue = acts_on(SupervisionArrangement,
                                  SupervisionArrangement.mark_review_overdue)
    change_arrangement_supervisor = acts_on(SupervisionArrangement,
                                            SupervisionArrangement.change_supervisor)
    end_arrangement = acts_on(SupervisionArrangement, SupervisionArrangement.end)

    @handles
    def submit_evaluation(self, c: SubmitEvaluation, *, on: SupervisionArrangement | None = None,
                          step: Step | None = None) -> Receipt | None:
        """The supervisee's evaluation, a record of its own, noted on the arrangement in the
        same save (the note holds no answer)."""
        made: list[Record] = []

        def apply(arrangement: SupervisionArrangement) -> None:
            evaluation = SupervisionEvaluation.submit(c, arrangement)
            arrangement.note_evaluation(c, evaluation.id)
            made.append(evaluation)

        return self.change(SupervisionArrangement, c, apply, on=on, step=step, also=made)

    # --- the quarterly assurance cycle and the forward plan (seed 004) -----------------------

    plan_assurance_cycle = makes(AssuranceCycle, AssuranceCycle.plan)
    chase_evidence = acts_on(AssuranceCycle, AssuranceCycle.chase_evidence)
    escalate_evidence = acts_on(AssuranceCycle, AssuranceCycle.escalate_evidence)
    record_sub_group_discussion = acts_on(AssuranceCycle, AssuranceCycle.record_discussion)
    raise_query = acts_on(AssuranceCycle, AssuranceCycle.raise_query)
    answer_query = acts_on(AssuranceCycle, AssuranceCycle.answer_query)
    chase_query = acts_on(AssuranceCycle, AssuranceCycle.chase_query)
    finalise_spotlight = acts_on(AssuranceCycle, AssuranceCycle.finalise_spotlight)
    record_partnership_decisions = acts_on(AssuranceCycle, AssuranceCycle.record_decisions)
    publish_assurance_report = acts_on(AssuranceCycle, AssuranceCycle.publish)

    @handles
    def submit_evidence(self, c: SubmitEvidence, *, on: AssuranceCycle | None = None,
                        step: Step | None = None) -> Receipt | None:
        """A lead's evidence; a measure's narrative is also the scorecard's narrative for the
        quarter (written, or revised), in the same save."""
        also: list[Record] = []

        def apply(cycle: AssuranceCycle) -> None:
            cycle.submit_evidence(c)
            if c.item in MEASURE_KEYS and cycle.evidence[c.item]["kind"] == "measure":
                also.extend(self._narrative(WriteNarrative(
                    quarter=cycle.quarter, measure=c.item, text=c.narrative, by=c.by, at=c.at)))

        return self.change(AssuranceCycle, c, apply, on=on, step=step, also=also)

    def _narrative(self, c: WriteNarrative) -> list[ScorecardNarrative]:
        """The narrative written or revised by `c` (none when it already says just that)."""
        try:
            narrative = self.load(ScorecardNarrative.create_id(c.quarter, c.measure),
                                  ScorecardNarrative)
        except RecordNotFound:
            return [ScorecardNarrative.write(c)]
        if narrative.text == c.text.strip():
            return []
        narrative.revise(c)
        return [narrative]

    open_forward_plan = makes(ForwardPlan, ForwardPlan.open)
    add_plan_item = acts_on(ForwardPlan, ForwardPlan.add_item)
    note_activity_started = acts_on(ForwardPlan, ForwardPlan.note_started)
    mark_activity_overdue = acts_on(ForwardPlan, ForwardPlan.mark_overdue)
    record_activity_done = acts_on(ForwardPlan, ForwardPlan.record_done)
    review_forward_plan = acts_on(ForwardPlan, ForwardPlan.review)

    # --- leaders' self-evaluation (seed 001) --------------------------------------------------

    start_self_evaluation = makes(SelfEvaluation, SelfEvaluation.start)
    answer_question = acts_on(SelfEvaluation, SelfEvaluation.answer)
    complete_self_evaluation = acts_on(SelfEvaluation, SelfEvaluation.complete)

    # --- accounts, the access log, interventions, narratives ---------------------------------

    create_account = makes(Account, Account.create)
    set_account_email = acts_on(Account, Account.set_email)
    change_password = acts_on(Account, Account.change_password)
    disable_account = acts_on(Account, Account.disable)
    enrol_second_factor = acts_on(Account, Account.enrol_second_factor)
    record_view = makes(View, View.record)

    @handles
    def record_intervention(self, c: RecordIntervention, *, on: Any = None,
                            step: Step | None = None) -> Receipt:
        """Add an operator's action to the workflow's interventions (opened on first use)."""
        try:
            log = self.load(Intervention.create_id(c.workflow_id), Intervention)
        except RecordNotFound:
            log = Intervention.open(c)
        log.record(c)
        return self.record(log)

    @handles
    def write_narrative(self, c: WriteNarrative, *, on: Any = None,
                        step: Step | None = None) -> Receipt:
        """Write the measure's narrative for the quarter, or revise the one written before."""
        try:
            narrative = self.load(ScorecardNarrative.create_id(c.quarter, c.measure),
                                  ScorecardNarrative)
        except RecordNotFound:
            return self.record(ScorecardNarrative.write(c))
        narrative.revise(c)
        return self.record(narrative)


Assured.handlers = handlers_of(Assured)
