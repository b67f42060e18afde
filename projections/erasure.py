"""An erased data subject's rows leave the read tables (UK GDPR Art. 17).

Each read model that keeps rows about a Safeguarder or a child's case handles their record's
`Erased` event by forgetting every row keyed by the record's id (`Page.forget`), in the same
transaction as its position. A rebuild replays the record's events, whose personal fields
then read "[erased]", and forgets the rows again at the erasure: the tables come out the same.

A person who gave feedback is a subject too: the rows about them (their submission) go, and
their words in the Safeguarder's file and evidence pack read "[erased]" (`erase_words`).

The scorecard keeps its rows: codes, dates and counts only, no personal data, and the
quarters already reported must keep adding up.
"""

from __future__ import annotations

from typing import Any

from domain.subjects import DataSubject
from projections.page import Page
from projections.sealing import erased


def forget_subject(page: Page, event: Any, column: str, tables: tuple[str, ...]) -> None:
    page.forget(tables, column, event.originator_id)


def erase_words(page: Page, event: Any, words: dict[str, tuple[str, ...]]) -> None:
    """A person who gave feedback was erased: their words in rows kept about someone else
    (`words`: each table's sealed columns holding them, found by the table's `giver_id`)
    now read "[erased]", as a rebuild, replaying the words as erased, writes them."""
    for table, columns in words.items():
        page.update(table, {"giver_id": event.originator_id},
                    **{column: erased(page) for column in columns})

# The erasure is an event of every subject's kind alike (its topic names DataSubject): each
# read model forgets the rows keyed by the erased record's id, and another kind's erasure
# matches none of its rows.
SubjectEvents: Any = DataSubject
