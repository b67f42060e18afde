"""Working days per nation, checked against an independent table: the GOV.UK bank holidays
bundled in `govuk-bank-holidays`, 2024 to 2028.

Where the two sources disagree on a weekday, the choice is documented here:
- SCT 2026-06-15: the `holidays` package has a one-off Scottish bank holiday ("Scotland's
  participation in the FIFA World Cup final"); the bundled GOV.UK data predates it. We keep it:
  `holidays` is the calendar of record and is the newer of the two.
Weekend dates differ too (`holidays` lists a Saturday Christmas as well as its Monday
substitute; GOV.UK lists the substitute only). They never change a working day.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays

from domain.calendar import (
    Nation, add_working_days, bank_holidays, subtract_working_days, working_days_between,
)

DIVISIONS = {Nation.ENG: BankHolidays.ENGLAND_AND_WALES, Nation.SCT: BankHolidays.SCOTLAND}
DOCUMENTED_DIFFERENCES = {Nation.ENG: set(), Nation.SCT: {date(2026, 6, 15)}}
YEARS = range(2024, 2029)


def govuk_holidays(nation: Nation) -> set[date]:
    table = BankHolidays(use_cached_holidays=True).get_holidays(division=DIVISIONS[nation])
    return {h["date"] for h in table if h["date"].year in YEARS}


def weekday_holidays(nation: Nation) -> set[date]:
    every = set().union(*(bank_holidays(nation, year) for year in YEARS))
    return {d for d in every if d.weekday() < 5}


@pytest.mark.parametrize("nation", [Nation.ENG, Nation.SCT])
def test_bank_holidays_agree_with_govuk_but_for_documented_differences(nation: Nation) -> None:
    ours, theirs = weekday_holidays(nation), govuk_holidays(nation)
    assert theirs - ours == set(), "a GOV.UK bank holiday is missing from our calendar"
    assert ours - theirs == DOCUMENTED_DIFFERENCES[nation]


@pytest.mark.parametrize("nation", [Nation.ENG, Nation.SCT])
def test_every_day_of_2024_to_2028_is_a_working_day_exactly_when_govuk_says(nation: Nation) -> None:
    holidays_ = govuk_holidays(nation) | DOCUMENTED_DIFFERENCES[nation]
    day = date(2024, 1, 1)
    while day.year in YEARS:
        expected = day.weekday() < 5 and day not in holidays_
        assert (add_working_days(day - timedelta(days=1), 1, nation) == day) == expected, day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    "nation, expected",
    [(Nation.ENG, date(2027, 1, 15)), (Nation.SCT, date(2027, 1, 18))],
)
def test_fifteen_working_days_from_22_december_differ_by_nation(nation: Nation,
                                                                 expected: date) -> None:
    # ENG skips 25, 28 Dec and 1 Jan; SCT also skips 2 Jan (observed on Monday 4 Jan 2027).
    assert add_working_days(date(2026, 12, 22), 15, nation) == expected


def test_counting_starts_the_day_after_and_skips_weekends() -> None:
    friday = date(2026, 3, 6)
    assert add_working_days(friday, 1, Nation.ENG) == date(2026, 3, 9)
    assert add_working_days(friday, 0, Nation.ENG) == friday


@pytest.mark.parametrize("nation", list(Nation))
def test_working_days_between_is_the_inverse_of_adding(nation: Nation) -> None:
    start = date(2026, 12, 18)
    for n in range(40):
        assert working_days_between(start, add_working_days(start, n, nation), nation) == n
    assert working_days_between(date(2027, 1, 15), start, nation) < 0


def test_counting_back_skips_the_nations_holidays() -> None:
    # Two working days before the SCT rapid-review deadline: 14 and 15 Jan 2027 are working days.
    assert subtract_working_days(date(2027, 1, 18), 2, Nation.SCT) == date(2027, 1, 14)
    # Before 5 Jan 2027 in SCT: 4 Jan (observed 2 Jan holiday) and 1 Jan are not working days.
    assert subtract_working_days(date(2027, 1, 5), 1, Nation.SCT) == date(2026, 12, 31)
    assert subtract_working_days(date(2027, 1, 5), 1, Nation.ENG) == date(2027, 1, 4)
