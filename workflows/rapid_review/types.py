"""The rapid review's input, readings, state and status (workflows/rapid_review/workflow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PROCESS = "rapid-review"
BY = f"process:{PROCESS}"
CHAIR = "sub-group chair"


def rapid_review_id(review_id: str) -> str:
    """The business id: one rapid review per Review record."""
    return f"rapid-review-{review_id}"


@dataclass
class RapidReviewInput:
    review_id: str


@dataclass
class ReviewClocks:
    """The serious incident's statutory deadlines, as the Referred event stored them."""

    opened_at: datetime
    nation: str
    became_aware_on: date
    panel_notification_due: date
    rapid_review_due: date
    panel_notification_warning_on: date
    rapid_review_warning_on: date


@dataclass
class LcsprTerms:
    """A commissioned LCSPR's due date (stored on LcsprDecided) and its reminder date."""

    due_on: date
    reminder_on: date


@dataclass
class Tracked:
    """An item with a due date the workflow follows: an information request, a recommendation."""

    party: str  # the agency asked, or the agency that owns the recommendation
    due_on: date
    done: bool = False
    flagged: bool = False  # chased, or recorded as overdue


@dataclass
class RapidReviewState:
    review_id: str
    state: str = "referred"
    clocks: ReviewClocks | None = None
    pending: list[str] = field(default_factory=list)  # actions whose activity is under way
    panel_notified: bool = False
    rapid_review_done: bool = False
    breaches: list[str] = field(default_factory=list)  # steps with a standing breach
    withdrawn: list[str] = field(default_factory=list)  # breaches withdrawn by a late entry
    requests: dict[str, Tracked] = field(default_factory=dict)
    panel_response: bool = False
    decided: bool = False
    lcspr: LcsprTerms | None = None
    lcspr_overdue: bool = False
    recommendations: dict[str, Tracked] = field(default_factory=dict)
    closed: bool = False
    history: list[str] = field(default_factory=list)


@dataclass
class RapidReviewStatus:
    state: str
    nation: str | None
    panel_notification_due: date | None
    rapid_review_due: date | None
    panel_notified: bool
    rapid_review_completed: bool
    breaches: list[str]
    withdrawn_breaches: list[str]
    outstanding_requests: list[str]
    chased_requests: list[str]
    panel_response_recorded: bool
    lcspr_commissioned: bool | None
    lcspr_due: date | None
    lcspr_overdue: bool
    open_recommendations: list[str]
    overdue_recommendations: list[str]
    closed: bool
    history: list[str] = field(default_factory=list)
