"""A command's form derived from its dataclass: the command is declared once, and its form is
made from it.

`fields_of` makes the `Field`s from the command's own fields, in their order: a line of text
for `Short`, a box for `Narrative` (and for a list of texts, one a line), a whole number, the
GOV.UK date pattern for a date, radios for an enumeration, checkboxes for a list of one, and a
nested value's own fields in turn (an agenda, an evaluation's answers). A list of nested values
(actions, recommendations, half terms) is offered as numbered rows. Only wording is written by
hand (`Words`: labels and hints by field); `given` names fields the page fills itself (the
party signing is the person signed in; a new session's id is made).

`values_of` puts what was typed back into the command's shape: rows left empty are left out,
a row partly filled is refused next to what it lacks, and the domain checks the rest when the
command is made. A nested field's form name is its path joined by `__`, rows numbered from 1
(`agenda__matters_arising`, `actions__2__owner`), so a refusal the domain names by its path
(`agenda.frustrations.0.frustration`) finds its field (`form_name`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from types import MappingProxyType
from datetime import date
from enum import Enum
from typing import Any
from uuid import UUID

from api.web.forms import Field, Filled
from domain.text import Narrative

SEP = "__"
NOT_ASKED = ("by", "at", "record_id")
DATE_HINT = "For example, 27 3 2026"
NOTHING: Mapping[str, Any] = MappingProxyType({})
Words = Mapping[str, str | tuple[str, str]]
"""A field's label, or its label and hint, by its name (or its path: 'agenda.trends')."""


def form_name(path: str) -> str:
    """A domain path ('agenda.frustrations.0.frustration') as its form name."""
    parts = path.split(".")
    return SEP.join(str(int(p) + 1) if p.isdigit() else p for p in parts)


def _unwrap(hint: Any) -> tuple[Any, bool]:
    """The type inside Annotated and Optional, and whether None is allowed."""
    optional = False
    while True:
        origin = typing.get_origin(hint)
        if origin is typing.Annotated:
            hint = typing.get_args(hint)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [o for o in typing.get_args(hint) if o is not type(None)]
            optional = optional or len(options) < len(typing.get_args(hint))
            hint = options[0]
        else:
            return hint, optional


def _is_narrative(hint: Any) -> bool:
    return hint is Narrative or Narrative in typing.get_args(hint)


def _items(hint: Any) -> Any | None:
    """The item type of a list field, or None."""
    inner, _ = _unwrap(hint)
    if typing.get_origin(inner) in (tuple, list):
        return typing.get_args(inner)[0]
    return None


def _human(name: str) -> str:
    words = name.replace("_", " ")
    return words[0].upper() + words[1:]


def _words(words: Words, path: str, name: str) -> tuple[str, str]:
    said = words.get(path, words.get(name, _human(name)))
    return (said, "") if isinstance(said, str) else said


def _options(enum: type[Enum], words: Words) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, _words(words, m.value, m.value)[0]) for m in enum)


def fields_of(command: type, words: Words = NOTHING, *, given: tuple[str, ...] = (),
              rows: Mapping[str, int] = NOTHING,
              choices: Mapping[str, tuple[tuple[str, str], ...]] = NOTHING, when: str = "",
              prefix: str = "", label_prefix: str = "", optional: bool = False) -> tuple[Field, ...]:
    """The form of `command` (or of a nested value's dataclass): `rows` says how many rows a
    list of nested values offers (1 by default); `choices` offers a field's values to choose
    from; `when` is the label of the date the fact happened (none: the fact is now)."""
    hints = typing.get_type_hints(command, include_extras=True)
    made: list[Field] = []
    for item in dataclasses.fields(command):
        if item.name in NOT_ASKED or item.name in given:
            continue
        path = f"{prefix}.{item.name}".lstrip(".")
        name = form_name(path)
        label, hint = _words(words, path, item.name)
        label = f"{label_prefix}{label}"
        has_default = (item.default is not dataclasses.MISSING
                       or item.default_factory is not dataclasses.MISSING)
        inner, may_be_none = _unwrap(hints[item.name])
        loose = optional or has_default or may_be_none
        listed = _items(hints[item.name])
        if item.name in choices:
            made.append(Field(name, label, kind="radios", options=choices[item.name], hint=hint,
                              optional=loose))
        elif listed is not None and dataclasses.is_dataclass(listed):
            for n in range(1, rows.get(path, rows.get(item.name, 1)) + 1):
                made += fields_of(listed, words, rows=rows, choices=choices,
                                  prefix=f"{path}.{n - 1}",
                                  label_prefix=f"{label} {n}: ", optional=True)
        elif listed is not None and isinstance(listed, type) and issubclass(listed, Enum):
            made.append(Field(name, label, kind="checkboxes", options=_options(listed, words),
                              hint=hint, optional=loose))
        elif listed is not None:
            made.append(Field(name, label, kind="textarea", hint=hint or "One a line",
                              optional=True))
        elif dataclasses.is_dataclass(inner):
            made += fields_of(inner, words, rows=rows, choices=choices, prefix=path,
                              optional=loose)
        elif isinstance(inner, type) and issubclass(inner, Enum):
            made.append(Field(name, label, kind="radios", options=_options(inner, words),
                              hint=hint, optional=loose))
        elif inner is bool:
            made.append(Field(name, label, kind="yes-no", hint=hint, optional=loose))
        elif inner is date:
            made.append(Field(name, label, kind="date", hint=hint or DATE_HINT,
                              optional=loose))
        elif inner is int:
            made.append(Field(name, label, hint=hint, optional=loose,
                              classes="govuk-input--width-5"))
        elif _is_narrative(hints[item.name]) or _is_narrative(inner):
            made.append(Field(name, label, kind="textarea", hint=hint, optional=loose))
        elif inner in (str, UUID):
            made.append(Field(name, label, hint=hint, optional=loose))
    if when:
        made.append(Field("when", when, kind="date", when=True, hint=DATE_HINT,
                          missing=f"Enter the {when[0].lower()}{when[1:]}"))
    return tuple(made)


