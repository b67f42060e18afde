"""The reminders process's input and answer (plain dataclasses: Temporal payloads)."""

from __future__ import annotations

from dataclasses import dataclass

PROCESS = "reminders"
REMINDERS_ID = "reminders"
"""The scheduled runs' workflow id (Temporal appends the scheduled time)."""


@dataclass
class RemindersInput:
    day: str | None = None
    """The day to remind for (ISO); None: the day the run was scheduled (its clock's)."""


@dataclass
class Mailed:
    """What one day's run sent: counts only (nothing about the items)."""

    reminders: int = 0
    overdue: int = 0
    digests: int = 0
    already_sent: int = 0
