"""The rapid review's input, status and people's requests (workflows/rapid_review.py).

Plain dataclasses, shared by the workflow and its activities
(workflows/activities/rapid_review.py), which carry each request to the Review's command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class RapidReviewInput:
    review_id: str


@dataclass
class RapidReviewStatus:
    state: str
    nation: str | None
    panel_notification_due: date | None
    rapid_review_due: date | None
    panel_notified: bool
    rapid_review_completed: bool
    breaches: list[str]
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


@dataclass
class RequestInformation:
    request_id: str
    agency: str
    due_on: date
    by: str


@dataclass
class ReceiveInformation:
    request_id: str
    by: str


@dataclass
class NotifyPanel:
    by: str
    late_reason: str | None = None


@dataclass
class CompleteRapidReview:
    findings: str
    learning: list[str]
    recommend_lcspr: bool
    rationale: str
    by: str
    outstanding_reason: str | None = None
    late_reason: str | None = None


@dataclass
class RecordPanelResponse:
    response: str
    by: str


@dataclass
class DecideLcspr:
    commission: bool
    rationale: str
    by: str
    reviewer: str | None = None
    scope: str | None = None


@dataclass
class AddRecommendation:
    recommendation_id: str
    text: str
    owner_agency: str
    due_on: date
    by: str


@dataclass
class CompleteRecommendation:
    recommendation_id: str
    by: str


@dataclass
class CloseReview:
    by: str
    carried_over: dict[str, str] = field(default_factory=dict)
