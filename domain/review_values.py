"""Values of the practice Review aggregate (Working Together 2018, chapter 4; seed 004).

The enumerations, and the pure rules on a command's inputs that `domain.review.Review` applies
before it triggers an event (kept here so the aggregate stays readable). Enumerations are
`StrEnum` and compared with `==` / `in`: a snapshot restores them as plain str.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from domain.calendar import Nation
from domain.errors import require


class ReferralCategory(StrEnum):
    """Why a case was referred to the Practice Review sub-group (anyone may refer)."""

    SERIOUS_INCIDENT = "serious_incident"
    PRACTICE_CONCERN = "practice_concern"
    GOOD_PRACTICE = "good_practice"


class ReviewType(StrEnum):
    """The kind of review the sub-group holds."""

    RAPID_REVIEW = "rapid_review"
    LCSPR = "lcspr"  # local child safeguarding practice review
    THEMATIC = "thematic"
    GOOD_OUTCOME = "good_outcome"
    SINGLE_AGENCY = "single_agency"


class Step(StrEnum):
    """A statutory step of a serious incident with a deadline that can be breached."""

    PANEL_NOTIFICATION = "panel_notification"
    RAPID_REVIEW = "rapid_review"


class BreachVia(StrEnum):
    """How a breach came to be recorded."""

    LATE_STEP = "late_step"  # the step was done after its deadline, with a reason
    MISSED_DEADLINE = "missed_deadline"  # the deadline passed with the step not done


class ReviewStatus(StrEnum):
    REFERRED = "referred"
    RAPID_REVIEW_COMPLETED = "rapid_review_completed"
    LCSPR_COMMISSIONED = "lcspr_commissioned"
    LCSPR_NOT_COMMISSIONED = "lcspr_not_commissioned"
    CLOSED = "closed"


def given(text: str | None) -> bool:
    """Whether a piece of text was really given (not None, not blank)."""
    return text is not None and bool(text.strip())


def one_of(value: object, kind: type[StrEnum]) -> bool:
    """Whether `value` names a member of `kind` (works for plain str on Python 3.11)."""
    return isinstance(value, str) and value in {member.value for member in kind}


def check_lateness(due: date, done_on: date, late_reason: str | None, what: str) -> None:
    """A step done after its deadline needs a reason; one done in time takes none.

    `what` names the step as the start of a sentence, e.g. "A Panel notification made".
    """
    if done_on > due:
        rule = f"{what} after its deadline ({due}) needs a reason for the delay"
        require(given(late_reason), rule)
    else:
        require(
            late_reason is None, "A late reason is given only for a step done after its deadline"
        )


def check_referral(
    *, reference: str, referrer: str, summary: str, category: str, review_type: str,
    nation: str, became_aware_on: date | None, on: date,
) -> bool:
    """Refuse a referral that breaks a rule; return whether it is a serious incident."""
    require(given(reference), "A referral needs a review reference")
    require(given(referrer), "A referral names who referred it")
    require(given(summary), "A referral needs a summary")
    require(one_of(category, ReferralCategory), "A referral's category must be a known one")
    require(one_of(review_type, ReviewType), "A referral's review type must be a known one")
    require(one_of(nation, Nation), "A referral names the UK nation whose calendar applies")
    serious = category == ReferralCategory.SERIOUS_INCIDENT
    rapid = review_type == ReviewType.RAPID_REVIEW
    require(not serious or rapid, "A serious incident must be handled by a rapid review")
    require(serious or not rapid, "A rapid review is held only for a serious incident")
    require(
        not serious or became_aware_on is not None,
        "A serious incident needs the date the partnership became aware of it",
    )
    require(
        became_aware_on is None or became_aware_on <= on,
        "The partnership cannot have become aware after the referral was recorded",
    )
    return serious


def breach_entry(
    step: str, due: date | None, reason: str, via: BreachVia, on: date, done: bool
) -> dict[str, Any]:
    """One breached deadline, as the `breaches` query shows it."""
    return {
        "step": Step(step), "due": due, "reason": reason, "recorded_via": BreachVia(via),
        "recorded_on": on, "done_on": on if done else None,
    }


def not_done(items: dict[str, dict[str, Any]], id_key: str, done_key: str) -> list[dict[str, Any]]:
    """The items whose `done_key` is still empty, each with its id under `id_key`."""
    return [{id_key: key, **item} for key, item in items.items() if item[done_key] is None]


def status_of(
    *, closed: bool, rapid_review_done: bool, lcspr_decision: dict[str, Any] | None
) -> ReviewStatus:
    if closed:
        return ReviewStatus.CLOSED
    if lcspr_decision is not None:
        if lcspr_decision["commission"]:
            return ReviewStatus.LCSPR_COMMISSIONED
        return ReviewStatus.LCSPR_NOT_COMMISSIONED
    if rapid_review_done:
        return ReviewStatus.RAPID_REVIEW_COMPLETED
    return ReviewStatus.REFERRED


def check_completion(
    *, findings: str, rationale: str, outstanding: list[str], outstanding_reason: str | None
) -> None:
    """What a completed rapid review must record, given the requests still outstanding."""
    require(given(findings), "A completed rapid review records its findings")
    require(given(rationale), "A recommendation on an LCSPR needs its rationale")
    require(
        not outstanding or given(outstanding_reason),
        "A rapid review cannot be completed while requested agency information is outstanding, "
        "unless a reason is given",
    )
    require(
        bool(outstanding) or outstanding_reason is None,
        "A reason for outstanding information is given only when information is outstanding",
    )


def check_lcspr_terms(
    *, commission: bool, rationale: str, reviewer: str | None, scope: str | None,
    due_on: date | None, on: date,
) -> None:
    """A commissioned LCSPR has a reviewer, a scope and a due date; a declined one has none."""
    require(given(rationale), "A decision on an LCSPR needs its rationale")
    if commission:
        rule = "A commissioned LCSPR needs a reviewer and a scope"
        require(given(reviewer) and given(scope), rule)
        require(due_on is None or due_on >= on, "An LCSPR cannot be due before it was commissioned")
    else:
        require(
            reviewer is None and scope is None and due_on is None,
            "A decision not to commission an LCSPR names no reviewer, scope or due date",
        )


def check_carry_over(open_ids: list[str], carried: dict[str, str]) -> None:
    """Closing names every open recommendation, and only those, with a reason to carry it over."""
    require(
        all(rid in open_ids for rid in carried),
        "Only an open recommendation of this review can be carried over",
    )
    require(
        all(given(carried.get(rid)) for rid in open_ids),
        "A review cannot close with open recommendations unless each is carried over with a reason",
    )


def check_missed_deadline(
    *, due: date | None, reason: str, done: bool, recorded: bool, on: date
) -> None:
    """A missed deadline is recorded once, after it passed, for a step not done."""
    require(due is not None, "A breach can be recorded only for a step with a deadline")
    require(given(reason), "A breach needs a reason")
    require(
        due is not None and on > due,
        "A missed deadline can be recorded only after the deadline has passed",
    )
    require(not done, "A missed deadline cannot be recorded for a step already done")
    require(not recorded, "A breach is recorded only once for each step")


def check_new_item(
    item_id: str, known: dict[str, Any], due_on: date, on: date, what: str, **texts: str
) -> None:
    """A new information request or recommendation: a fresh id, its texts, a due date ahead.

    `what` names the item ("An information request"); `texts` are its required text fields.
    """
    require(given(item_id), f"{what} needs an id")
    require(item_id not in known, f"{what} id is used only once on a review")
    for name, text in texts.items():
        require(given(text), f"{what} needs its {name.replace('_', ' ')}")
    require(due_on >= on, f"{what} cannot be due before it was made")


def check_review_open(closed: bool) -> None:
    """A closed review takes no command; the review and its rapid-review process ask this."""
    require(not closed, "A closed review takes no further commands")
