"""The commands of a practice review (Working Together 2018, chapter 4; seed 004), each one
frozen dataclass. `domain.review.Review` carries them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from domain.calendar import Nation
from domain.commands import Command, RecordCommand
from domain.review_values import ReferralCategory, ReviewType, Step
from domain.text import Items, Narrative, Short

MAX_LEARNING_POINTS = 50
MAX_CARRIED_OVER = 100


@dataclass(frozen=True, kw_only=True)
class ReviewCommand(RecordCommand, kind="review", abstract=True):
    """A command on a practice review."""


@dataclass(frozen=True, kw_only=True)
class Refer(Command, kind="review", creates=True):
    """Refer a case to the Practice Review sub-group; a serious incident starts its rapid
    review, with the Panel's and the rapid review's statutory clocks."""

    reference: Short
    referrer: Short
    category: ReferralCategory
    summary: Narrative
    nation: Nation
    review_type: ReviewType
    became_aware_on: date | None = None

    example = {"reference": "SI-2026-014", "referrer": "Children's social care",
               "category": "serious_incident", "summary": "A child was seriously harmed.",
               "nation": "ENG", "review_type": "rapid_review", "became_aware_on": "2026-11-23"}


@dataclass(frozen=True, kw_only=True)
class NotifyPanel(ReviewCommand):
    """Record that the national Panel was notified; after its deadline it needs a reason."""

    late_reason: Narrative | None = None


@dataclass(frozen=True, kw_only=True)
class RecordBreach(ReviewCommand, by_process=True):
    """The rapid review records a statutory deadline that passed with its step not done."""

    step: Step
    reason: Narrative


@dataclass(frozen=True, kw_only=True)
class WithdrawBreach(ReviewCommand, by_process=True):
    """The rapid review withdraws a recorded breach, once the step was entered late with a
    date within its deadline."""

    step: Step
    entered_late: Narrative


@dataclass(frozen=True, kw_only=True)
class RequestAgencyInformation(ReviewCommand):
    """Ask an agency for information by a date (it is chased once if overdue)."""

    request_id: Short
    agency: Short
    due_on: date


@dataclass(frozen=True, kw_only=True)
class ReceiveAgencyInformation(ReviewCommand):
    """Record that the information an agency was asked for arrived (with what it said, when
    the agency answered through its own page)."""

    request_id: Short
    information: Narrative | None = None


@dataclass(frozen=True, kw_only=True)
class CompleteRapidReview(ReviewCommand):
    """Record the rapid review's findings, learning and recommendation on an LCSPR."""

    findings: Narrative
    learning: Annotated[tuple[Narrative, ...], Items(MAX_LEARNING_POINTS)] = ()
    recommend_lcspr: bool
    rationale: Narrative
    outstanding_reason: Narrative | None = None
    late_reason: Narrative | None = None


@dataclass(frozen=True, kw_only=True)
class RecordPanelResponse(ReviewCommand):
    """Record the national Panel's response to the rapid review."""

    response: Narrative


@dataclass(frozen=True, kw_only=True)
class DecideLcspr(ReviewCommand):
    """Decide whether to commission a local child safeguarding practice review (LCSPR)."""

    commission: bool
    rationale: Narrative
    reviewer: Short | None = None
    scope: Narrative | None = None
    due_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class AddRecommendation(ReviewCommand):
    """Add a recommendation, owned by an agency and due by a date."""

    recommendation_id: Short
    text: Narrative
    owner_agency: Short
    due_on: date


@dataclass(frozen=True, kw_only=True)
class UpdateRecommendation(ReviewCommand):
    """Record progress on a recommendation."""

    recommendation_id: Short
    progress: Narrative


@dataclass(frozen=True, kw_only=True)
class AssessRecommendationImpact(ReviewCommand):
    """Record what difference a recommendation made."""

    recommendation_id: Short
    impact: Narrative


@dataclass(frozen=True, kw_only=True)
class CompleteRecommendation(ReviewCommand):
    """Record a recommendation as completed."""

    recommendation_id: Short


@dataclass(frozen=True, kw_only=True)
class CloseReview(ReviewCommand, verb="close"):
    """Close the review; each open recommendation is carried over with a reason."""

    carried_over: Annotated[dict[Short, Narrative], Items(MAX_CARRIED_OVER)] = field(
        default_factory=dict)
