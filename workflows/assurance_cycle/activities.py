"""Activities of the quarterly assurance cycle that read the record and the policy: its dates
(the evidence due date stored on the record; its reminder, escalation and publication dates from
the policy, in England's working days). Commands go through `workflows.command_activities`."""

from __future__ import annotations

from uuid import UUID

from temporalio import activity

from domain.application import Assured
from domain.assurance import AssuranceCycle
from workflows.assurance_cycle.types import NATION, CycleFacts, QueryFacts


class AssuranceActivities:
    def __init__(self, app: Assured) -> None:
        self.app = app

    @activity.defn(name="assurance.read")
    def read(self, record_id: str) -> CycleFacts:
        c, policy = self.app.load(UUID(record_id), AssuranceCycle), self.app.policy
        evidence = c.evidence.values()
        return CycleFacts(
            c.quarter, str(c.stage), c.opened_on, c.evidence_due,
            policy.reminder_lead.before(c.evidence_due, NATION),
            policy.evidence_non_compliance.after(c.evidence_due, NATION),
            c.sub_group_meets_on, c.partnership_meets_on,
            policy.assurance_publication.after(c.partnership_meets_on, NATION),
            {e["item"]: e["lead"] for e in evidence}, c.outstanding(),
            [e["item"] for e in evidence if e["chased_on"] is not None],
            [e["item"] for e in evidence if e["escalated_on"] is not None],
            [QueryFacts(q["query_id"], q["to"], q["due_on"], q["answered_on"] is not None)
             for q in c.queries.values()],
            c.published["on"] if c.published else None)
