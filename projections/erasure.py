"""An erased data subject's rows leave the read tables (UK GDPR Art. 17).

Each read model that keeps rows about a Safeguarder or a child's case handles their record's
`Erased` event by forgetting every row keyed by the record's id (`Page.forget`), in the same
transaction as its position. A rebuild replays the record's events, whose personal fields
then read "[erased]", and forgets the rows again at the erasure: the tables come out the same.

The scorecard keeps its rows: codes, dates and counts only, no personal data, and the
quarters already reported must keep adding up.
"""

from __future__ import annotations

from typing import Any

from domain.subjects import DataSubject
from projections.page import Page


def forget_subject(page: Page, event: Any, column: str, tables: tuple[str, ...]) -> None:
    page.forget(tables, column, event.originator_id)

# The erasure is an event of every subject's kind alike (its topic names DataSubject): each
# read model forgets the rows keyed by the erased record's id, and another kind's erasure
# matches none of its rows.
SubjectEvents: Any = DataSubject
