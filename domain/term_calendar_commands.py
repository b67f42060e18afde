"""The commands of a partnership's school term calendar (seed 002), each one frozen dataclass.
`domain.term_calendar.TermCalendar` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from domain.calendar import Nation
from domain.commands import Checked, Command, RecordCommand
from domain.text import Items, Short

MAX_HALF_TERMS = 6  # an English school year: autumn, spring and summer, each in two halves


@dataclass(frozen=True, kw_only=True)
class HalfTerm(Checked):
    """A half term's teaching dates, first and last day inclusive."""

    name: Short
    starts_on: date
    ends_on: date


@dataclass(frozen=True, kw_only=True)
class SetUpTermCalendar(Command, kind="term-calendar", creates=True):
    """Set up a school term calendar the partnership keeps (one per set of schools)."""

    name: Short
    nation: Nation

    example = {"name": "Salford maintained schools", "nation": "ENG"}


@dataclass(frozen=True, kw_only=True)
class SetTermDates(RecordCommand, kind="term-calendar"):
    """Set an academic year's half terms (replacing any set before for that year)."""

    academic_year: Short
    half_terms: Annotated[tuple[HalfTerm, ...], Items(MAX_HALF_TERMS)]

    example = {"academic_year": "2026/27", "half_terms": [
        {"name": "Autumn 1", "starts_on": "2026-09-03", "ends_on": "2026-10-23"},
        {"name": "Autumn 2", "starts_on": "2026-11-02", "ends_on": "2026-12-18"},
        {"name": "Spring 1", "starts_on": "2027-01-05", "ends_on": "2027-02-12"},
        {"name": "Spring 2", "starts_on": "2027-02-22", "ends_on": "2027-03-26"},
        {"name": "Summer 1", "starts_on": "2027-04-12", "ends_on": "2027-05-28"},
        {"name": "Summer 2", "starts_on": "2027-06-07", "ends_on": "2027-07-21"}]}
