"""School term calendars (seed 002), as the Assurance page lists them: each calendar's name,
nation, the academic years whose half terms are set, and the last teaching day set, so the
business unit can see which calendars need next year's dates before half-termly supervision
runs out of them.

Tables (term_calendar.sql): `term_calendar`, `term_calendar_year`.
"""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from domain.term_calendar import TermCalendar
from projections.base import Projection
from projections.page import Page

CalendarEvents: Any = TermCalendar


class TermCalendars(Projection):
    name = "term_calendar"
    version = 1

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a term calendar."""

    @process.register(CalendarEvents.SetUp)
    def _set_up(self, event: Any, page: Page) -> None:
        page.insert("term_calendar", calendar_id=event.originator_id, name=event.name,
                    nation=event.nation, set_up_on=event.occurred_on.date())

    @process.register(CalendarEvents.TermDatesSet)
    def _dates_set(self, event: Any, page: Page) -> None:
        """A year's dates replace any set before for that year, its last day with them."""
        last = max(h["ends_on"] for h in event.half_terms)
        page.upsert("term_calendar_year", {"calendar_id": event.originator_id,
                                           "academic_year": event.academic_year},
                    {"last_day_on": last})
