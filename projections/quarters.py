"""Calendar quarters, as the scorecard and the quarterly report count them.

`2026Q3` is 1 July to 30 September 2026 (calendar quarters: Q1 is January to March).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_FORM = re.compile(r"([0-9]{4})Q([1-4])")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        found = _FORM.fullmatch(text.strip().upper())
        if found is None:
            raise ValueError(f"A quarter is written like 2026Q3, not {text!r}")
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The quarter's last day."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def last(self, count: int) -> list[Quarter]:
        """The `count` quarters ending with this one, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def months(self) -> str:
        """'Jul–Sep 2026'."""
        first = 3 * self.number - 3
        return f"{_MONTHS[first]}–{_MONTHS[first + 2]} {self.year}"

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"
