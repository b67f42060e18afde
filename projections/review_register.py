"""The register of case reviews and audits (seed 004, 'Summarising and communicating').

"A database of case reviews and audits will be maintained by the Business Unit to facilitate
monitoring and identification of activity, key learning, and follow up of the impact of
recommended actions for improvements. This will also include 'Good Outcome Reviews'."

Per review or audit: its type, status, deadlines met or breached (a breach the rapid review
recorded and then withdrew, because the step was entered late with a date within its deadline,
is kept as withdrawn: it no longer stands), its findings and learning, and its recommendations
(audits: agreed actions) followed through progress to impact.

Tables (review_register.sql); the queries are in register_queries.py.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from domain.audit import AuditRecord
from domain.review import Review
from domain.review_values import ReferralCategory, ReviewStatus, ReviewType, Step
from projections.base import Projection
from projections.page import Page
from projections.sealing import sealed

ReviewEvents: Any = Review
AuditEvents: Any = AuditRecord

STEP_LABELS = {Step.PANEL_NOTIFICATION: "Panel notification",
               Step.RAPID_REVIEW: "Rapid review"}
# The audit stage each event moves to (AuditStage values).
AUDIT_STAGES = {"CasesSelectedAtRandom": "cases_selected", "CasesSelectedByRisk": "cases_selected",
                "ReturnsRequested": "returns_requested", "Moderated": "moderated",
                "FindingsRecorded": "findings_recorded", "Reported": "reported",
                "ActionsAgreed": "actions_agreed"}


def _entry(event: Any) -> dict[str, Any]:
    return {"entry_id": event.originator_id}


def _deadline(event: Any, deadline: str) -> dict[str, Any]:
    return {"entry_id": event.originator_id, "deadline": deadline}


def _action(event: Any, item_id: str) -> dict[str, Any]:
    return {"entry_id": event.originator_id, "item_id": item_id}


def _learning(page: Page, event: Any, n: int, kind: str, field: str, text: str) -> None:
    page.insert("register_learning", entry_id=event.originator_id,
                version=event.originator_version, n=n, kind=kind,
                text=sealed(page, event, f"{field}[{n}]", text),
                recorded_on=event.occurred_on.date())


class ReviewRegister(Projection):
    name = "review_register"
    version = 2

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a review or an audit."""

    # --- reviews -------------------------------------------------------------------------------

    @process.register(ReviewEvents.Referred)
    def _referred(self, event: Any, page: Page) -> None:
        good = (event.review_type == ReviewType.GOOD_OUTCOME
                or event.category == ReferralCategory.GOOD_PRACTICE)
        page.insert("register_entry", entry_id=event.originator_id, kind="review",
                    reference=event.reference, entry_type=str(event.review_type),
                    category=str(event.category), title=sealed(page, event, "summary"),
                    status=ReviewStatus.REFERRED.value, nation=str(event.nation),
                    opened_on=event.occurred_on.date(), good_outcome=good)
        for step, due in ((Step.PANEL_NOTIFICATION, event.panel_notification_due),
                          (Step.RAPID_REVIEW, event.rapid_review_due)):
            if due is not None:
                page.insert("register_deadline", **_deadline(event, step.value),
                            label=STEP_LABELS[step], due_on=due)

    def _step_done(self, event: Any, page: Page, step: Step) -> None:
        values = {"done_on": event.occurred_on.date()}
        if event.late_reason is not None:
            values["reason"] = sealed(page, event, "late_reason")
        page.update("register_deadline", _deadline(event, step.value), **values)

    @process.register(ReviewEvents.PanelNotified)
    def _notified(self, event: Any, page: Page) -> None:
        self._step_done(event, page, Step.PANEL_NOTIFICATION)

    @process.register(ReviewEvents.BreachRecorded)
    def _breach(self, event: Any, page: Page) -> None:
        page.update("register_deadline", _deadline(event, str(event.step)), breached=True,
                    breach_recorded_on=event.occurred_on.date(),
                    reason=sealed(page, event, "reason"))

    @process.register(ReviewEvents.BreachWithdrawn)
    def _breach_withdrawn(self, event: Any, page: Page) -> None:
        page.update("register_deadline", _deadline(event, str(event.step)),
                    breach_withdrawn_on=event.occurred_on.date(),
                    entered_late=sealed(page, event, "entered_late"))

    @process.register(ReviewEvents.AgencyInformationRequested)
    def _requested(self, event: Any, page: Page) -> None:
        page.insert("register_deadline", **_deadline(event, f"information:{event.request_id}"),
                    label=f"Information from {event.agency}", due_on=event.due_on)

    @process.register(ReviewEvents.AgencyInformationReceived)
    def _received(self, event: Any, page: Page) -> None:
        page.update("register_deadline", _deadline(event, f"information:{event.request_id}"),
                    done_on=event.occurred_on.date())

    @process.register(ReviewEvents.RapidReviewCompleted)
    def _rapid_review(self, event: Any, page: Page) -> None:
        page.update("register_entry", _entry(event),
                    status=ReviewStatus.RAPID_REVIEW_COMPLETED.value)
        self._step_done(event, page, Step.RAPID_REVIEW)
        _learning(page, event, 0, "findings", "findings", event.findings)
        for n, item in enumerate(event.learning, start=1):
            _learning(page, event, n, "learning", "learning", item)

    @process.register(ReviewEvents.PanelResponseRecorded)
    def _panel_response(self, event: Any, page: Page) -> None:
        _learning(page, event, 0, "Panel response", "response", event.response)

    @process.register(ReviewEvents.LcsprDecided)
    def _lcspr(self, event: Any, page: Page) -> None:
        status = (ReviewStatus.LCSPR_COMMISSIONED if event.commission
                  else ReviewStatus.LCSPR_NOT_COMMISSIONED)
        page.update("register_entry", _entry(event), status=status.value)
        if event.commission:
            page.insert("register_deadline", **_deadline(event, "lcspr"),
                        label="LCSPR completed", due_on=event.due_on)

    @process.register(ReviewEvents.RecommendationAdded)
    def _recommendation(self, event: Any, page: Page) -> None:
        page.insert("register_action", **_action(event, event.recommendation_id),
                    kind="recommendation", text=sealed(page, event, "text"),
                    owner=event.owner_agency, due_on=event.due_on,
                    made_on=event.occurred_on.date())

    @process.register(ReviewEvents.RecommendationUpdated)
    @process.register(ReviewEvents.RecommendationImpactAssessed)
    def _followup(self, event: Any, page: Page) -> None:
        field = "progress" if type(event).__name__ == "RecommendationUpdated" else "impact"
        page.insert("register_followup", entry_id=event.originator_id,
                    version=event.originator_version, item_id=event.recommendation_id,
                    kind=field, text=sealed(page, event, field),
                    recorded_on=event.occurred_on.date())

    @process.register(ReviewEvents.RecommendationCompleted)
    def _completed(self, event: Any, page: Page) -> None:
        page.update("register_action", _action(event, event.recommendation_id),
                    completed_on=event.occurred_on.date())

    @process.register(ReviewEvents.Closed)
    def _review_closed(self, event: Any, page: Page) -> None:
        closed = event.occurred_on.date()
        page.update("register_entry", _entry(event), status=ReviewStatus.CLOSED.value,
                    closed_on=closed)
        page.update("register_deadline", _deadline(event, "lcspr"), done_on=closed)
        for item_id, reason in sorted(event.carried_over.items()):
            page.update("register_action", _action(event, item_id),
                        carried_over=sealed(page, event, f"carried_over[{item_id}]", reason))

    # --- audits --------------------------------------------------------------------------------

    @process.register(AuditEvents.Planned)
    def _planned(self, event: Any, page: Page) -> None:
        page.insert("register_entry", entry_id=event.originator_id, kind="audit",
                    reference=event.reference, entry_type=str(event.audit_type),
                    dimension=str(event.dimension), title=sealed(page, event, "theme"),
                    status="planned", opened_on=event.occurred_on.date(),
                    returns_due=event.returns_due, plan_review_due=event.plan_review_due)

    @process.register(AuditEvents.PlanReviewed)
    def _plan_reviewed(self, event: Any, page: Page) -> None:
        page.update("register_entry", _entry(event), plan_review_due=event.next_review_due)

    @process.register(AuditEvents.CasesSelectedAtRandom)
    @process.register(AuditEvents.CasesSelectedByRisk)
    @process.register(AuditEvents.Moderated)
    def _stage(self, event: Any, page: Page) -> None:
        page.update("register_entry", _entry(event), status=AUDIT_STAGES[type(event).__name__])

    @process.register(AuditEvents.ReturnsRequested)
    def _returns_requested(self, event: Any, page: Page) -> None:
        self._stage(event, page)
        for agency in event.agencies:
            page.insert("register_return", entry_id=event.originator_id, agency=agency,
                        requested_on=event.occurred_on.date())

    @process.register(AuditEvents.ReturnChased)
    def _chased(self, event: Any, page: Page) -> None:
        page.add("register_return", {**_entry(event), "agency": event.agency}, chased=1)

    @process.register(AuditEvents.ReturnSubmitted)
    def _submitted(self, event: Any, page: Page) -> None:
        page.update("register_return", {**_entry(event), "agency": event.agency},
                    submitted_on=event.occurred_on.date(),
                    supervision_grade=str(event.supervision_grade),
                    oversight_grade=str(event.oversight_grade))

    @process.register(AuditEvents.NonComplianceEscalated)
    def _escalated(self, event: Any, page: Page) -> None:
        page.update("register_return", {**_entry(event), "agency": event.agency},
                    escalated_on=event.occurred_on.date())

    @process.register(AuditEvents.FindingsRecorded)
    def _findings(self, event: Any, page: Page) -> None:
        self._stage(event, page)
        n = 0
        for kind, field in (("strength", "strengths"),
                            ("area for development", "areas_for_development")):
            for text in getattr(event, field):
                n += 1
                _learning(page, event, n, kind, field, text)

    @process.register(AuditEvents.Reported)
    def _reported(self, event: Any, page: Page) -> None:
        page.update("register_entry", _entry(event), status="reported", reported_to=event.group)

    @process.register(AuditEvents.ActionsAgreed)
    def _actions(self, event: Any, page: Page) -> None:
        self._stage(event, page)
        for n, action in enumerate(event.actions, start=1):
            page.insert("register_action", **_action(event, f"A{n}"), kind="agreed action",
                        text=sealed(page, event, f"actions[{n}]", action["action"]),
                        owner=action["owner"], due_on=action["due_on"],
                        made_on=event.occurred_on.date())

    @process.register(AuditEvents.Closed)
    def _audit_closed(self, event: Any, page: Page) -> None:
        page.update("register_entry", _entry(event), status="closed",
                    closed_on=event.occurred_on.date())
