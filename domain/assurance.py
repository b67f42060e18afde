"""A quarter's assurance cycle (seed 004, 'Safeguarding Effectiveness Framework', the five-step
diagram): the quarterly 'how are we doing' report is its product.

1. Evidence due: the business unit asks each measure's lead and each agency named in the
   forward plan for data and narrative, due at least 10 days before the Safeguarding
   Effectiveness sub-group meets; chased at the due date, non-compliance escalated to the
   Safeguarding Operational sub-group.
2. Sub-group discussion: actions agreed, recommendations for the partnership, summary drafted.
3. Clarify and deep dive: queries to leads or agencies, each with a due date; spotlights
   finalised.
4. Partnership meeting: a decision on each recommendation.
5. Communicate and act: the final report sent to the Executive, the other Boards and the
   sub-group members; actions for the next period set.

Events: Planned, EvidenceSubmitted, EvidenceChased, EvidenceEscalated, Discussed, QueryRaised,
QueryAnswered, QueryChased, SpotlightFinalised, Decided, Published.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.assurance_commands import (
    AnswerQuery,
    ChaseEvidence,
    ChaseQuery,
    CycleAction,
    EscalateEvidence,
    FinaliseSpotlight,
    PlanAssuranceCycle,
    PublishAssuranceReport,
    RaiseQuery,
    RecordPartnershipDecisions,
    RecordSubGroupDiscussion,
    SubmitEvidence,
)
from domain.assurance_values import (
    ESCALATION_GROUP,
    QUARTER,
    QUARTER_RULE,
    Audience,
    CycleStage,
    Decision,
    EvidenceKind,
    check_not_published,
    check_unique,
)
from domain.case_values import given
from domain.errors import require
from domain.policy import DEFAULT_POLICY, Policy
from domain.record import Record, natural_id
from domain.scorecard import MEASURE_KEYS

STAGE_ORDER = list(CycleStage)


def _actions(actions: Sequence[CycleAction], on: date) -> list[dict[str, Any]]:
    check_unique([a.action_id for a in actions], "action id")
    for a in actions:
        require(given(a.action, a.owner), "Each action names what is to be done and its owner")
        require(a.due_on >= on, "An action cannot be due before it is agreed")
    return [{"action_id": a.action_id, "action": a.action, "owner": a.owner, "due_on": a.due_on}
            for a in actions]


class AssuranceCycle(Record):
    @staticmethod
    def create_id(quarter: str) -> UUID:
        """One cycle per quarter."""
        return natural_id("assurance-cycle", quarter)

    @classmethod
    def plan(cls, c: PlanAssuranceCycle, policy: Policy = DEFAULT_POLICY) -> AssuranceCycle:
        require(QUARTER.fullmatch(c.quarter) is not None, QUARTER_RULE)
        require(c.partnership_meets_on > c.sub_group_meets_on,
                "The partnership meets after the Safeguarding Effectiveness sub-group")
        due = policy.evidence_due_before_meeting.before(c.sub_group_meets_on)
        require(due >= c.at.date(), f"Evidence is due at least "
                f"{policy.evidence_due_before_meeting} before the sub-group meets (by "
                f"{due.isoformat()}): plan the cycle by then")
        require(len(c.requests) > 0, "A cycle asks at least one lead or agency for evidence")
        check_unique([r.item for r in c.requests], "piece of evidence")
        require(all(given(r.lead) for r in c.requests), "Each piece of evidence names its lead")
        require(all(r.item in MEASURE_KEYS for r in c.requests if r.kind == EvidenceKind.MEASURE),
                "A measure's evidence is asked for a measure of the scorecard")
        requests = {r.item.strip(): {"item": r.item.strip(), "kind": str(r.kind), "lead": r.lead}
                    for r in c.requests}
        return cls(quarter=c.quarter, sub_group_meets_on=c.sub_group_meets_on,
                   partnership_meets_on=c.partnership_meets_on, evidence_due=due,
                   requests=list(requests.values()), actor=c.by, occurred_on=c.at)

    @event("Planned")
    def __init__(self, *, quarter: str, sub_group_meets_on: date, partnership_meets_on: date,
                 evidence_due: date, requests: list[dict[str, Any]], actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.quarter = quarter
        self.sub_group_meets_on, self.partnership_meets_on = sub_group_meets_on, partnership_meets_on
        self.evidence_due = evidence_due
        self.evidence: dict[str, dict[str, Any]] = {
            r["item"]: {**r, "submitted_on": None, "chased_on": None, "escalated_on": None}
            for r in requests}
        self.stage = CycleStage.EVIDENCE_DUE
        self.stage_on = occurred_on
        self.discussion: dict[str, Any] | None = None
        self.queries: dict[str, dict[str, Any]] = {}
        self.spotlights: dict[str, dict[str, Any]] = {}
        self.decisions: dict[str, dict[str, Any]] = {}
        self.published: dict[str, Any] | None = None

    # --- guards --------------------------------------------------------------------------------

    def _check(self, at: datetime, *stages: CycleStage) -> None:
        self.check_after_opening(at)
        check_not_published(self.stage == CycleStage.PUBLISHED)
        if stages:
            names = " or ".join(s.value.replace("_", " ") for s in stages)
            require(self.stage in stages, f"This step of the cycle comes when it stands at "
                    f"{names}; it stands at {self.stage.value.replace('_', ' ')}")
        require(at >= self.stage_on, "History reads forwards: a step of the cycle cannot be "
                "dated before the previous step")

    def _item(self, item: str, at: datetime) -> dict[str, Any]:
        require(item in self.evidence, "Evidence is given for a piece the cycle asked for")
        found = self.evidence[item]
        require(at >= self.opened_on, "Evidence cannot be dated before the cycle was planned")
        return found

    def outstanding(self) -> list[str]:
        """The pieces of evidence not yet submitted."""
        return [i for i, e in self.evidence.items() if e["submitted_on"] is None]

    # --- 1. evidence due -----------------------------------------------------------------------

    def submit_evidence(self, c: SubmitEvidence) -> None:
        self.check_after_opening(c.at)
        check_not_published(self.stage == CycleStage.PUBLISHED)
        found = self._item(c.item, c.at)
        require(found["submitted_on"] is None, "A piece of evidence is submitted once")
        require(given(c.data, c.narrative), "Evidence gives its data and a narrative")
        self._evidence_submitted(item=c.item, data=c.data, narrative=c.narrative,
                                 late=c.at.date() > self.evidence_due, actor=c.by,
                                 occurred_on=c.at)

    @event("EvidenceSubmitted")
    def _evidence_submitted(self, *, item: str, data: str, narrative: str, late: bool,
                            actor: str, occurred_on: datetime) -> None:
        self.evidence[item].update(submitted_on=occurred_on, late=late, by=actor)

    def chase_evidence(self, c: ChaseEvidence) -> None:
        found = self._item(c.item, c.at)
        require(found["submitted_on"] is None, "Submitted evidence is not chased")
        require(c.at.date() > self.evidence_due, "Evidence is chased once its due date passed")
        require(found["chased_on"] is None, "A piece of evidence is chased once")
        self._evidence_chased(item=c.item, lead=found["lead"], actor=c.by, occurred_on=c.at)

    @event("EvidenceChased")
    def _evidence_chased(self, *, item: str, lead: str, actor: str, occurred_on: datetime) -> None:
        self.evidence[item]["chased_on"] = occurred_on

    def escalate_evidence(self, c: EscalateEvidence) -> None:
        found = self._item(c.item, c.at)
        require(found["submitted_on"] is None, "Submitted evidence is not escalated")
        require(found["chased_on"] is not None, "Missing evidence is chased before it is escalated")
        require(found["escalated_on"] is None, "Missing evidence is escalated once")
        self._evidence_escalated(item=c.item, lead=found["lead"], escalated_to=ESCALATION_GROUP,
                                 actor=c.by, occurred_on=c.at)

    @event("EvidenceEscalated")
    def _evidence_escalated(self, *, item: str, lead: str, escalated_to: str, actor: str,
                            occurred_on: datetime) -> None:
        self.evidence[item]["escalated_on"] = occurred_on

    # --- 2. the sub-group's discussion; 3. clarify and deep dive ------------------------------

    def record_discussion(self, c: RecordSubGroupDiscussion) -> None:
        self._check(c.at, CycleStage.EVIDENCE_DUE)
        require(given(c.summary), "The sub-group's discussion records its summary report")
        actions = _actions(c.actions, c.at.date())
        check_unique([r.recommendation_id for r in c.recommendations], "recommendation id")
        require(all(given(r.text) for r in c.recommendations), "Each recommendation is written")
        self._discussed(summary=c.summary, actions=actions,
                        recommendations=[{"recommendation_id": r.recommendation_id,
                                          "text": r.text} for r in c.recommendations],
                        actor=c.by, occurred_on=c.at)

    @event("Discussed")
    def _discussed(self, *, summary: str, actions: list[dict[str, Any]],
                   recommendations: list[dict[str, Any]], actor: str,
                   occurred_on: datetime) -> None:
        self.discussion = {"summary": summary, "on": occurred_on, "actions": list(actions),
                           "recommendations": list(recommendations)}
        self._enter(CycleStage.DISCUSSED, occurred_on)

    def raise_query(self, c: RaiseQuery) -> None:
        self._check(c.at, CycleStage.DISCUSSED)
        require(given(c.query_id) and c.query_id not in self.queries,
                "A query id is used only once in a cycle")
        require(given(c.to, c.question), "A query names who it goes to and asks its question")
        require(c.due_on > c.at.date(), "A query is due after it is raised")
        self._query_raised(query_id=c.query_id, to=c.to, question=c.question, due_on=c.due_on,
                           actor=c.by, occurred_on=c.at)

    @event("QueryRaised")
    def _query_raised(self, *, query_id: str, to: str, question: str, due_on: date, actor: str,
                      occurred_on: datetime) -> None:
        self.queries[query_id] = {"query_id": query_id, "to": to, "due_on": due_on,
                                  "raised_on": occurred_on, "answered_on": None,
                                  "chased_on": None}

    def _query(self, query_id: str, at: datetime) -> dict[str, Any]:
        require(query_id in self.queries, "An answer refers to a query the cycle raised")
        query = self.queries[query_id]
        require(at >= query["raised_on"], "History reads forwards: a query is answered or "
                "chased after it was raised")
        require(query["answered_on"] is None, "A query is answered once, and not chased then")
        return query

    def answer_query(self, c: AnswerQuery) -> None:
        self.check_after_opening(c.at)
        self._query(c.query_id, c.at)
        require(given(c.answer), "An answer to a query is written out")
        self._query_answered(query_id=c.query_id, answer=c.answer, actor=c.by, occurred_on=c.at)

    @event("QueryAnswered")
    def _query_answered(self, *, query_id: str, answer: str, actor: str,
                        occurred_on: datetime) -> None:
        self.queries[query_id]["answered_on"] = occurred_on

    def chase_query(self, c: ChaseQuery) -> None:
        self.check_after_opening(c.at)
        query = self._query(c.query_id, c.at)
        require(c.at.date() > query["due_on"], "A query is chased once its due date passed")
        require(query["chased_on"] is None, "A query is chased once")
        self._query_chased(query_id=c.query_id, to=query["to"], actor=c.by, occurred_on=c.at)

    @event("QueryChased")
    def _query_chased(self, *, query_id: str, to: str, actor: str, occurred_on: datetime) -> None:
        self.queries[query_id]["chased_on"] = occurred_on

    def finalise_spotlight(self, c: FinaliseSpotlight) -> None:
        self._check(c.at, CycleStage.DISCUSSED)
        require(given(c.spotlight_id) and c.spotlight_id not in self.spotlights,
                "A spotlight is finalised once")
        require(given(c.title, c.summary), "A spotlight has a title and a summary")
        self._spotlight_finalised(spotlight_id=c.spotlight_id, title=c.title, summary=c.summary,
                                  actor=c.by, occurred_on=c.at)

    @event("SpotlightFinalised")
    def _spotlight_finalised(self, *, spotlight_id: str, title: str, summary: str, actor: str,
                             occurred_on: datetime) -> None:
        self.spotlights[spotlight_id] = {"title": title, "on": occurred_on}

    # --- 4. the partnership meeting; 5. communicate and act ------------------------------------

    def record_decisions(self, c: RecordPartnershipDecisions) -> None:
        self._check(c.at, CycleStage.DISCUSSED)
        assert self.discussion is not None
        wanted = {r["recommendation_id"] for r in self.discussion["recommendations"]}
        given_ids = [d.recommendation_id for d in c.decisions]
        require(len(set(given_ids)) == len(given_ids) and set(given_ids) == wanted,
                "The partnership records one decision on each recommendation of the sub-group")
        require(all(d.decision == Decision.ACCEPTED or given(d.note) for d in c.decisions),
                "An amended or rejected recommendation records why")
        self._decided(decisions=[{"recommendation_id": d.recommendation_id,
                                  "decision": str(d.decision), "note": d.note}
                                 for d in c.decisions], actor=c.by, occurred_on=c.at)

    @event("Decided")
    def _decided(self, *, decisions: list[dict[str, Any]], actor: str,
                 occurred_on: datetime) -> None:
        self.decisions = {d["recommendation_id"]: dict(d) for d in decisions}
        self._enter(CycleStage.DECIDED, occurred_on)

    def publish(self, c: PublishAssuranceReport) -> None:
        self._check(c.at, CycleStage.DECIDED)
        missing = [a.value.replace("_", " ") for a in Audience if a not in c.audiences]
        require(not missing, "The final report goes to the Executive, the other Boards and the "
                f"sub-group members (missing: {', '.join(missing)})")
        require(len(c.next_actions) > 0, "Publishing sets the actions for the next period")
        actions = _actions(c.next_actions, c.at.date())
        self._published(audiences=[str(a) for a in Audience], next_actions=actions, actor=c.by,
                        occurred_on=c.at)

    @event("Published")
    def _published(self, *, audiences: list[str], next_actions: list[dict[str, Any]],
                   actor: str, occurred_on: datetime) -> None:
        self.published = {"on": occurred_on, "audiences": list(audiences),
                          "next_actions": list(next_actions)}
        self._enter(CycleStage.PUBLISHED, occurred_on)

    def _enter(self, stage: CycleStage, on: datetime) -> None:
        """Called only from event methods, so it also runs on replay."""
        self.stage, self.stage_on = stage, on

    @property
    def contributors(self) -> tuple[str, ...]:
        """The leads and the people queried: each may give their own evidence or answer."""
        return tuple(sorted({e["lead"] for e in self.evidence.values()}
                            | {q["to"] for q in self.queries.values()}))
