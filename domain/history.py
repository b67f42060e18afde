"""What was known when, and what had happened by when.

Every event has two times: `timestamp`, when it was recorded, and `occurred_on`, when the fact
happened (given to the command). A fact can be recorded late, so the two orders differ:
- *as known at* T: the events recorded by T. They are a prefix of the record's history, so the
  store can start from the latest snapshot taken by T and read on only until T
  (`recorded_state_at`).
- *as happened by* T: the events whose fact occurred by T, applied in recorded order. The
  events left out break the version sequence, so they are applied without the sequence check.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from eventsourcing.domain import CanMutateAggregate, DecoratedFuncCaller, decorated_funcs


def known_at(events: Sequence[Any], instant: datetime) -> Any | None:
    """The record as its recorded events stood at `instant`; None if nothing was recorded yet."""
    return replay([e for e in events if e.timestamp <= instant])


def recorded_state_at(app: Any, record_id: Any, instant: datetime) -> Any | None:
    """The record as known at `instant`, read from the application's store: from the latest
    snapshot taken by then (when the store snapshots), then the events after it, decoded
    only until the first one recorded after `instant`. The same state as
    `known_at(every event, instant)` (tests/domain/test_history.py), without the rest.

    The events are read by the store's checked read (the hash chain's read-time check covers
    them): when the store snapshots, a snapshot interval at a time, so an instant early in a
    long history reads about one interval of events past its snapshot; otherwise in one piece.
    (`app` is an `Assured`, typed loosely: the application's module imports the domain's, not
    this one.)
    """
    aggregate = _snapshot_at(app, record_id, instant)
    page = (max(getattr(app, "snapshotting_intervals", {}).values(), default=None)
            if app.snapshots is not None else None)
    after, last = aggregate.version if aggregate else 0, None
    appliers, kind, func, names = _APPLIERS, None, None, ()
    while True:
        read, events = _events_after(app, record_id, after, after + page if page else None)
        for event in events:
            if event.timestamp > instant:
                return _at(aggregate, last)
            if aggregate is None:
                if event.originator_version != 1:
                    return None
                aggregate = event.mutate(None)
            else:
                if type(event) is not kind:  # (a record's events come mostly in runs)
                    kind = type(event)
                    func, names = appliers.get(kind) or appliers.setdefault(kind, _applier(kind))
                if func is None:
                    event.apply(aggregate)
                else:
                    fields = event.__dict__
                    try:
                        arguments = {n: fields[n] for n in names}
                    except KeyError:  # (an older event may lack one that has a default)
                        arguments = {n: fields[n] for n in names if n in fields}
                    func(aggregate, **arguments)
            last = event
        if not page or read < page:
            return _at(aggregate, last)
        after += page


def _events_after(app: Any, record_id: Any, after: int, up_to: int | None
                  ) -> tuple[int, Iterable[Any]]:
    """How many events the store read after version `after` (up to `up_to`), and those events,
    decoded as they are asked for. A store whose checked read can answer rows
    (infra/recorder.py) has them decoded straight from those, without a stored event object
    for each (a tenth of a long record's replay)."""
    read_rows = getattr(app.recorder, "select_checked_rows", None)
    decode_rows = getattr(app.mapper, "decode_rows", None)
    if read_rows is not None and decode_rows is not None:
        rows = read_rows(record_id, gt=after, lte=up_to)
        return len(rows), decode_rows(record_id, rows)
    items = app.recorder.select_events(record_id, gt=after, lte=up_to)
    return len(items), map(app.mapper.to_domain_event, items)


def _applier(cls: type) -> tuple[Callable[..., None] | None, tuple[str, ...]]:
    """How an event of class `cls` changes its record, as `event.apply(record)` does: the
    method to call with the record and the names of its arguments, or (None, ()) for
    `event.apply` itself.

    An event made by the library's `@event` decorator applies itself by calling the decorated
    method with the event's fields that the method names, found per event by its signature;
    here the method and its names are found once per class, and the method called directly
    (the replay of a long record spent about a third of its time applying). Any event whose
    class (or a base) defines `apply` of its own is applied by `event.apply`.
    """
    func = decorated_funcs.get(cls)
    own = [k for k in cls.__mro__ if "apply" in vars(k)
           and k not in (DecoratedFuncCaller, CanMutateAggregate)]
    if func is None or own or not issubclass(cls, DecoratedFuncCaller):
        return None, ()
    return func, tuple(n for n in inspect.signature(func).parameters if n != "self")


_APPLIERS: dict[type, tuple[Callable[..., None] | None, tuple[str, ...]]] = {}
"""Each event class's `_applier`, found on its first replay."""


def _at(aggregate: Any | None, last: Any | None) -> Any | None:
    """The record's version and time as of the `last` event applied (set once, not per event)."""
    if aggregate is not None and last is not None:
        aggregate.version = last.originator_version
        aggregate.modified_on = last.timestamp
    return aggregate


def _snapshot_at(app: Any, record_id: Any, instant: datetime) -> Any | None:
    """The record from its latest snapshot taken by `instant`; None without one.

    Snapshots are encrypted. A store that keeps each snapshot's time in plain as well
    (infra/persistence.py: `select_taken_by`) names the latest taken by then in one query;
    otherwise the latest is tried first (an instant after it is the common case). Either way
    the snapshot is opened and its own time checked: one taken after the instant (a snapshot
    without a plain time, or a plain time that lies) sends the search below it, a binary
    search over versions, one snapshot fetched and decoded per step (never all of them: each
    holds a whole record). A plain time that names too early a snapshot costs only the replay
    of the events after it.
    """
    if app.snapshots is None:
        return None
    recorder = app.snapshots.recorder

    def latest(up_to: int | None) -> Any | None:
        found = recorder.select_events(record_id, lte=up_to, desc=True, limit=1)
        return app.mapper.to_domain_event(found[0]) if found else None

    taken_by = getattr(recorder, "select_taken_by", None)
    if taken_by is not None:
        found = taken_by(record_id, instant)
        snapshot = app.mapper.to_domain_event(found) if found is not None else None
    else:
        snapshot = latest(None)
    if snapshot is None or _taken_by(snapshot, instant):
        return snapshot.mutate(None) if snapshot is not None else None
    # Snapshots lie about `step` versions apart: search in steps (each probe takes the latest
    # at or below its version, so one taken off the steps is still found).
    step = max(getattr(app, "snapshotting_intervals", {}).values(), default=1) or 1
    best, low, high = None, 1, (snapshot.originator_version - 1) // step
    while low <= high:
        middle = (low + high) // 2
        candidate = latest(middle * step)
        if candidate is None:
            low = middle + 1
        elif _taken_by(candidate, instant):
            best, low = candidate, middle + 1
        else:
            high = (candidate.originator_version - 1) // step
    if best is None and step > 1:  # any below the first step
        best = latest(step - 1)
        best = best if best is not None and _taken_by(best, instant) else None
    return best.mutate(None) if best is not None else None


def _taken_by(snapshot: Any, instant: datetime) -> bool:
    """Whether the snapshot's state was known at `instant`. (A snapshot's own timestamp is
    when it was taken; the state's `modified_on` is its last event's.)"""
    return bool(snapshot.state["_modified_on"] <= instant)


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
