"""Which supervision records a replacement supervisor may see, for a case and for a supervision
arrangement alike (seed 002, 'Practicalities'): "Should the supervisor leave, then the
replacement would have access to the previous six month's records."

One pure function, so the API's policy, the read models and the pages ask the same question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from domain.policy import Period


def earliest_visible(spells: Sequence[Mapping[str, Any]], supervisor: str,
                     lookback: Period) -> date | None:
    """The earliest date of the supervision records `supervisor` may see, given the record's
    supervisors in order (each `{"supervisor", "from", ...}`); None when no limit applies: they
    supervised it from the start, or they are not one of its supervisors.

    A replacement sees `lookback` before they (last) took the record over, and everything since.
    """
    mine = [index for index, spell in enumerate(spells) if spell["supervisor"] == supervisor]
    if not mine or mine[0] == 0:
        return None
    return lookback.before(spells[mine[-1]]["from"])
