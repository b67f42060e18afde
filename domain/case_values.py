"""Values of the Case record (seeds 002 and 003) and the checks on what a command is given."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from domain.calendar import Nation
from domain.errors import require
from domain.policy import Policy


class LegalStatus(StrEnum):
    """The values are the keys of `Policy.supervision_interval`."""

    EARLY_HELP = "early_help"
    CHILD_IN_NEED = "child_in_need"
    CHILD_PROTECTION = "child_protection"
    LOOKED_AFTER = "looked_after"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    ESCALATING = "escalating"


_RISK_LEVELS = {level.value: level for level in RiskLevel}


def risk_level(value: str) -> RiskLevel:
    """`RiskLevel(value)`, the same member or the same ValueError, found in one look-up: the
    enum's own call (two Python calls in 3.11) was half of replaying a risk change, the
    commonest event of a long case (bench/history_at.py)."""
    try:
        return _RISK_LEVELS[value]
    except (KeyError, TypeError):
        return RiskLevel(value)


class Rag(StrEnum):
    """Seed 003, Appendix III: are the child's circumstances improving, the same, or worse?"""

    G = "G"  # improving
    A = "A"  # staying the same
    R = "R"  # getting worse


class AuditGrade(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"


class ActionStatus(StrEnum):
    OPEN = "open"
    OVERDUE = "overdue"
    COMPLETED = "completed"


def check_case_open(closed: bool) -> None:
    """A closed case refuses every command; the case and its cadence process ask this alike."""
    require(not closed, "A closed case refuses every further command")


# Letters, digits and hyphens, with at least one digit, so a name cannot pass for a reference.
_CHILD_REFERENCE = re.compile(r"(?=.*[0-9])[A-Za-z0-9-]{4,40}")
CHILD_REFERENCE_RULE = (
    "Child references are pseudonymous: 4 to 40 letters, digits or hyphens, including a digit, "
    "with no spaces and no names"
)

E = TypeVar("E", bound=StrEnum)


def member(kind: type[E], value: Any, rule: str) -> E:
    """`value` as a member of `kind`, refused by `rule` (not a ValueError) when it is not one."""
    require(value in {item.value for item in kind}, rule)
    return kind(value)


def one_of(kind: type[StrEnum]) -> str:
    return ", ".join(item.value for item in kind)


def check_child_reference(reference: str) -> None:
    require(_CHILD_REFERENCE.fullmatch(reference) is not None, CHILD_REFERENCE_RULE)


def given(*texts: str | None) -> bool:
    """Whether every text is present and not blank."""
    return all(text is not None and bool(text.strip()) for text in texts)


def check_agreed_actions(
    actions: Sequence[Any], held_on: date, used_ids: Iterable[str]
) -> list[dict[str, Any]]:
    """Check the actions agreed in a discussion held on `held_on` (`AgreedAction`s); return
    them as plain dicts, as the event stores them."""
    seen = set(used_ids)
    checked: list[dict[str, Any]] = []
    for action in actions:
        require(given(action.action_id, action.description),
                "Every agreed action needs an action id and a description")
        require(given(action.owner), "Every agreed action needs an owner")
        require(action.due >= held_on,
                "An agreed action cannot be due before the discussion that agreed it")
        require(action.action_id not in seen, "An action id is used only once on a case")
        seen.add(action.action_id)
        checked.append({"action_id": action.action_id, "description": action.description,
                        "owner": action.owner, "due": action.due})
    return checked


def overdue_on(actions: Iterable[dict[str, Any]], on: date) -> list[dict[str, Any]]:
    """Copies of the actions past their due date on `on` and not completed by then, earliest due
    first. Counting completion by date lets the question be asked of any past day."""
    return sorted(
        (dict(action) for action in actions
         if action["due"] < on
         and (action["completed_on"] is None or action["completed_on"].date() > on)),
        key=lambda action: (action["due"], action["action_id"]),
    )


def drift_reasons(ratings: Sequence[str], legal_status: str, since: date, on: date,
                  policy: Policy, nation: Nation | str) -> list[str]:
    """Why a case is drifting on `on`; empty when it is not (seed 003, aim 3). The one
    definition: the aggregate, its process and the drift list all ask it.

    `ratings` are those of the discussions held by `on`, oldest first; `since` is the last of
    them, or the case's opening if there was none. The case drifts when:
    - the latest discussion rated the child's circumstances R (getting worse);
    - the rating has not improved across two consecutive discussions, read as: the two most
      recent discussions were both rated A or R (neither was G);
    - a child in need has gone longer than `policy.cin_supervision_interval` without a
      discussion.
    """
    reasons = rating_drift(ratings)
    if legal_status == LegalStatus.CHILD_IN_NEED:
        reasons += interval_drift(since, on, policy, nation)
    return reasons


def rating_drift(ratings: Sequence[str]) -> list[str]:
    """Drift shown by the RAG ratings of the discussions so far, oldest first."""
    reasons: list[str] = []
    if ratings and ratings[-1] == Rag.R:
        reasons.append("The latest supervision discussion rated the child's circumstances "
                       "as getting worse (R)")
    if len(ratings) >= 2 and Rag.G not in ratings[-2:]:
        reasons.append("The child's circumstances have not improved across the two most "
                       f"recent supervision discussions (rated {ratings[-2]} then {ratings[-1]})")
    return reasons


def child_in_need_discussion_due(since: date, policy: Policy, nation: Nation | str) -> date:
    """The latest date a child in need's next supervision discussion may be held, after the
    last one (or the case's opening) on `since`."""
    return policy.cin_supervision_interval.after(since, nation)


def interval_drift(since: date, on: date, policy: Policy, nation: Nation | str) -> list[str]:
    """Drift when a child in need has gone past its discussion's due date on `on`."""
    period = policy.cin_supervision_interval
    due = child_in_need_discussion_due(since, policy, nation)
    if on <= due:
        return []
    reason = (f"A child in need has gone more than {period} without a supervision discussion "
              f"(since {since.isoformat()}, due by {due.isoformat()})")
    return [reason]
