"""When something asked of a person is met, due or overdue: the one definition.

The caseload, the register, operations staff's view of the processes, the metrics and each
person's My work all ask `due_state`, so nothing is overdue in one place and on time in another.
A due date is met by anything done that day; it is overdue from the day after.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class DueState(StrEnum):
    MET = "met"
    BREACHED = "breached"  # done late, or recorded as missed by its process
    DUE = "due"            # not done, its date not passed
    OVERDUE = "overdue"    # not done, its date passed


def due_state(due_on: date | None, on: date, *, done: bool = False,
              done_on: date | None = None, breached: bool = False) -> DueState:
    """The state on `on` of a step due on `due_on` (None: no date set yet).

    `done` says it was done by `on` without a date to judge lateness by; `done_on` gives that
    date (a step done after `on` is not done yet as of `on`); `breached` says its process
    recorded it missed (a breach withdrawn by a late entry is not passed in).
    """
    finished = done or (done_on is not None and done_on <= on)
    if finished:
        late = breached or (done_on is not None and due_on is not None and done_on > due_on)
        return DueState.BREACHED if late else DueState.MET
    if breached:
        return DueState.BREACHED
    return DueState.OVERDUE if due_on is not None and on > due_on else DueState.DUE
