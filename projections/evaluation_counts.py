"""What the partnership sees of supervisees' evaluations of their supervision (seed 003,
Appendix I): counts per agency and statement, only for an agency where at least five people
answered (`domain.evaluation_values.shown`); smaller counts are suppressed, not shown as a
number. No answer, name or free text reaches this list. Reads the scorecard's tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from psycopg import Connection

from domain.evaluation_values import (
    SMALLEST_COUNT,
    STATEMENTS,
    able_to_raise_concerns,
    shown,
    tally,
)

READ_MODELS = ("scorecard",)


@dataclass(frozen=True)
class StatementCount:
    number: int
    statement: str
    yes: int
    no: int
    maybe: int


@dataclass
class AgencyCounts:
    agency: str
    suppressed: bool
    answered: int | None  # None when suppressed: fewer than SMALLEST_COUNT answered
    able_to_raise_concerns: int | None
    statements: list[StatementCount] = field(default_factory=list)

    @property
    def note(self) -> str:
        return f"fewer than {SMALLEST_COUNT} answers: suppressed" if self.suppressed else ""


def counts_by_agency(conn: Connection[Any], start: date, end: date) -> list[AgencyCounts]:
    """Each agency's counts over evaluations answered from `start` to `end`, by agency name."""
    names = [name for name, _ in STATEMENTS]
    by_agency: dict[str, list[dict[str, str]]] = {}
    for agency, answers in conn.execute(
            "SELECT agency, answers FROM scorecard_evaluation WHERE answered_on BETWEEN %s AND "
            "%s ORDER BY agency", (start, end)):
        by_agency.setdefault(agency, []).append(dict(zip(names, answers.split(","),
                                                         strict=False)))
    found = []
    for agency, sets in sorted(by_agency.items()):
        if not shown(len(sets)):
            found.append(AgencyCounts(agency, True, None, None))
            continue
        counts = tally(sets)
        found.append(AgencyCounts(agency, False, len(sets),
                                  sum(able_to_raise_concerns(a) for a in sets),
                                  [StatementCount(n, text, **counts[name])
                                   for n, (name, text) in enumerate(STATEMENTS, start=1)]))
    return found
