"""The escalation ladder of a concern or a professional disagreement (seed 003, 'Managing
Professional Differences'): stage 1 is the supervisor, then up the line.

The rules here are asked alike by the records (a case's concerns and disagreements, a
Safeguarder's concerns) and by the escalation process's update validators, so each is said once.
"""

from __future__ import annotations

from domain.errors import require

CONCERN_STAGES = ("supervisor", "manager", "senior manager or partnership")
TOP_CONCERN_STAGE = len(CONCERN_STAGES)


def concern_stage_name(stage: int) -> str:
    return CONCERN_STAGES[stage - 1]


def check_unresolved(resolved: bool, what: str) -> None:
    """A concern or disagreement (`what`) is resolved once."""
    require(not resolved, f"A {what} is resolved only once")


def check_escalation(resolved: bool, stage: int, what: str) -> None:
    """Only an unresolved concern or disagreement below the top stage climbs."""
    require(not resolved, f"A resolved {what} cannot be escalated")
    require(stage < TOP_CONCERN_STAGE, f"A {what} cannot be escalated beyond stage "
            f"{TOP_CONCERN_STAGE} ({concern_stage_name(TOP_CONCERN_STAGE)})")
