"""Activities of the rapid review that read the Review: its statutory clocks and a commissioned
LCSPR's dates. Deadlines are read from the record (the Referred and LcsprDecided events store
them); the warning and reminder dates are computed here, from the policy and the working days
of the review's nation. Commands go through `workflows.command_activities`."""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from domain.application import Assured
from domain.review import Review
from workflows.rapid_review.types import LcsprTerms, ReviewClocks


class RapidReviewActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn(name="rapid_review.read_clocks")
    def read_clocks(self, review_id: str) -> ReviewClocks:
        """The deadlines stored at referral, and the at-risk warning dates before them."""
        review = self.app.load(UUID(review_id), Review)
        assert review.panel_notification_due and review.rapid_review_due \
            and review.became_aware_on, "a rapid review is always of a serious incident"
        warning = self.app.policy.at_risk_warning
        return ReviewClocks(
            review.opened_on, str(review.nation), review.became_aware_on,
            review.panel_notification_due, review.rapid_review_due,
            warning.before(review.panel_notification_due, review.nation),
            warning.before(review.rapid_review_due, review.nation),
        )

    @activity.defn(name="rapid_review.lcspr_terms")
    def lcspr_terms(self, review_id: str) -> LcsprTerms | None:
        """A commissioned LCSPR's due date, as decided, and its reminder date."""
        review = self.app.load(UUID(review_id), Review)
        decision = review.lcspr_decision or {}
        due_on = decision.get("due_on")
        if not decision.get("commission") or due_on is None:
            return None
        return LcsprTerms(due_on, self.app.policy.reminder_lead.before(due_on, review.nation))
