"""What was known when, and what had happened by when.

Every event has two times: `timestamp`, when it was recorded, and `occurred_on`, when the fact
happened (given to the command). A fact can be recorded late, so the two orders differ:
- *as known at* T: the events recorded by T. They are a prefix of the record's history, so this
  is the library's versioned load (snapshots included).
- *as happened by* T: the events whose fact occurred by T, applied in recorded order. The
  events left out break the version sequence, so they are applied without the sequence check.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any


def known_at(events: Sequence[Any], instant: datetime) -> Any | None:
    """The record as its recorded events stood at `instant`; None if nothing was recorded yet."""
    return replay([e for e in events if e.timestamp <= instant])


def happened_by(events: Sequence[Any], instant: datetime) -> Any | None:
    """The record with every fact that had occurred by `instant`, whenever it was recorded."""
    return replay([e for e in events if e.occurred_on <= instant])


def replay(events: Sequence[Any]) -> Any | None:
    """Apply events in order, tolerating gaps in the version sequence left by a filter.

    None when the events do not include the record's creation.
    """
    aggregate = None
    for domain_event in events:
        if aggregate is None:
            if domain_event.originator_version != 1:
                return None
            aggregate = domain_event.mutate(None)
            continue
        domain_event.apply(aggregate)
        aggregate.version = domain_event.originator_version
        aggregate.modified_on = domain_event.timestamp
    return aggregate


def entered_late(occurred_on: datetime, recorded: datetime) -> bool:
    """A late entry: recorded on a later day than the fact happened (dates in UTC)."""
    return recorded.astimezone(UTC).date() > occurred_on.astimezone(UTC).date()


def state_of(aggregate: Any) -> dict[str, Any]:
    """The record's state as plain fields (the library's private names without underscores)."""
    return {name.lstrip("_"): value for name, value in vars(aggregate).items()
            if name != "_pending_events"}


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested dicts and lists as dotted paths, so two states can be compared field by field."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return {prefix: value}
    flat: dict[str, Any] = {}
    for key, inner in items:
        flat.update(flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def diff(before: Any | None, after: Any | None) -> list[tuple[str, Any, Any]]:
    """What changed between two states of a record: (field path, before, after), in order."""
    old = flatten(state_of(before)) if before is not None else {}
    new = flatten(state_of(after)) if after is not None else {}
    paths = sorted(set(old) | set(new))
    return [(p, old.get(p), new.get(p)) for p in paths if old.get(p) != new.get(p)]
