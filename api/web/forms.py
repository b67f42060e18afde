"""Forms: what a person typed, read into a command's fields, and what refused it.

A page declares its form as `Field`s named after the command's fields. `read` takes the posted
form: it keeps everything as typed (a refused form is shown again with it), parses dates (the
three-field GOV.UK pattern), yes/no answers and choices, and notes what is missing or
malformed. The command is then made from those values, so the domain checks them as it checks
the API's bodies; a refusal (`InputRefused` naming a field, or a rule broken) is put next to the
field it concerns. Nothing is recorded for a refused form.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal

from api.web.wording import UK

Kind = Literal["text", "textarea", "radios", "yes-no", "date", "select", "password",
               "checkboxes"]
YES_NO = (("yes", "Yes"), ("no", "No"))


@dataclass(frozen=True)
class Field:
    name: str
    """The command's field (or, for `when`, the date the fact happened: the command's `at`)."""
    label: str
    kind: Kind = "text"
    hint: str = ""
    options: tuple[tuple[str, str], ...] = ()
    optional: bool = False
    when: bool = False
    missing: str = ""
    """What to say when it is left empty ("Enter ...", "Select ...")."""
    classes: str = ""
    autocomplete: str = ""
    heading: bool = False
    """The field is the page's question: its label is the page's heading."""

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return YES_NO if self.kind == "yes-no" else self.options

    @property
    def anchor(self) -> str:
        """Where the error summary's link for this field goes (a date's first box)."""
        return f"{self.name}-day" if self.kind == "date" else self.name

    def empty(self) -> str:
        if self.missing:
            return self.missing
        verb = "Select" if self.kind in ("radios", "yes-no", "select", "checkboxes") else "Enter"
        return f"{verb} {self.label[0].lower()}{self.label[1:]}".rstrip("?")


@dataclass
class Filled:
    """A form as the person filled it in."""

    fields: tuple[Field, ...]
    typed: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def refuse(self, name: str, message: str) -> None:
        """Put `message` next to the field `name` (the first field's, if there is no such
        field), unless that field already has one."""
        names = [f.name for f in self.fields]
        chosen = name if name in names else names[0]
        self.errors.setdefault(chosen, message)

    @property
    def summary(self) -> list[dict[str, str]]:
        """The GOV.UK error summary's list, in the form's order."""
        return [{"text": self.errors[f.name], "href": f"#{f.anchor}"} for f in self.fields
                if f.name in self.errors]

    def fact_time(self, now: datetime) -> datetime:
        """When the fact happened: the `when` field's date (late that day, UK time, and never
        after now), or now when the form has no such field or its date is today."""
        when = next((f for f in self.fields if f.when), None)
        day = self.values.get(when.name) if when else None
        if not isinstance(day, date) or day >= now.astimezone(UK).date():
            return now
        late = datetime.combine(day, time(23, 59), tzinfo=UK)
        return min(late, now)

    def command_values(self, command: type) -> dict[str, Any]:
        """The values that are the command's own fields."""
        names = {f.name for f in dataclasses.fields(command)}
        return {k: v for k, v in self.values.items() if k in names
                and not any(f.when and f.name == k for f in self.fields)}


def blank(fields: tuple[Field, ...], **typed: str) -> Filled:
    """A form not yet sent, with what to show in it to start with."""
    return Filled(fields, dict(typed))


def read(fields: tuple[Field, ...], form: Any, today: date) -> Filled:
    """The posted `form` read against `fields`: values parsed, problems noted."""
    filled = Filled(fields)
    for f in fields:
        if f.kind == "date":
            parts = {p: _text(form, f"{f.name}-{p}").strip() for p in ("day", "month", "year")}
            filled.typed.update({f"{f.name}-{p}": v for p, v in parts.items()})
            _read_date(filled, f, parts, today)
            continue
        if f.kind == "checkboxes":
            _read_checkboxes(filled, f, form)
            continue
        typed = _text(form, f.name)
        if f.kind == "textarea":  # browsers send a new line as CR LF; the record keeps LF
            typed = typed.replace("\r\n", "\n").replace("\r", "\n")
        filled.typed[f.name] = typed
        if not typed.strip():
            if not f.optional:
                filled.errors[f.name] = f.empty()
            elif f.kind != "password":
                filled.values[f.name] = ""
            continue
        if f.kind == "yes-no":
            if typed not in ("yes", "no"):
                filled.errors[f.name] = f.empty()
            else:
                filled.values[f.name] = typed == "yes"
        elif f.kind in ("radios", "select"):
            if typed not in {value for value, _ in f.options}:
                filled.errors[f.name] = f.empty()
            else:
                filled.values[f.name] = typed
        else:
            filled.values[f.name] = typed.strip() if f.kind == "text" else typed
    return filled


def _read_checkboxes(filled: Filled, f: Field, form: Any) -> None:
    """Every box ticked, as a list (typed: the values joined by new lines)."""
    ticked = [v for v in (form.getlist(f.name) if form is not None else [])
              if isinstance(v, str)]
    filled.typed[f.name] = "\n".join(ticked)
    known = {value for value, _ in f.options}
    if any(v not in known for v in ticked) or (not ticked and not f.optional):
        filled.errors[f.name] = f.empty()
        return
    filled.values[f.name] = ticked


def _text(form: Any, name: str) -> str:
    value = form.get(name) if form is not None else None
    return value if isinstance(value, str) else ""


def _read_date(filled: Filled, f: Field, parts: dict[str, str], today: date) -> None:
    label = f.label.rstrip("?")
    if not any(parts.values()):
        if not f.optional:
            filled.errors[f.name] = f.empty()
        return
    missing = [p for p, v in parts.items() if not v]
    if missing:
        filled.errors[f.name] = f"{label} must include a {' and a '.join(missing)}"
        return
    if not all(v.isdigit() for v in parts.values()):
        filled.errors[f.name] = f"{label} must be a real date, in numbers"
        return
    if len(parts["year"]) != 4:
        filled.errors[f.name] = "The year must include 4 numbers"
        return
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        filled.errors[f.name] = f"{label} must be a real date"
        return
    if f.when and day > today:
        filled.errors[f.name] = f"{label} must be today or in the past"
        return
    filled.values[f.name] = day
