"""The column layouts `assured import` reads: which column feeds which field of which command.

A layout only pairs columns with command fields. Every rule (what a field may hold, which are
required, what order facts must come in) stays with the command's declaration
(`domain/*_commands.py`) and its aggregate: a cell is parsed by the type of the field it feeds,
and the command checks it when it is made. A step is taken when its date column holds a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.case_commands import OpenCase, RecordDiscussion
from domain.commands import Command
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    RecordAssessment,
    RecordInterview,
)


@dataclass(frozen=True)
class Step:
    """One command a row gives, dated by the column `at`."""

    command: type[Command]
    at: str
    columns: dict[str, str] = field(default_factory=dict)
    """Command field (dotted for a nested value) -> the column it is read from."""
    fixed: dict[str, Any] = field(default_factory=dict)
    """Fields the import sets itself (documented in the README)."""


@dataclass(frozen=True)
class Layout:
    kind: str                 # the kind of record the first step makes
    reference: tuple[str, ...]
    """The columns that make the organisation's reference for the row (its stable id)."""
    steps: tuple[Step, ...]

    @property
    def columns(self) -> list[str]:
        found = list(self.reference)
        for step in self.steps:
            found += [step.at, *step.columns.values()]
        return list(dict.fromkeys(found))


SAFEGUARDERS = Layout(
    kind="safeguarder",
    reference=("reference",),
    steps=(
        Step(ApplyToPanel, "applied_on", {"name": "name", "region": "region",
                                          "contact.email": "email", "contact.phone": "phone"}),
        # The panel and its applicants in progress: an interview or assessment dated here was
        # passed (a failed applicant is no open record to bring in).
        Step(RecordInterview, "interviewed_on", fixed={"passed": True}),
        Step(RecordAssessment, "assessed_on", fixed={"passed": True}),
        Step(Appoint, "appointed_on", {"term_starts_on": "term_starts_on"}),
        Step(Allocate, "allocated_on", {"manager": "support_manager"}),
    ),
)

CASES = Layout(
    kind="case",
    reference=("agency", "child_reference"),
    steps=(
        Step(OpenCase, "opened_on", {"child_reference": "child_reference", "agency": "agency",
                                     "practitioner": "practitioner", "supervisor": "supervisor",
                                     "legal_status": "legal_status", "risk": "risk",
                                     "nation": "nation"}),
        # The last supervision discussion, so the cadence counts from it.
        Step(RecordDiscussion, "last_discussion_on",
             {"supervisor": "supervisor", "supervisee": "practitioner", "rag": "rag",
              "needs": "needs", "risks": "risks", "engagement": "engagement",
              "capacity_for_change": "capacity_for_change", "plan": "plan",
              "next_discussion_on": "next_discussion_on"},
             fixed={"discussion_id": "imported"}),
    ),
)

LAYOUTS = {"safeguarders": SAFEGUARDERS, "cases": CASES}
