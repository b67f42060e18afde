"""The lead's narrative for one measure of the quarterly scorecard (seed 004, 'Scorecard').

Seed 004: "a multi-agency scorecard of key performance measures, charts and short narrative for
each measure on a quarterly basis ... Identified leads for each measure to provide data and
narrative." The figures come from the read tables; the narrative is a person's word, so it is a
record of its own: one per quarter and measure, written once and then revised, every version
kept. Events: Written, Revised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

from eventsourcing.domain import event

from domain.commands import Command
from domain.errors import require
from domain.record import Record, natural_id
from domain.text import Short, Text

# The measures of the scorecard (projections/measures.py defines and computes each one).
MEASURE_KEYS = (
    "support_sessions_held",
    "support_on_time",
    "reappointment_on_time",
    "panel_notification_on_time",
    "rapid_review_on_time",
    "cin_supervision_in_interval",
    "audit_returns_on_time",
    "recommendations_on_time",
    "drift_cases",
    "concerns_resolved_at_stage_1",
    "able_to_raise_concerns",
    "forward_plan_overdue",
    "mentors_accredited",
    "first_year_mentoring",
)

QUARTER = re.compile(r"[0-9]{4}Q[1-4]")
NARRATIVE_LIMIT = 4000  # a short narrative, as the seed asks; the report has room for this much


@dataclass(frozen=True, kw_only=True)
class WriteNarrative(Command, kind="scorecard-narrative"):
    """Write the lead's narrative for a measure of a quarter's scorecard, or revise it."""

    quarter: Short
    measure: Short
    text: Annotated[str, Text(NARRATIVE_LIMIT)]


class ScorecardNarrative(Record):
    @staticmethod
    def create_id(quarter: str, measure: str) -> UUID:
        """One narrative per quarter and measure: its id is that natural key."""
        return natural_id("scorecard-narrative", f"{quarter}:{measure}")

    @classmethod
    def write(cls, c: WriteNarrative) -> ScorecardNarrative:
        require(QUARTER.fullmatch(c.quarter) is not None,
                "A scorecard quarter is written as the year and quarter, e.g. 2026Q3")
        require(c.measure in MEASURE_KEYS, "A narrative is written for a measure of the scorecard")
        _check_text(c.text)
        return cls(quarter=c.quarter, measure=c.measure, text=c.text.strip(), actor=c.by,
                   occurred_on=c.at)

    @event("Written")
    def __init__(self, *, quarter: str, measure: str, text: str, actor: str,
                 occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.quarter, self.measure = quarter, measure
        self.text, self.lead = text, actor

    def revise(self, c: WriteNarrative) -> None:
        self.check_after_opening(c.at)
        _check_text(c.text)
        require(c.text.strip() != self.text, "A revised narrative changes the text")
        self._revised(text=c.text.strip(), actor=c.by, occurred_on=c.at)

    @event("Revised")
    def _revised(self, *, text: str, actor: str, occurred_on: datetime) -> None:
        self.text, self.lead = text, actor


def _check_text(text: str) -> None:
    require(bool(text.strip()), "A narrative is written out, never blank")

