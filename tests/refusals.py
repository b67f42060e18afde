"""Helpers that check a command was refused, by a named rule (nothing recorded) or by an input
check (the command could not even be made)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from domain.errors import InputRefused, RuleBroken

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def at(days: float = 0, start: datetime = START) -> datetime:
    """An instant `days` after the fixed start of every scenario."""
    return start + timedelta(days=days)


def assert_refused(record: Any, command: Callable[[], Any], rule: str) -> RuleBroken:
    """Run `command`; it must raise RuleBroken naming `rule`, leave no pending event and no change."""
    record.collect_events()
    before = copy.deepcopy(record.__dict__)
    with pytest.raises(RuleBroken) as refused:
        command()
    assert rule.lower() in refused.value.rule.lower(), refused.value.rule
    assert record.pending_events == [], "a refused command must record nothing"
    assert record.__dict__ == before, "a refused command must change nothing"
    return refused.value


def assert_input_refused(make: Callable[[], Any], field: str, problem: str = "") -> InputRefused:
    """Making a command with `make` must raise InputRefused naming `field` (a dotted path such as
    "actions.0.due") and saying `problem`. The refusal comes before any record is touched, so
    there is no record to check."""
    with pytest.raises(InputRefused) as refused:
        make()
    assert refused.value.field == field, str(refused.value)
    assert problem.lower() in refused.value.problem.lower(), refused.value.problem
    return refused.value
