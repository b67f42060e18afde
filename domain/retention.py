"""When a data subject's record has been kept long enough (its retention period, in
`domain.policy`), as one pure function: the retention process (workflows/retention) asks it.

- a Safeguarder: `safeguarder_retention` (6 years) after the record closed (a local schedule:
  the ICO sets no period);
- a child's case: `case_retention` (25 years) after the case closed (a local schedule);
- a Scottish looked-after child's case: to the child's 100th birthday (The Looked After
  Children (Scotland) Regulations 2009, reg. 11).

Assured holds a child by a pseudonymous reference, never a date of birth, so a Scottish
looked-after child's case has no date here on which it falls due: it is never listed by the
retention process, only erased on request (where reg. 11 allows). An open record, or a record
under legal hold, is never due.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import Nation
from domain.case import Case
from domain.case_values import LegalStatus
from domain.policy import Policy
from domain.safeguarder import Safeguarder
from domain.safeguarder_values import CLOSED
from domain.subjects import DataSubject


def kept_until(record: DataSubject, closed_on: datetime | None, policy: Policy) -> date | None:
    """The last day the record is kept, or None if no date is set (open, held, erased, or kept
    to a birthday Assured does not hold). `closed_on`: when its closing fact happened."""
    if isinstance(record, Safeguarder):
        closed, nation, legal_status = record.status in CLOSED, None, None
    elif isinstance(record, Case):
        closed, nation, legal_status = bool(record.closed), record.nation, record.legal_status
    else:
        return None
    return kept_until_of(record.subject_kind, closed=closed, closed_on=closed_on,
                         held=record.legal_hold is not None,
                         erased=record.erased_on is not None, nation=nation,
                         legal_status=legal_status, policy=policy)


def kept_until_of(kind: str, *, closed: bool, closed_on: datetime | None, held: bool,
                  erased: bool, nation: str | None, legal_status: str | None,
                  policy: Policy) -> date | None:
    """`kept_until` from the facts it needs, as a read table keeps them
    (projections/retention_subjects.py): the one statement of the rule."""
    if closed_on is None or held or erased or not closed:
        return None
    if kind == Safeguarder.subject_kind:
        return policy.safeguarder_retention.after(closed_on.date())
    if kind == Case.subject_kind:
        if nation == Nation.SCT and legal_status == LegalStatus.LOOKED_AFTER:
            return None  # to the 100th birthday (reg. 11): no date of birth is held
        return policy.case_retention.after(closed_on.date())
    return None


def past_retention(record: DataSubject, closed_on: datetime | None, policy: Policy,
                   today: date) -> bool:
    until = kept_until(record, closed_on, policy)
    return until is not None and today > until
