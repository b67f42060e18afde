"""When facts were entered, as a scenario says.

Every event has two times: `occurred_on`, when the fact happened (the command's `at`), and
`timestamp`, when it was recorded, stamped by the library's clock. A read model that tells a
fact entered late from one entered in time reads `timestamp`, so a scenario about late entry
sets it: `entered_on(moment)` for what the application saves in a block, `as_it_happened`
for records built in memory whose facts were each entered the moment they happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from unittest import mock

from domain.record import Record

CLOCK = "eventsourcing.domain.datetime_now_with_tzinfo"
"""The library's clock: every event's `timestamp` is read from it when the event is made."""


@contextmanager
def entered_on(moment: datetime) -> Iterator[None]:
    """Within the block, every fact recorded is entered at `moment`."""
    with mock.patch(CLOCK, lambda: moment):
        yield


def as_it_happened(*records: Record) -> tuple[Record, ...]:
    """The records, each pending fact stamped as entered when it happened."""
    for record in records:
        for event in record.pending_events:
            _stamp(event, event.occurred_on)
    return records


def _stamp(event: Any, moment: datetime) -> None:
    object.__setattr__(event, "timestamp", moment)  # events are frozen once made
