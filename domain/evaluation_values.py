"""The supervision evaluation tool (seed 003, Appendix I): its statements, its answers, and the
rules of who may see what of them.

The answers are confidential to the supervisee and their supervisor. The partnership sees only
counts per agency, and only where at least `SMALLEST_COUNT` people answered: fewer could
identify them, so smaller counts are suppressed (issue 12).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


STATEMENTS: tuple[tuple[str, str], ...] = (
    ("length_of_sessions", "I am happy about the length of supervision sessions."),
    ("speak_about_cases", "I am happy to speak to you about cases that concern me."),
    ("level_of_discussion", "I am happy with the level of discussion in the sessions."),
    ("understand_actions", "I understand the actions agreed."),
    ("plan_to_move_forward", "I feel that you help me formulate a plan to move forward"),
    ("believed_about_concerns", "I feel you believe me when I tell you I am concerned about a "
                                "child or family"),
    ("time_to_reflect", "I am given time to reflect"),
    ("time_for_my_issues", "I am given time to talk about issues concerning to me"),
    ("respected", "I feel you respect me"),
    ("equipped_for_cases", "I feel adequately equipped to deal with the cases I have"),
)
"""Appendix I's ten statements, in its order (number = position + 1)."""

FREE_QUESTIONS = ("We need more of:", "We need to do less of:")

ABLE_TO_RAISE_CONCERNS = ("speak_about_cases", "believed_about_concerns")
"""A supervisee 'feels able to raise concerns about a child' when they answer yes to both
statement 2 (happy to speak about cases that concern them) and statement 6 (believed when
concerned about a child or family)."""

SMALLEST_COUNT = 5
"""The fewest answers the partnership may see a count of (issue 12: small numbers suppressed)."""


def able_to_raise_concerns(answers: Mapping[str, str]) -> bool:
    return all(answers.get(name) == Answer.YES for name in ABLE_TO_RAISE_CONCERNS)


def shown(count: int) -> bool:
    """Whether a count of people answering may be shown to the partnership."""
    return count >= SMALLEST_COUNT


def quarter_of(day: date) -> str:
    """The calendar quarter `day` falls in, e.g. 2026Q3."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def tally(answer_sets: Iterable[Mapping[str, str]]) -> dict[str, dict[str, int]]:
    """For each statement, how many answered yes, no and maybe."""
    counts = {name: {a.value: 0 for a in Answer} for name, _ in STATEMENTS}
    for answers in answer_sets:
        for name, _ in STATEMENTS:
            if answers.get(name) in counts[name]:
                counts[name][answers[name]] += 1
    return counts
