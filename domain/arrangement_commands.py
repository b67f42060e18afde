"""The commands of a supervision arrangement between a supervisor and a supervisee (seed 003,
Appendix IV; seed 002, 'Practicalities', 'Confidentiality', 'Agenda'), each one frozen
dataclass. `domain.arrangement.SupervisionArrangement` carries them out; `SubmitEvaluation`
makes a `domain.evaluation.SupervisionEvaluation` beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated
from uuid import UUID

from domain.arrangement_values import Contact, Frequency, Level
from domain.calendar import Nation
from domain.commands import Checked, Command, RecordCommand
from domain.evaluation_values import Answer
from domain.text import Items, Narrative, Short

MAX_FRUSTRATIONS = 3  # seed 002, 'Agenda': "Top three key frustrations"
MAX_ITEMS = 20
MAX_CASES = 10_000  # the supervisee's open cases a case-file audit draws from


@dataclass(frozen=True, kw_only=True)
class ArrangementCommand(RecordCommand, kind="arrangement", abstract=True):
    """A command on a supervision arrangement."""


@dataclass(frozen=True, kw_only=True)
class MakeArrangement(Command, kind="arrangement", creates=True):
    """Make a supervision arrangement (the contract): its process holds sessions to it."""

    supervisor: Short
    supervisee: Short
    agency: Short
    contact: Contact
    frequency: Frequency
    duration_minutes: int
    supervisor_responsibilities: Narrative
    supervisee_responsibilities: Narrative
    changes_notice: Narrative
    agenda_setting: Narrative
    workload_escalation: Narrative
    differences_of_opinion: Narrative
    line_manager: Short
    safeguarding_lead: Short
    supervisee_started_on: date
    review_on: date
    nation: Nation
    term_calendar_id: UUID | None = None

    example = {
        "supervisor": "su-1", "supervisee": "pr-1", "agency": "Children's social care",
        "contact": "direct", "frequency": "monthly", "duration_minutes": 90,
        "supervisor_responsibilities": "Prepare, keep to time, record and circulate notes",
        "supervisee_responsibilities": "Prepare cases to discuss; act on agreed actions",
        "changes_notice": "A week's notice of a change of time or venue",
        "agenda_setting": "Agreed at the start of each session",
        "workload_escalation": "Raised with the line manager within a week",
        "differences_of_opinion": "Raised in the session, then with the line manager",
        "line_manager": "lm-1", "safeguarding_lead": "dsl-1",
        "supervisee_started_on": "2024-09-01", "review_on": "2027-03-31", "nation": "ENG"}


@dataclass(frozen=True, kw_only=True)
class SignArrangement(ArrangementCommand):
    """A party signs the arrangement (both sign it)."""

    party: Short


@dataclass(frozen=True, kw_only=True)
class ReviewArrangement(ArrangementCommand):
    """Review the arrangement: notes, and the date of the next review."""

    notes: Narrative
    next_review_on: date


@dataclass(frozen=True, kw_only=True)
class Frustration(Checked):
    """Seed 002, 'Agenda': a key frustration, what was done about it, the support needed."""

    frustration: Narrative
    steps_taken: Narrative = ""
    support_needed: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class SessionAgenda(Checked):
    """Seed 002's agenda, as a checklist that all core items are covered."""

    attendees: Annotated[tuple[Short, ...], Items(MAX_ITEMS)] = ()
    matters_arising: Narrative
    successes: Narrative
    frustrations: Annotated[tuple[Frustration, ...], Items(MAX_FRUSTRATIONS)] = ()
    concerns_to_escalate: Annotated[tuple[Narrative, ...], Items(MAX_ITEMS)] = ()
    trends: Narrative
    procedure_concerns: Narrative = ""
    training: Narrative
    enough_support: Narrative = ""
    any_other_business: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class RecordSupervisionSession(ArrangementCommand):
    """Record a supervision session held under the arrangement, with its agenda."""

    session_id: Short
    agenda: SessionAgenda
    next_session_on: date

    example = {"session_id": "S-1", "next_session_on": "2026-11-20", "agenda": {
        "attendees": ["su-1", "pr-1"], "matters_arising": "Actions from last time done",
        "successes": "Two families stepped down to early help",
        "frustrations": [{"frustration": "Late reports from partners",
                          "steps_taken": "Raised at the core group",
                          "support_needed": "Manager to write to the agency"}],
        "concerns_to_escalate": [], "trends": "More neglect referrals",
        "training": "Neglect toolkit training attended; useful"}}


