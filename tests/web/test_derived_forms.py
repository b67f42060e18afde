"""A command's form is derived from its dataclass (api/web/derived.py): every field the person
gives is asked, in the command's order and shape, and what they typed becomes that command."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime

from api.web import forms
from api.web.derived import fields_of, values_of
from api.web.giving import make
from domain.arrangement_commands import (
    RecordSupervisionSession,
    SessionAgenda,
    SubmitEvaluation,
)
from domain.assurance_commands import PublishAssuranceReport
from domain.evaluation_values import STATEMENTS

TODAY = date(2026, 11, 20)


class Posted(dict[str, str]):
    """A posted form, as Starlette's: one value a name, or every value of a name."""

    def getlist(self, name: str) -> list[str]:
        value = self.get(name)
        return value.split("|") if value else []


def _date(name: str, day: date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month),
            f"{name}-year": str(day.year)}


def test_every_field_a_person_gives_is_asked_in_the_commands_shape() -> None:
    fields = fields_of(RecordSupervisionSession, given=("session_id",),
                       rows={"agenda.frustrations": 2}, when="Date of the session")
    names = [f.name for f in fields]
    agenda = [f.name for f in dataclasses.fields(SessionAgenda)]
    assert [n for n in names if n.startswith("agenda__") and "frustrations" not in n] == [
        f"agenda__{n}" for n in agenda if n != "frustrations"]
    assert "agenda__frustrations__2__support_needed" in names
    assert "session_id" not in names and names[-2:] == ["next_session_on", "when"]
    evaluation = fields_of(SubmitEvaluation, {f"answers.{n}": t for n, t in STATEMENTS})
    assert [f.label for f in evaluation if f.kind == "radios"] == [t for _, t in STATEMENTS]


def test_what_was_typed_becomes_the_command_with_its_rows_and_past_date() -> None:
    fields = fields_of(RecordSupervisionSession, given=("session_id",),
                       rows={"agenda.frustrations": 2}, when="Date of the session")
    posted = Posted({"agenda__matters_arising": "None", "agenda__successes": "<b>Two</b>",
                     "agenda__frustrations__1__frustration": "Late reports",
                     "agenda__concerns_to_escalate": "One\r\nTwo", "agenda__trends": "Neglect",
                     "agenda__training": "Toolkit", **_date("next_session_on", TODAY),
                     **_date("when", date(2026, 10, 30))})
    filled = forms.read(fields, posted, TODAY)
    c = make(RecordSupervisionSession, filled, "su-1", record_id=uuid.uuid4(),
             session_id="S-1", **values_of(RecordSupervisionSession, filled))
    assert c is not None, filled.errors
    assert c.agenda.successes == "<b>Two</b>" and c.agenda.concerns_to_escalate == ("One",
                                                                                    "Two")
    assert [f.frustration for f in c.agenda.frustrations] == ["Late reports"]
    assert c.at.date() == date(2026, 10, 30) and c.at < datetime.now(UTC)


def test_a_row_partly_filled_is_refused_next_to_what_it_lacks() -> None:
    fields = fields_of(PublishAssuranceReport, {"next_actions": "Action"},
                       rows={"next_actions": 2}, when="Date it was published")
    posted = Posted({"audiences": "executive|other_boards", "next_actions__2__action": "Repeat",
                     **_date("when", TODAY)})
    filled = forms.read(fields, posted, TODAY)
    values_of(PublishAssuranceReport, filled)
    assert filled.values["audiences"] == ["executive", "other_boards"]
    assert set(filled.errors) == {"next_actions__2__action_id", "next_actions__2__owner",
                                  "next_actions__2__due_on"}
    assert filled.errors["next_actions__2__owner"] == "Action 2 needs owner"
