"""The auditor's replay: a record's full history, its state at an instant, and what changed.

The state *as known at* T uses the events recorded by T; *as happened by* T uses the events whose
fact had happened by T (see `domain/history.py`). Output as text, JSON or PDF. The API and the
pages call `build_history`; the CLI calls it too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from projections.reports.readable import event_name, field_name, readable
from domain.application import AGGREGATE_KINDS, Assured
from domain.errors import RecordNotFound
from domain.history import diff, entered_late, happened_by, known_at, state_of

_ALWAYS = datetime.max.replace(tzinfo=UTC)
"""Later than any event was recorded: a difference left open at its end runs to now."""

HIDDEN = {"originator_id", "originator_version", "originator_topic", "timestamp", "actor",
          "occurred_on"}


@dataclass
class EventLine:
    version: int
    what: str
    by: str
    happened: str
    recorded: str
    details: dict[str, str]
    happened_at: datetime | None = None
    recorded_at: datetime | None = None
    late: bool = False
    """Entered late: recorded on a later day than it happened."""


@dataclass
class History:
    kind: str
    record_id: str
    events: list[EventLine]
    state_label: str | None = None
    state: dict[str, str] | None = None
    changes: list[dict[str, str]] = field(default_factory=list)
    changes_label: str | None = None


def describe(event: Any) -> EventLine:
    details = {field_name(k): readable(v) for k, v in vars(event).items() if k not in HIDDEN}
    return EventLine(event.originator_version, event_name(event), event.actor,
                     readable(event.occurred_on), readable(event.timestamp), details,
                     event.occurred_on, event.timestamp,
                     entered_late(event.occurred_on, event.timestamp))


def readable_state(aggregate: Any | None) -> dict[str, str] | None:
    if aggregate is None:
        return None
    return {field_name(k): readable(v) for k, v in state_of(aggregate).items()}


def build_history(app: Assured, kind: str, record_id: UUID, *,
                  as_known_at: datetime | None = None, as_happened_by: datetime | None = None,
                  between: tuple[datetime | None, datetime | None] | None = None,
                  hidden: set[str] | None = None,
                  shown: Callable[[Any], bool] | None = None) -> History:
    """Everything asked of one record's history; RecordNotFound if it is not of that kind.

    `hidden` fields are left out everywhere (events, states, changes); `shown` keeps only the
    events a caller may see (both come from the access policy).
    """
    record_class = AGGREGATE_KINDS.get(kind)
    if record_class is None:
        raise RecordNotFound(f"No kind of record called {kind!r}")
    app.load(record_id, record_class)
    events = [e for e in app.stored_events(record_id) if shown is None or shown(e)]
    history = _history(kind, record_id, events, as_known_at, as_happened_by, between)
    return _without(history, hidden or set())


def _without(history: History, hidden: set[str]) -> History:
    if not hidden:
        return history
    for line in history.events:
        line.details = {k: v for k, v in line.details.items() if k not in hidden}
    if history.state is not None:
        history.state = {k: v for k, v in history.state.items() if k not in hidden}
    history.changes = [c for c in history.changes if c["field"].split(".")[0] not in hidden]
    return history


def _history(kind: str, record_id: UUID, events: list[Any], as_known_at: datetime | None,
             as_happened_by: datetime | None,
             between: tuple[datetime | None, datetime | None] | None) -> History:
    history = History(kind, str(record_id), [describe(e) for e in events])
    if as_known_at is not None:
        history.state_label = f"As known at {readable(as_known_at)}"
        history.state = readable_state(known_at(events, as_known_at))
    elif as_happened_by is not None:
        history.state_label = f"As it had happened by {readable(as_happened_by)}"
        history.state = readable_state(happened_by(events, as_happened_by))
    if between is not None:
        first, second = between
        history.changes_label = (
            "Changes in what was known between "
            f"{readable(first) if first else 'the record’s beginning'} and "
            f"{readable(second) if second else 'now'}")
        before = known_at(events, first) if first else None
        after = known_at(events, second or _ALWAYS)
        history.changes = [
            {"field": field_name(path), "before": readable(old), "after": readable(new)}
            for path, old, new in diff(before, after)
        ]
    return history


def print_history(history: History, console: Any) -> None:
    from rich.table import Table

    table = Table(title=f"History of {history.kind} {history.record_id}", title_justify="left")
    for column in ("#", "what", "by", "happened", "recorded", "details"):
        table.add_column(column)
    for e in history.events:
        table.add_row(str(e.version), e.what, e.by, e.happened, e.recorded,
                      "; ".join(f"{k}: {v}" for k, v in e.details.items()))
    console.print(table)
    if history.state_label:
        console.print(f"\n[bold]{history.state_label}[/bold]")
        for name, value in (history.state or {"": "the record did not exist yet"}).items():
            console.print(f"  {name}: {value}")
    if history.changes_label:
        console.print(f"\n[bold]{history.changes_label}[/bold]")
        for change in history.changes or [{"field": "nothing changed", "before": "",
                                           "after": ""}]:
            console.print(f"  {change['field']}: {change['before']} -> {change['after']}")


def as_json(history: History) -> str:
    return json.dumps(asdict(history), indent=2, ensure_ascii=False, default=str)


def as_html(history: History) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    templates = Environment(loader=PackageLoader("projections", "reports/templates"),
                            autoescape=select_autoescape())
    return templates.get_template("history.html").render(history=history)


def as_pdf(history: History) -> bytes:
    from projections.reports.fetching import render_pdf

    return render_pdf(as_html(history), variant="pdf/ua-1")  # tagged, for screen readers
