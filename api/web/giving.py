"""A form's command given through the API's own door (`api.acting`), its refusal put on the form.

The command is made from the form's values, so the domain checks each field as it checks an
API body (`InputRefused` names the field); then it goes to its record, or to the running
process that must hear of it, exactly as the API's route sends it. A rule the record or the
process refuses is shown next to the field it concerns (`rules`: a phrase of the rule, and the
field), or the form's first field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import Request

from api import acting
from api.acting import Done
from api.auth import Principal
from api.problems import Problem
from api.web.derived import form_name
from api.web.forms import Filled
from domain.commands import Command
from domain.errors import ConcurrencyConflict, InputRefused, RuleBroken

Rules = Iterable[tuple[str, str]]


def make(command: type[Command], filled: Filled, who: Principal | str, *,
         record_id: UUID | None = None, **extra: Any) -> Command | None:
    """The command the form asks for, given by `who` (a person, or `PUBLIC` for the public
    form); None (with the refusal on the form) if refused."""
    if filled.errors:
        return None
    values = {**filled.command_values(command), **extra}
    if record_id is not None:
        values["record_id"] = record_id
    try:
        by = who if isinstance(who, str) else who.username
        return command(**values, by=by, at=filled.fact_time(datetime.now(UTC)))
    except InputRefused as refused:
        path = form_name(refused.field or "")  # a nested field's form name (api.web.derived)
        name = path if any(f.name == path for f in filled.fields) else path.split("__")[0]
        label = next((f.label for f in filled.fields if f.name == name), "")
        when = next((f.name for f in filled.fields if f.when), "")
        filled.refuse(when if name == "at" and when else name,
                      f"{label.rstrip('?')} {refused.problem}".strip())
        return None


async def give(request: Request, app: Any, who: Principal, c: Command | None, filled: Filled,
               rules: Rules = ()) -> Done | None:
    """Carry out `c` (made by `make`); None, with the refusal on the form, if it was refused."""
    if c is None:
        return None
    try:
        if c.creates:
            return await acting.create(request, app, who, c)
        return await acting.carry_out(request, app, who, c)
    except RuleBroken as broken:
        refused(filled, broken.rule, rules)
    except Problem as problem:
        if problem.status != 409:
            raise
        refused(filled, str(problem.extra.get("rule") or problem.detail), rules)
    except ConcurrencyConflict:
        filled.refuse("", "Someone else changed this record at the same moment, so nothing "
                      "was recorded. Check the record and try again.")
    return None


def refused(filled: Filled, rule: str, rules: Rules = ()) -> None:
    """Put the rule that refused the form next to the field it concerns."""
    chosen = next((name for phrase, name in rules if phrase.lower() in rule.lower()), "")
    filled.refuse(chosen, rule)
