"""Values of a multi-agency audit (`domain.audit.AuditRecord`) and the checks on them.

From seeds 003 and 004. The checks are pure functions raising `RuleBroken` through `require`.

Enumerations are `StrEnum`: state stores them and compares them with `==` / `in`, because a
snapshot restores them as plain strings.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from domain.errors import require


class AuditDimension(StrEnum):
    """Seed 004's three dimensions of safeguarding effectiveness."""

    SINGLE_AGENCY = "single_agency"
    MULTI_AGENCY = "multi_agency"
    PARTNERSHIP = "partnership"


class AuditType(StrEnum):
    """The kinds of audit in seed 004's framework."""

    MULTI_AGENCY_PRACTICE = "multi_agency_practice"
    SECTION_11 = "section_11"
    SINGLE_AGENCY = "single_agency"
    SCHOOLS = "schools"


class Grade(StrEnum):
    """How an agency's return grades supervision and management oversight (Ofsted's scale)."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"


class Risk(StrEnum):
    """A case's level of risk; seed 003 (aim 2) audits high, medium and escalating risk cases."""

    HIGH = "high"
    MEDIUM = "medium"
    ESCALATING = "escalating"
    LOW = "low"


AUDITABLE_RISKS = (Risk.HIGH, Risk.MEDIUM, Risk.ESCALATING)


class SelectionMethod(StrEnum):
    RANDOM = "random"
    RISK = "risk"


class ReturnStatus(StrEnum):
    REQUESTED = "requested"
    SUBMITTED = "submitted"


class AuditStage(StrEnum):
    """The steps of an audit, in the only order they may happen."""

    PLANNED = "planned"
    CASES_SELECTED = "cases_selected"
    RETURNS_REQUESTED = "returns_requested"
    MODERATED = "moderated"
    FINDINGS_RECORDED = "findings_recorded"
    REPORTED = "reported"
    ACTIONS_AGREED = "actions_agreed"
    CLOSED = "closed"


STAGES: list[AuditStage] = list(AuditStage)

STEP_ORDER = (
    "an audit's steps run in order: plan, select cases, request returns, moderate, "
    "record findings, report, agree actions, close"
)

# Seed 004: "Non-compliance escalated to Safeguarding Operational sub-group."
ESCALATION_GROUP = "Safeguarding Operational Sub-Group"


def is_one_of(value: object, kind: type[StrEnum]) -> bool:
    """Whether `value` is a value of `kind` (Python 3.11's `in` raises on a plain string)."""
    return isinstance(value, str) and value in {member.value for member in kind}


def names(kind: type[StrEnum]) -> str:
    """The values of `kind` as a phrase for a rule message."""
    values = [member.value for member in kind]
    return ", ".join(values[:-1]) + " or " + values[-1]


def new_return(requested_on: datetime) -> dict:
    """An agency's return as state holds it when requested (`last_on`: its latest fact)."""
    return {
        "status": ReturnStatus.REQUESTED, "requested_on": requested_on, "chased_on": [],
        "supervision_grade": None, "oversight_grade": None, "evidence": None,
        "submitted_on": None, "escalated_on": None, "escalated_to": None,
        "last_on": requested_on,
    }


# What each step is called in a rule message, and the step it must follow.
STEPS: dict[str, tuple[str, str]] = {
    AuditStage.CASES_SELECTED: ("Selecting cases", "the plan"),
    AuditStage.RETURNS_REQUESTED: ("Requesting returns", "case selection"),
    AuditStage.MODERATED: ("Moderation", "returns are requested"),
    AuditStage.FINDINGS_RECORDED: ("Recording findings", "moderation"),
    AuditStage.REPORTED: ("Reporting", "findings are recorded"),
    AuditStage.ACTIONS_AGREED: ("Agreeing actions", "the audit is reported"),
    AuditStage.CLOSED: ("Closing", "actions are agreed"),
}


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_day(value: object) -> bool:
    # A datetime is a date too, but cannot be compared with one.
    return isinstance(value, date) and not isinstance(value, datetime)


def check_plan(theme: str, dimension: str, audit_type: str, year: int, planned: date) -> None:
    require(is_text(theme), "An audit needs a theme")
    require(is_one_of(dimension, AuditDimension),
            f"An audit's dimension is one of {names(AuditDimension)}")
    require(is_one_of(audit_type, AuditType), f"An audit's type is one of {names(AuditType)}")
    require(is_whole(year) and year >= planned.year,
            "An audit's year is a calendar year, not before the year it is planned in")


def check_agencies(agencies: list[str]) -> None:
    require(len(agencies) > 0, "An audit names at least one agency")
    require(all(is_text(a) for a in agencies), "Each agency taking part in an audit is named")
    folded = [a.strip().casefold() for a in agencies]
    require(len(set(folded)) == len(folded), "An agency takes part in an audit once")


def check_case_ids(case_ids: list[str]) -> None:
    require(all(is_text(c) for c in case_ids), "A case is referred to by its id, never blank")
    require(len(set(case_ids)) == len(case_ids), "A case is listed once in a selection")


def check_actions(actions: list[dict], agreed: date) -> None:
    require(len(actions) > 0, "Agreeing actions needs at least one action")
    for item in actions:
        require(
            is_text(item.get("action")) and is_text(item.get("owner"))
            and is_day(item.get("due_on")),
            "Each agreed action names the action, its owner and a due date (due_on)",
        )
        require(item["due_on"] >= agreed, "An agreed action cannot be due before it is agreed")


def check_next_step(reached: AuditStage, step: AuditStage) -> None:
    """Refuse `step` unless the audit has reached the step just before it."""
    doing, previous = STEPS[step]
    done, wanted = STAGES.index(reached), STAGES.index(step)
    require(done < wanted, f"{doing} happens once in an audit; {STEP_ORDER}")
    require(done == wanted - 1, f"{doing} must come after {previous}; {STEP_ORDER}")


def check_returns_open(reached: AuditStage) -> None:
    """Returns change only between the request and moderation."""
    require(
        STAGES.index(reached) >= STAGES.index(AuditStage.RETURNS_REQUESTED),
        f"A return is chased, submitted or escalated only after returns are requested; "
        f"{STEP_ORDER}",
    )
    require(reached == AuditStage.RETURNS_REQUESTED,
            "Returns are settled once the audit has been moderated")


def check_risk_selection(candidates: list[dict], sample_size: int) -> None:
    """Seed 003, aim 2: the audit covers high, medium and escalating risk cases, never low."""
    check_case_ids([c.get("case_id") for c in candidates])
    require(all(is_one_of(c.get("risk"), Risk) for c in candidates),
            f"A case's risk is one of {names(Risk)}")
    require(all(c["risk"] in AUDITABLE_RISKS for c in candidates),
            "Only high, medium or escalating risk cases may be chosen for an audit")
    require(len(candidates) == sample_size,
            "A selection by risk chooses exactly the audit's sample size of cases")


def check_grades(supervision_grade: str, oversight_grade: str) -> None:
    require(is_one_of(supervision_grade, Grade) and is_one_of(oversight_grade, Grade),
            f"Supervision and management oversight are each graded {names(Grade)}")


def check_audit_open(closed: bool) -> None:
    """A closed audit takes no command; the audit and its cycle process ask this alike."""
    require(not closed, "A closed audit refuses further commands")
