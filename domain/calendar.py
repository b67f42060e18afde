"""Working days per UK nation.

Bank holidays come from the `holidays` package (subdivisions ENG, WLS, SCT, NIR). A working day
is Monday to Friday and not a bank holiday in that nation. Where `holidays` and the GOV.UK
bank-holiday data disagree, `tests/domain/test_calendar.py` lists the differences and the choice.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays


class Nation(StrEnum):
    ENG = "ENG"
    WLS = "WLS"
    SCT = "SCT"
    NIR = "NIR"


@cache
def _bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv=nation.value, years=year).keys())


def bank_holidays(nation: Nation | str, year: int) -> frozenset[date]:
    """The bank holidays of `nation` in `year`."""
    return _bank_holidays(Nation(nation), year)


def is_working_day(day: date, nation: Nation | str) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year)


def add_working_days(start: date, days: int, nation: Nation | str) -> date:
    """The date `days` working days after `start` (start itself never counts).

    Statutory clocks such as "within 5 working days of becoming aware" count from the day after
    the partnership became aware, so an awareness on a Friday puts day 1 on the next Monday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def subtract_working_days(end: date, days: int, nation: Nation | str) -> date:
    """The date `days` working days before `end` (for warnings and reminders ahead of a due
    date); the inverse of `add_working_days` when `end` is a working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = end
    remaining = days
    while remaining:
        day -= timedelta(days=1)
        if is_working_day(day, nation):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, nation: Nation | str) -> int:
    """How many working days fall after `start` up to and including `end` (negative if reversed).

    It is the inverse of `add_working_days`: `working_days_between(d, add_working_days(d, n)) == n`.
    """
    if end < start:
        return -working_days_between(end, start, nation)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            count += 1
    return count
