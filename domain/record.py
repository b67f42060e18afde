"""The base of every Assured aggregate.

Every event carries `actor` (who gave the command) and `occurred_on` (when the fact happened, as
the command was told). The library stamps `timestamp`, the instant the event was recorded. The
two times are what let an auditor ask "what was known by then" and "what had happened by then".

Aggregate state holds only JSON-friendly values (str, int, bool, None, date, datetime, UUID,
lists and str-keyed dicts of them), so a snapshot restores exactly the same state.
Enumerations are `StrEnum` and are compared with `==`, never `is`, because a snapshot
restores them as plain strings.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.errors import require


def natural_id(kind: str, key: str) -> UUID:
    """A stable id from a business key, reused later as the Temporal workflow id."""
    return uuid5(NAMESPACE_URL, f"assured:{kind}:{key}")


def check_instant(at: datetime) -> None:
    require(at.tzinfo is not None, "A time given to a command must carry its time zone")


class Record(Aggregate):
    """An Assured aggregate: opened at an instant, by a person.

    Subclasses set `self.opened_on` in their created event. (No class annotation: the library
    would take an annotation on an aggregate class for a field of its created event.)
    """

    def check_after_opening(self, at: datetime) -> None:
        """Refuse facts dated before the record was opened: history must read forwards."""
        check_instant(at)
        require(at >= self.opened_on, "A fact cannot be dated before its record was opened")
