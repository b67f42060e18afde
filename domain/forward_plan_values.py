"""The assurance activities of seed 004's toolkit tables, as the forward plan holds them. Each
one's frequency is a period in `domain.policy` (`Policy.activity_frequency`), with its source."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum

from domain.due import DueState, due_state
from domain.errors import require


class Activity(StrEnum):
    SECTION_11_AUDIT = "section_11_audit"
    SINGLE_AGENCY_AUDITS = "single_agency_audits"
    SCHOOLS_SAFEGUARDING_AUDIT = "schools_safeguarding_audit"
    LADO_REPORT = "lado_report"
    VOICE_OF_CHILDREN_AND_FAMILIES = "voice_of_children_and_families"
    SELF_ASSESSMENT_SAIT = "self_assessment_sait"
    PEER_CHALLENGE = "peer_challenge"
    MULTI_AGENCY_PRACTICE_AUDITS = "multi_agency_practice_audits"
    AUDIT_PLAN_REVIEW = "audit_plan_review"


TITLES = {
    Activity.SECTION_11_AUDIT: "Section 11 audit",
    Activity.SINGLE_AGENCY_AUDITS: "Single-agency audits",
    Activity.SCHOOLS_SAFEGUARDING_AUDIT: "Schools safeguarding audit",
    Activity.LADO_REPORT: "LADO report (with quarterly data)",
    Activity.VOICE_OF_CHILDREN_AND_FAMILIES: "Voice of children and families",
    Activity.SELF_ASSESSMENT_SAIT: "Self-assessment and improvement tool (SAIT)",
    Activity.PEER_CHALLENGE: "Peer challenge",
    Activity.MULTI_AGENCY_PRACTICE_AUDITS: "Multi-agency practice audits",
    Activity.AUDIT_PLAN_REVIEW: "Audit plan review",
}

WITH_QUARTERLY_DATA = (Activity.LADO_REPORT,)
"""Seed 004: the LADO's "annual report and quarterly data included in the quarterly
performance report" (`Policy.lado_data`)."""


def check_not_on_plan(activity: str, on_plan: Collection[str]) -> None:
    """The plan and its process refuse an activity already on it."""
    require(str(activity) not in on_plan, "An assurance activity is on the forward plan once")


def is_overdue(next_due_on: date, on: date) -> bool:
    """Whether an activity due on `next_due_on`, not done, is overdue on `on` (the one
    definition, `domain.due`)."""
    return due_state(next_due_on, on) == DueState.OVERDUE
