"""The commands of a quarterly assurance cycle (seed 004), each one frozen dataclass.
`domain.assurance.AssuranceCycle` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from domain.assurance_values import Audience, Decision, EvidenceKind
from domain.commands import Checked, Command, RecordCommand
from domain.scorecard import NARRATIVE_LIMIT
from domain.text import Items, Narrative, Short, Text

MAX_REQUESTS = 60
MAX_ITEMS = 50


@dataclass(frozen=True, kw_only=True)
class EvidenceRequest(Checked):
    """What the business unit asks of one lead: a measure's data and narrative, or an agency's
    assurance report."""

    item: Short  # the measure's key, or the agency's name
    kind: EvidenceKind
    lead: Short  # who provides it (a username)


@dataclass(frozen=True, kw_only=True)
class CycleAction(Checked):
    action_id: Short
    action: Narrative
    owner: Short
    due_on: date


@dataclass(frozen=True, kw_only=True)
class CycleRecommendation(Checked):
    recommendation_id: Short
    text: Narrative


@dataclass(frozen=True, kw_only=True)
class RecommendationDecision(Checked):
    recommendation_id: Short
    decision: Decision
    note: Narrative = ""


@dataclass(frozen=True, kw_only=True)
class CycleCommand(RecordCommand, kind="assurance-cycle", abstract=True):
    """A command on a quarterly assurance cycle."""


@dataclass(frozen=True, kw_only=True)
class PlanAssuranceCycle(Command, kind="assurance-cycle", creates=True):
    """Plan a quarter's assurance cycle: the evidence asked for and the meetings' dates."""

    quarter: Short
    sub_group_meets_on: date
    partnership_meets_on: date
    requests: Annotated[tuple[EvidenceRequest, ...], Items(MAX_REQUESTS)]

    example = {"quarter": "2026Q4", "sub_group_meets_on": "2027-01-20",
               "partnership_meets_on": "2027-02-10", "requests": [
                   {"item": "drift_cases", "kind": "measure", "lead": "lead-1"},
                   {"item": "Police", "kind": "agency", "lead": "police-1"}]}


@dataclass(frozen=True, kw_only=True)
class SubmitEvidence(CycleCommand):
    """A lead's evidence for the cycle: data, and the narrative (a measure's goes on the
    scorecard)."""

    item: Short
    data: Narrative
    narrative: Annotated[str, Text(NARRATIVE_LIMIT)]


@dataclass(frozen=True, kw_only=True)
class ChaseEvidence(CycleCommand, by_process=True):
    """The cycle chases a lead's evidence on its due date."""

    item: Short


@dataclass(frozen=True, kw_only=True)
class EscalateEvidence(CycleCommand, by_process=True):
    """The cycle escalates missing evidence to the Safeguarding Operational sub-group."""

    item: Short


@dataclass(frozen=True, kw_only=True)
class RecordSubGroupDiscussion(CycleCommand):
    """The Safeguarding Effectiveness sub-group's discussion: actions agreed, recommendations
    for the partnership, and the summary report drafted."""

    summary: Narrative
    actions: Annotated[tuple[CycleAction, ...], Items(MAX_ITEMS)] = ()
    recommendations: Annotated[tuple[CycleRecommendation, ...], Items(MAX_ITEMS)] = ()


@dataclass(frozen=True, kw_only=True)
class RaiseQuery(CycleCommand):
    """Clarify and deep dive: a query to a lead or an agency, with its due date."""

    query_id: Short
    to: Short
    question: Narrative
    due_on: date


@dataclass(frozen=True, kw_only=True)
class AnswerQuery(CycleCommand):
    """A lead's or agency's answer to a query."""

    query_id: Short
    answer: Narrative


@dataclass(frozen=True, kw_only=True)
class ChaseQuery(CycleCommand, by_process=True):
    """The cycle chases a query unanswered on its due date."""

    query_id: Short


@dataclass(frozen=True, kw_only=True)
class FinaliseSpotlight(CycleCommand):
    """Finalise a multi-agency 'spotlight' on the feedback."""

    spotlight_id: Short
    title: Short
    summary: Narrative


@dataclass(frozen=True, kw_only=True)
class RecordPartnershipDecisions(CycleCommand):
    """The partnership meeting's decision on each recommendation."""

    decisions: Annotated[tuple[RecommendationDecision, ...], Items(MAX_ITEMS)]


@dataclass(frozen=True, kw_only=True)
class PublishAssuranceReport(CycleCommand):
    """Publish the final report to its audiences and set the next period's actions."""

    audiences: Annotated[tuple[Audience, ...], Items(len(Audience))]
    next_actions: Annotated[tuple[CycleAction, ...], Items(MAX_ITEMS)]
