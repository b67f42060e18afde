"""Values as a person reads them: dates in words, codes as phrases, yes/no, names of events."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain import audit_values, case_values, panel, review_values, safeguarder_values
from domain.calendar import Nation

NATIONS = {Nation.ENG: "England", Nation.WLS: "Wales", Nation.SCT: "Scotland",
           Nation.NIR: "Northern Ireland"}


def _codes() -> dict[str, str]:
    """Every enumerated code in the domain, as a phrase ('child_in_need' -> 'child in need')."""
    phrases: dict[str, str] = {}
    for module in (audit_values, case_values, panel, review_values, safeguarder_values):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum):
                for member in value:
                    phrases[member.value] = member.value.replace("_", " ")
    phrases.update({n.value: name for n, name in NATIONS.items()})
    return phrases


CODES = _codes()


def event_name(event: Any) -> str:
    """'DiscussionRecorded' -> 'Discussion recorded'."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(event).__name__).lower()
    return words[:1].upper() + words[1:]


def field_name(name: str) -> str:
    return name.replace("_", " ")


def readable(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%-d %b %Y %H:%M %Z").strip()
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, str):
        return CODES.get(value, value)
    if isinstance(value, dict):
        return "; ".join(f"{field_name(str(k))}: {readable(v)}" for k, v in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(readable(v) for v in value) or "—"
    return str(value)
