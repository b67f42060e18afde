"""A partnership's school term calendar (seed 002: safeguarding supervision "at least once a
half term" for the school's safeguarding team).

Bank holidays come from `domain.calendar`; school half terms do not follow them, so the
partnership configures them: one `TermCalendar` per set of schools, holding each academic
year's half terms (first and last teaching day). A supervision arrangement in a school names its
calendar, and its process holds a session in every half term.

Events: SetUp, TermDatesSet (one academic year's half terms, replacing those set before for
that year; every version stays in the history).
"""

from __future__ import annotations

import re
from itertools import pairwise
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.calendar import Nation
from domain.errors import require
from domain.record import Record, natural_id
from domain.term_calendar_commands import HalfTerm, SetTermDates, SetUpTermCalendar

ACADEMIC_YEAR = re.compile(r"([0-9]{4})/([0-9]{2})")
ACADEMIC_YEAR_RULE = "An academic year is written as its two calendar years, e.g. 2026/27"


def academic_year_span(academic_year: str) -> tuple[date, date]:
    """The first and last day an academic year's half terms may fall on (1 August to 31 July)."""
    found = ACADEMIC_YEAR.fullmatch(academic_year)
    require(found is not None, ACADEMIC_YEAR_RULE)
    assert found is not None
    first = int(found.group(1))
    require(int(found.group(2)) == (first + 1) % 100, ACADEMIC_YEAR_RULE)
    return date(first, 8, 1), date(first + 1, 7, 31)


def check_half_terms(academic_year: str, half_terms: tuple[HalfTerm, ...]) -> list[dict[str, Any]]:
    """The half terms as the event stores them, if they make a school year."""
    opens, closes = academic_year_span(academic_year)
    require(len(half_terms) > 0, "Term dates name at least one half term")
    require(all(bool(h.name.strip()) for h in half_terms), "Every half term is named")
    require(len({h.name.strip().casefold() for h in half_terms}) == len(half_terms),
            "A half term is named once in an academic year")
    ordered = sorted(half_terms, key=lambda h: h.starts_on)
    for half in ordered:
        require(half.starts_on <= half.ends_on, "A half term ends on or after the day it starts")
        require(opens <= half.starts_on and half.ends_on <= closes,
                f"The half terms of {academic_year} fall between {opens.isoformat()} and "
                f"{closes.isoformat()}")
    for before, after in pairwise(ordered):
        require(before.ends_on < after.starts_on, "Half terms do not overlap")
    return [{"name": h.name.strip(), "starts_on": h.starts_on, "ends_on": h.ends_on}
            for h in ordered]


class TermCalendar(Record):
    @staticmethod
    def create_id(name: str) -> UUID:
        """One calendar per name."""
        return natural_id("term-calendar", name.strip().casefold())

    @classmethod
    def set_up(cls, c: SetUpTermCalendar) -> TermCalendar:
        require(bool(c.name.strip()), "A term calendar is named")
        return cls(name=c.name.strip(), nation=c.nation, actor=c.by, occurred_on=c.at)

    @event("SetUp")
    def __init__(self, *, name: str, nation: str, actor: str, occurred_on: datetime) -> None:
        self.opened_on = occurred_on
        self.name, self.nation = name, Nation(nation)
        self.years: dict[str, list[dict[str, Any]]] = {}

    def set_term_dates(self, c: SetTermDates) -> None:
        self.check_after_opening(c.at)
        halves = check_half_terms(c.academic_year, c.half_terms)
        require(self.years.get(c.academic_year) != halves,
                "New term dates change the year's half terms")
        self._term_dates_set(academic_year=c.academic_year, half_terms=halves, actor=c.by,
                             occurred_on=c.at)

    @event("TermDatesSet")
    def _term_dates_set(self, *, academic_year: str, half_terms: list[dict[str, Any]],
                        actor: str, occurred_on: datetime) -> None:
        self.years[academic_year] = [dict(h) for h in half_terms]

    # --- queries ------------------------------------------------------------------------------

    def half_terms(self) -> list[dict[str, Any]]:
        """Every half term of every year set, in date order."""
        return sorted((h for halves in self.years.values() for h in halves),
                      key=lambda h: h["starts_on"])

    def half_terms_ending_after(self, day: date) -> list[dict[str, Any]]:
        """The half terms whose last day is after `day`, in date order."""
        return [h for h in self.half_terms() if h["ends_on"] > day]
