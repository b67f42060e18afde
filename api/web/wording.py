"""How the pages say dates, times and deadlines: as people write them.

"22 December 2026"; "22 December 2026 at 3:04pm"; "due in 3 working days, 31 December";
"overdue by 2 working days (due 29 December)". Working days are the record's nation's
(`domain.calendar`); times are shown in UK time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.calendar import working_days_between

UK = ZoneInfo("Europe/London")

NATIONS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
"""Each nation's name, by the code its working days are kept under (`domain.calendar`)."""


def long_date(value: date | datetime | None) -> str:
    """'22 December 2026' (a time is shown as its UK date)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UK).date()
    return f"{value.day} {value:%B %Y}"


def _day_month(value: date, today: date) -> str:
    """'31 December', with the year only when it is not this year's."""
    return f"{value.day} {value:%B}" if value.year == today.year else long_date(value)


def moment(value: datetime | None) -> str:
    """'22 December 2026 at 3:04pm' in UK time."""
    if value is None:
        return ""
    local = value.astimezone(UK)
    hour = local.hour % 12 or 12
    return f"{long_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def _days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


def due(due_on: date, today: date, nation: str) -> str:
    """When something falls due, counted in the nation's working days."""
    when = _day_month(due_on, today)
    if due_on == today:
        return f"due today, {when}"
    if due_on > today:
        ahead = working_days_between(today, due_on, nation)
        if ahead == 0:
            return f"due {when}, with no working day before then"
        return f"due in {_days(ahead)}, {when}"
    behind = working_days_between(due_on, today, nation)
    if behind == 0:
        return f"overdue (it was due {when})"
    return f"overdue by {_days(behind)} (it was due {when})"


def late(due_on: date, today: date, nation: str) -> str:
    """Beside an "Overdue" tag: '2 working days late (due 29 December)'."""
    behind = working_days_between(due_on, today, nation) if due_on < today else 0
    when = _day_month(due_on, today)
    return f"{_days(behind)} late (due {when})" if behind else f"due {when}"


def phrase(value: Any) -> str:
    """A code as words: 'child_in_need' -> 'child in need'."""
    return str(value).replace("_", " ") if value is not None else ""


FILTERS = {"long_date": long_date, "moment": moment, "phrase": phrase, "due": due, "late": late}