@dataclass(frozen=True, kw_only=True)
class SelectCaseFileAudit(ArrangementCommand, by_process=True):
    """The arrangement's process chooses two of the supervisee's open cases at random for the
    session's case-file audit, with a recorded seed."""

    session_id: Short
    population: Annotated[tuple[Short, ...], Items(MAX_CASES)]
    seed: int


@dataclass(frozen=True, kw_only=True)
class RecordCaseFileAudit(ArrangementCommand):
    """Record a chosen case's file audit: its strengths and the learning points."""

    session_id: Short
    case_id: Short
    strengths: Narrative
    learning_points: Narrative


@dataclass(frozen=True, kw_only=True)
class MarkConfidentiality(ArrangementCommand):
    """Mark what a session heard at a level that obliges reporting (seed 002)."""

    marking_id: Short
    session_id: Short
    level: Level
    issue: Narrative


@dataclass(frozen=True, kw_only=True)
class RecordReported(ArrangementCommand):
    """Record that a level-1 matter was reported through the appropriate channels."""

    marking_id: Short
    reported_to: Short
    channel: Narrative


@dataclass(frozen=True, kw_only=True)
class EscalateUnreported(ArrangementCommand, by_process=True):
    """The process escalates a level-1 matter not recorded as reported in time."""

    marking_id: Short


@dataclass(frozen=True, kw_only=True)
class CompleteLineManagementAction(ArrangementCommand):
    """The line manager records what they did about a level-2 matter."""

    marking_id: Short
    outcome: Narrative


@dataclass(frozen=True, kw_only=True)
class MarkSessionMissed(ArrangementCommand, by_process=True):
    """The process records that a period passed without a session, escalated."""

    period_opens_on: date
    period_ends_on: date
    requirement: Short


@dataclass(frozen=True, kw_only=True)
class MarkReviewOverdue(ArrangementCommand, by_process=True):
    """The process records that the arrangement's review date passed without a review."""

    review_on: date


@dataclass(frozen=True, kw_only=True)
class ChangeArrangementSupervisor(ArrangementCommand, verb="change-supervisor"):
    """Hand the arrangement to a new supervisor, with a reason."""

    new_supervisor: Short
    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class EndArrangement(ArrangementCommand, verb="end"):
    """End the arrangement, with a reason: its process ends."""

    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class EvaluationAnswers(Checked):
    """Seed 003, Appendix I: the ten statements, each answered yes, no or maybe."""

    length_of_sessions: Answer
    speak_about_cases: Answer
    level_of_discussion: Answer
    understand_actions: Answer
    plan_to_move_forward: Answer
    believed_about_concerns: Answer
    time_to_reflect: Answer
    time_for_my_issues: Answer
    respected: Answer
    equipped_for_cases: Answer


@dataclass(frozen=True, kw_only=True)
class SubmitEvaluation(ArrangementCommand):
    """The supervisee evaluates their supervision (confidential to them and their supervisor)."""

    answers: EvaluationAnswers
    more_of: Narrative = ""
    less_of: Narrative = ""

    example = {"answers": {name: "yes" for name in (
        "length_of_sessions", "speak_about_cases", "level_of_discussion", "understand_actions",
        "plan_to_move_forward", "believed_about_concerns", "time_to_reflect",
        "time_for_my_issues", "respected", "equipped_for_cases")},
        "more_of": "Reflection on cases that worry me", "less_of": "Reading back old actions"}