def values_of(command: type, filled: Filled, *, given: tuple[str, ...] = (),
              prefix: str = "") -> dict[str, Any]:
    """What was typed, in the shape of `command`'s fields (nested values as mappings, lists as
    tuples), with a partly filled row or a malformed number refused on the form."""
    hints = typing.get_type_hints(command, include_extras=True)
    out: dict[str, Any] = {}
    names = {f.name: f for f in filled.fields}
    for item in dataclasses.fields(command):
        if item.name in NOT_ASKED or item.name in given:
            continue
        path = f"{prefix}.{item.name}".lstrip(".")
        name = form_name(path)
        inner, _ = _unwrap(hints[item.name])
        listed = _items(hints[item.name])
        if listed is not None and dataclasses.is_dataclass(listed):
            out[item.name] = tuple(_rows(listed, filled, path))
        elif dataclasses.is_dataclass(inner) and name not in names:
            nested = values_of(inner, filled, prefix=path)
            if any(v not in ("", None, ()) for v in nested.values()) or not _has_default(item):
                out[item.name] = nested
        elif name not in names or name not in filled.values:
            continue
        elif listed is not None:
            typed = filled.values[name]
            out[item.name] = (tuple(typed) if isinstance(typed, list) else
                              tuple(line.strip() for line in str(typed).splitlines()
                                    if line.strip()))
        elif inner is int and filled.values[name] != "":
            try:
                out[item.name] = int(str(filled.values[name]).strip())
            except ValueError:
                filled.refuse(name, f"{names[name].label} must be a whole number, like 60")
        elif filled.values[name] == "" and _has_default(item):
            out[item.name] = (item.default if item.default is not dataclasses.MISSING
                              else item.default_factory())  # type: ignore[misc]
            # left empty: the command's own default
        else:
            out[item.name] = filled.values[name]
    return out


def _has_default(item: dataclasses.Field[Any]) -> bool:
    return (item.default is not dataclasses.MISSING
            or item.default_factory is not dataclasses.MISSING)


def _rows(kind: type, filled: Filled, path: str) -> list[dict[str, Any]]:
    """The rows filled in (all or nothing of each row's required fields)."""
    found = []
    n = 0
    while any(f.name.startswith(form_name(f"{path}.{n}") + SEP) for f in filled.fields):
        row = values_of(kind, filled, prefix=f"{path}.{n}")
        n += 1
        if not any(v not in ("", None, ()) for v in row.values()):
            continue
        required = [f.name for f in dataclasses.fields(kind) if not _has_default(f)]
        lacking = [r for r in required if row.get(r) in (None, "")]
        for r in lacking:
            field = form_name(f"{path}.{n - 1}.{r}")
            label = next((f.label for f in filled.fields if f.name == field), r)
            filled.refuse(field, f"{label.split(':')[0]} needs "
                          f"{label.split(': ', 1)[-1][0].lower()}{label.split(': ', 1)[-1][1:]}")
        if not lacking:
            found.append(row)
    return found
