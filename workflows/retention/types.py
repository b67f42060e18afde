"""The retention process's inputs, answers and state (plain dataclasses: Temporal payloads)."""

from __future__ import annotations

from dataclasses import dataclass, field

PROCESS = "retention"
RETENTION_ID = "retention"
"""The scheduled runs' workflow id (Temporal appends the scheduled time)."""


@dataclass
class RetentionInput:
    approver_role: str = "data_protection_officer"
    """The named role whose approval the erasures wait for (setting ASSURED_RETENTION_APPROVER)."""
    approval_days: int = 30
    """How long the listing waits for approval before the run ends, erasing nothing."""


@dataclass
class Due:
    """A record past its retention period: its id, kind and the last day it was to be kept."""

    record_id: str
    kind: str
    kept_until: str


@dataclass
class Listing:
    due: list[Due] = field(default_factory=list)
    next_due: str | None = None
    """The earliest day a record not yet due falls due (the run waits for it)."""


@dataclass
class Approval:
    """Who approves the listed erasures, and in which role (the API fills both in)."""

    by: str
    role: str


@dataclass
class RetentionOutcome:
    erased: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    """Listed, but refused at erasure: a legal hold was placed meanwhile."""
    approved_by: str | None = None
