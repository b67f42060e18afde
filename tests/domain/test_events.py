"""Every event of every aggregate says who acted and when the fact happened."""

from __future__ import annotations

import dataclasses

import pytest

from domain.application import AGGREGATE_KINDS


def event_classes() -> list[type]:
    found = []
    for kind in AGGREGATE_KINDS.values():
        for value in vars(kind).values():
            generic = (kind.Event, kind.Created)  # the library's bases, never triggered
            if isinstance(value, type) and issubclass(value, kind.Event) and value not in generic:
                found.append(value)
    return found


def test_every_aggregate_has_events() -> None:
    assert len(event_classes()) > 60


@pytest.mark.parametrize("event_class", event_classes(), ids=lambda c: c.__qualname__)
def test_event_carries_actor_and_occurrence(event_class: type) -> None:
    fields = {f.name for f in dataclasses.fields(event_class)}
    assert {"actor", "occurred_on", "timestamp"} <= fields
