"""Making a command checks each field against its type, before any record is touched.

Text is bounded and holds nothing a store or a reader cannot hold (`domain.text`); enumerations,
dates, aware times from 1900, ids, bounded lists and nested values take their plain forms or are
refused. A refusal is `InputRefused`, naming the field by its path.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any
from uuid import uuid4

import pytest

import domain.application  # noqa: F401 (imports every command, so the registry is complete)
from domain.case_commands import AgreedAction, OpenCase, RaiseDisagreement, RecordDiscussion
from domain.case_values import Rag
from domain.commands import REGISTRY, Checked, Command
from domain.errors import InputRefused
from domain.review_commands import CloseReview, CompleteRapidReview
from domain.safeguarder_commands import (
    ApplyToPanel,
    Appoint,
    AttendGroupSession,
    Contact,
    RecordFeedback,
    RecordInterview,
)
from domain.safeguarder_values import FeedbackSource, Tone
from domain.scorecard import WriteNarrative
from domain.text import NARRATIVE_LIMIT, SHORT_LIMIT, Items, Text
from tests.refusals import assert_input_refused, at

RECORD = uuid4()
LEAD = "team-lead"


def interview(**changes: Any) -> RecordInterview:
    fields: dict[str, Any] = {"record_id": RECORD, "passed": True, "notes": "Strong answers",
                              "by": LEAD, "at": at(1)}
    return RecordInterview(**(fields | changes))


def application(**changes: Any) -> ApplyToPanel:
    fields: dict[str, Any] = {"name": "Alex Morgan", "region": "East", "by": LEAD, "at": at(0)}
    return ApplyToPanel(**(fields | changes))


def action(**changes: Any) -> dict[str, Any]:
    fields = {"action_id": "act-1", "description": "Home visit", "owner": "teacher-1",
              "due": date(2026, 1, 20)}
    return fields | changes


def discussion(**changes: Any) -> RecordDiscussion:
    fields: dict[str, Any] = {
        "record_id": RECORD, "discussion_id": "sup-1", "supervisor": "dsl-1",
        "supervisee": "teacher-1", "needs": "Routine", "risks": "Neglect",
        "engagement": "Mother engages", "capacity_for_change": "Some", "plan": "Early help",
        "rag": "A", "actions": [action()], "next_discussion_on": date(2026, 3, 1),
        "by": "dsl-1", "at": at(1),
    }
    return RecordDiscussion(**(fields | changes))


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, problem", [
    ("Strong\x00answers", "control character (U+0000) at 6"),
    ("Strong \ud800answers", "lone surrogate (U+D800) at 7"),
    ("Strong\x07answers", "control character (U+0007) at 6"),
    ("Strong\x1banswers", "control character (U+001B) at 6"),
    ("Strong \u202eanswers", "bidirectional control character (U+202E) at 7"),
    ("Strong \u2066answers", "bidirectional control character (U+2066) at 7"),
], ids=["NUL", "lone surrogate", "bell", "escape", "right-to-left override", "isolate"])
def test_text_a_store_or_a_reader_cannot_hold_is_refused(text: str, problem: str) -> None:
    assert_input_refused(lambda: interview(notes=text), "notes", problem)


def test_newlines_and_tabs_are_kept_in_text() -> None:
    assert interview(notes="First line\n\tindented second").notes == "First line\n\tindented second"


def test_a_short_text_holds_at_most_two_hundred_characters() -> None:
    assert application(name="A" * SHORT_LIMIT).name == "A" * SHORT_LIMIT
    assert_input_refused(lambda: application(name="A" * (SHORT_LIMIT + 1)), "name",
                         "is longer than 200 characters")


def test_a_narrative_holds_at_most_twenty_thousand_characters() -> None:
    assert len(interview(notes="n" * NARRATIVE_LIMIT).notes) == NARRATIVE_LIMIT
    assert_input_refused(lambda: interview(notes="n" * (NARRATIVE_LIMIT + 1)), "notes",
                         "is longer than 20,000 characters")


def test_who_gives_a_command_is_short_text_too() -> None:
    assert_input_refused(lambda: interview(by="u" * 201), "by", "is longer than 200 characters")
    assert_input_refused(lambda: interview(by="team\x00lead"), "by", "control character")


def test_a_scorecard_narrative_has_its_own_bound() -> None:
    def narrative(text: str) -> WriteNarrative:
        return WriteNarrative(quarter="2026Q1", measure="drift_cases", text=text, by=LEAD,
                              at=at(0))

    assert len(narrative("n" * 4000).text) == 4000
    assert_input_refused(lambda: narrative("n" * 4001), "text", "is longer than 4,000 characters")


def test_text_is_not_a_number() -> None:
    assert_input_refused(lambda: interview(notes=42), "notes", "is not text")


# --- lists and nested values ---------------------------------------------------------------


def test_a_list_over_its_bound_is_refused() -> None:
    assert_input_refused(lambda: discussion(actions=[action(action_id=f"a{n}")
                                                     for n in range(31)]),
                         "actions", "has more than 30 items")
    assert len(discussion(actions=[action(action_id=f"a{n}") for n in range(30)]).actions) == 30


def test_a_mapping_over_its_bound_is_refused() -> None:
    carried = {f"R{n}": "Moved to next year" for n in range(101)}
    assert_input_refused(lambda: CloseReview(record_id=RECORD, carried_over=carried, by=LEAD,
                                             at=at(5)),
                         "carried_over", "has more than 100 items")


def test_lists_become_tuples_and_their_items_are_checked() -> None:
    raised = RaiseDisagreement(record_id=RECORD, disagreement_id="d1",
                               between=["School", "Police"], summary="Threshold", by=LEAD,
                               at=at(1))
    assert raised.between == ("School", "Police")
    assert_input_refused(lambda: RaiseDisagreement(record_id=RECORD, disagreement_id="d1",
                                                   between=["School", "Pol\u202eice"],
                                                   summary="Threshold", by=LEAD, at=at(1)),
                         "between.1", "bidirectional control character")
    assert_input_refused(lambda: RaiseDisagreement(record_id=RECORD, disagreement_id="d1",
                                                   between="School, Police",
                                                   summary="Threshold", by=LEAD, at=at(1)),
                         "between", "is not a list")


def test_learning_points_are_bounded_narratives() -> None:
    def completion(learning: list[Any]) -> CompleteRapidReview:
        return CompleteRapidReview(record_id=RECORD, findings="Not shared", learning=learning,
                                   recommend_lcspr=False, rationale="Single agency", by=LEAD,
                                   at=at(10))

    assert completion(["Share early"]).learning == ("Share early",)
    assert_input_refused(lambda: completion(["ok"] * 51), "learning", "has more than 50 items")
    assert_input_refused(lambda: completion(["ok", "x" * 20_001]), "learning.1",
                         "is longer than 20,000 characters")


def test_a_nested_value_is_made_from_its_plain_form_and_checked_by_its_path() -> None:
    made = discussion()
    assert made.actions == (AgreedAction(action_id="act-1", description="Home visit",
                                         owner="teacher-1", due=date(2026, 1, 20)),)
    assert_input_refused(lambda: discussion(actions=[action(), action(description="Visit\x00")]),
                         "actions.1.description", "control character")
    assert_input_refused(lambda: discussion(actions=[action(due="2026-01-20")]),
                         "actions.0.due", "is not a date")
    assert_input_refused(lambda: discussion(actions=[action(colour="blue")]),
                         "actions.0.colour", "is not a field of it")
    assert_input_refused(lambda: discussion(actions=["Home visit"]),
                         "actions.0", "is not a AgreedAction")
    without_owner = {k: v for k, v in action().items() if k != "owner"}
    assert_input_refused(lambda: discussion(actions=[action(), without_owner]),
                         "actions.1.owner", "is missing")


def test_contact_details_are_made_from_a_mapping() -> None:
    assert application(contact={"phone": "01234 567890"}).contact == Contact(phone="01234 567890")
    assert application().contact == Contact()
    assert application(contact={}).contact == Contact(), "every contact detail is optional"
    assert_input_refused(lambda: application(contact={"mobile": "07700 900000"}),
                         "contact.mobile", "is not a field of it")
    assert_input_refused(lambda: application(contact={"address": "1 High St\x00"}),
                         "contact.address", "control character")


# --- times and dates -----------------------------------------------------------------------


def test_a_time_needs_its_time_zone() -> None:
    assert_input_refused(lambda: interview(at=datetime(2026, 1, 6, 9, 0)), "at",
                         "needs its time zone")


def test_any_time_zone_is_accepted() -> None:
    edinburgh_summer = timezone(timedelta(hours=1))
    assert interview(at=datetime(2026, 7, 1, 9, 0, tzinfo=edinburgh_summer)).at.utcoffset()


def test_no_fact_kept_happened_before_1900() -> None:
    assert_input_refused(lambda: interview(at=datetime(1899, 12, 31, 23, 59, tzinfo=UTC)),
                         "at", "cannot be before 1900")
    assert interview(at=datetime(1900, 1, 1, tzinfo=UTC)).at.year == 1900
    assert_input_refused(lambda: Appoint(record_id=RECORD, term_starts_on=date(1899, 6, 1),
                                         by=LEAD, at=at(3)),
                         "term_starts_on", "cannot be before 1900")


def test_a_time_is_a_datetime_not_text_nor_a_date() -> None:
    assert_input_refused(lambda: interview(at="2026-01-06T09:00:00+00:00"), "at",
                         "is not a date and time")
    assert_input_refused(lambda: interview(at=date(2026, 1, 6)), "at", "is not a date and time")


def test_a_date_is_a_date_not_a_time_nor_text() -> None:
    def appoint(starts: Any) -> Appoint:
        return Appoint(record_id=RECORD, term_starts_on=starts, by=LEAD, at=at(3))

    assert appoint(date(2026, 2, 1)).term_starts_on == date(2026, 2, 1)
    assert_input_refused(lambda: appoint(at(27)), "term_starts_on", "is not a date")
    assert_input_refused(lambda: appoint("2026-02-01"), "term_starts_on", "is not a date")


# --- enumerations, ids, numbers and flags --------------------------------------------------


def test_an_enumeration_is_made_from_its_value_and_an_unknown_value_refused() -> None:
    feedback = RecordFeedback(record_id=RECORD, source="family", tone="mixed", summary="Kind",
                              by=LEAD, at=at(30))
    assert feedback.source is FeedbackSource.FAMILY and feedback.tone is Tone.MIXED
    assert discussion(rag="R").rag is Rag.R
    assert_input_refused(lambda: discussion(rag="red"), "rag", "is not one of G, A, R")
    assert_input_refused(lambda: application(region="south"), "region", "East, North, West")


def test_an_id_is_made_from_its_text_and_anything_else_refused() -> None:
    session = uuid4()
    attend = AttendGroupSession(record_id=str(RECORD), session_id=str(session), by=LEAD,
                                at=at(90))
    assert attend.record_id == RECORD and attend.session_id == session
    assert_input_refused(lambda: AttendGroupSession(record_id=RECORD, session_id="east-spring",
                                                    by=LEAD, at=at(90)),
                         "session_id", "is not an id")


def test_a_flag_is_true_or_false() -> None:
    assert_input_refused(lambda: interview(passed="yes"), "passed", "is not true or false")
    assert_input_refused(lambda: interview(passed=1), "passed", "is not true or false")


def test_a_whole_number_is_not_a_flag_nor_text() -> None:
    from domain.safeguarder_commands import RecordAnnualShortfall

    def shortfall(year: Any) -> RecordAnnualShortfall:
        return RecordAnnualShortfall(record_id=RECORD, year=year, by="workflow", at=at(400))

    assert shortfall(2).year == 2
    assert_input_refused(lambda: shortfall(True), "year", "is not a whole number")
    assert_input_refused(lambda: shortfall("2"), "year", "is not a whole number")


def test_an_optional_field_may_be_left_out_or_empty() -> None:
    opened = OpenCase(child_reference="CH-2026-0042", agency="School", practitioner="p",
                      supervisor="s", legal_status="child_in_need", risk="low", nation="ENG",
                      by="s", at=at(0))
    assert opened.nation == "ENG"
    completion = CompleteRapidReview(record_id=RECORD, findings="f", recommend_lcspr=False,
                                     rationale="r", late_reason=None, by=LEAD, at=at(10))
    assert completion.late_reason is None and completion.learning == ()
    assert_input_refused(lambda: CompleteRapidReview(record_id=RECORD, findings="f",
                                                     recommend_lcspr=False, rationale="r",
                                                     late_reason="\x00", by=LEAD, at=at(10)),
                         "late_reason", "control character")


def test_an_input_refusal_is_a_value_error_naming_its_field() -> None:
    with pytest.raises(ValueError, match=r"^actions\.0\.due is not a date$") as refused:
        discussion(actions=[action(due=None)])
    assert isinstance(refused.value, InputRefused)
    assert (refused.value.field, refused.value.problem) == ("actions.0.due", "is not a date")


def test_a_command_is_frozen_once_made() -> None:
    made = interview()
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.notes = "changed"  # type: ignore[misc]


# --- every command's fields are bounded ----------------------------------------------------


def unbounded(hint: Any, path: str, counted: bool = False) -> list[str]:
    """The paths under a field of type `hint` that hold text without a `Text` bound, or a list
    or mapping without an `Items` bound (`counted`: the list or mapping has one)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Annotated:
        inner, *rules = args
        if inner is str:
            return [] if any(isinstance(rule, Text) for rule in rules) else [path]
        return unbounded(inner, path, any(isinstance(rule, Items) for rule in rules))
    if hint is str:
        return [path]
    if origin in (typing.Union, types.UnionType):
        return [found for option in args for found in unbounded(option, path, counted)]
    if origin in (tuple, list, dict):
        items = [found for item in args if item is not Ellipsis
                 for found in unbounded(item, f"{path}.*")]
        return items if counted else [path, *items]
    if isinstance(hint, type) and issubclass(hint, Checked):
        return fields_unbounded(hint, path)
    return []


def fields_unbounded(cls: type, prefix: str = "") -> list[str]:
    hints = typing.get_type_hints(cls, include_extras=True)
    return [found for item in dataclasses.fields(cls)
            for found in unbounded(hints[item.name], f"{prefix}.{item.name}" if prefix
                                   else item.name)]


def text_fields(hint: Any) -> int:
    """How many text fields a type holds, bounded or not (to show the walk finds them)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is str:
        return 1
    if isinstance(hint, type) and issubclass(hint, Checked):
        hints = typing.get_type_hints(hint, include_extras=True)
        return sum(text_fields(hints[f.name]) for f in dataclasses.fields(hint))
    return sum(text_fields(arg) for arg in args if arg is not Ellipsis) if origin else 0


def test_the_registry_holds_every_command() -> None:
    assert len(REGISTRY) >= 80
    assert all(issubclass(kind, Command) for kind in REGISTRY.values())
    assert {"WithdrawAnnualShortfall", "WithdrawBreach", "EscalateDisagreement",
            "NoteAuditSelection", "WriteNarrative", "RecordIntervention"} <= set(REGISTRY)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_text_field_of_every_command_has_a_text_bound_and_every_list_a_limit(name: str) -> None:
    kind = REGISTRY[name]
    assert text_fields(kind) >= 1, "every command has text: at least who gives it"
    assert fields_unbounded(kind) == []


@dataclasses.dataclass(frozen=True, kw_only=True)
class Loose(Checked):
    """Not a command: a value with fields the walk must report."""

    name: str
    tags: tuple[Annotated[str, Text(10)], ...] = ()
    notes: Annotated[str, Text(10)] | None = None
    inner: Contact | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Nested(Checked):
    loose: Loose
    parts: Annotated[tuple[str, ...], Items(3)] = ()


def test_the_walk_finds_unbounded_text_and_lists() -> None:
    assert fields_unbounded(Loose) == ["name", "tags"]
    assert fields_unbounded(Nested) == ["loose.name", "loose.tags", "parts.*"]
    assert text_fields(Loose) == 6  # name, tags, notes and the contact's three
