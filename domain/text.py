"""Bounded input: the one text type every command field uses, and bounded lists.

Whatever a person types is held by PostgreSQL, read models, PDFs and pages. So the domain
refuses, field by field, text those cannot hold or that would mislead a reader:
- NUL (PostgreSQL text cannot hold it) and lone surrogates (not encodable as UTF-8);
- control characters other than newline and tab;
- the bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069),
  which can make text read differently from what it holds ("Trojan Source");
- more than the field's kind allows: a short name or reference, or a narrative.

`Short` and `Narrative` are `Annotated[str, Text(...)]`. The same `Text` checks a command when
it is made (`domain.commands`) and, through pydantic's hook, the HTTP body at the door, so the
rule and its words live here alone. `Items(n)` bounds a list the same way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sized
from dataclasses import dataclass
from typing import Annotated, Any

SHORT_LIMIT = 200
NARRATIVE_LIMIT = 20_000
ALLOWED_CONTROLS = frozenset("\n\t")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def text_fault(value: str, limit: int) -> str | None:
    """What is wrong with `value` as text of at most `limit` characters; None if nothing."""
    if len(value) > limit:
        return f"is longer than {limit:,} characters"
    for index, char in enumerate(value):
        if char in ALLOWED_CONTROLS:
            continue
        if char in BIDI_CONTROLS:
            return f"holds a bidirectional control character (U+{ord(char):04X}) at {index}"
        category = unicodedata.category(char)
        if category == "Cs":
            return f"holds a lone surrogate (U+{ord(char):04X}) at {index}"
        if category == "Cc":
            return f"holds a control character (U+{ord(char):04X}) at {index}"
    return None


@dataclass(frozen=True)
class Text:
    """Text of one kind: at most `limit` characters, nothing a store or a reader cannot hold."""

    limit: int

    def check(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("is not text")
        fault = text_fault(value, self.limit)
        if fault is not None:
            raise ValueError(fault)
        return value

    # pydantic's hooks: the HTTP body checks the field with the same rule, and documents it.
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        found = handler(schema)
        found["maxLength"] = self.limit
        found["pattern"] = TEXT_PATTERN
        return found


# The characters refused, as a JSON Schema pattern for the API's documentation (a lone
# surrogate is refused too, but a pattern cannot say so).
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]*$"


@dataclass(frozen=True)
class Items:
    """A list of at most `limit` items."""

    limit: int

    def check(self, value: Any) -> Any:
        if isinstance(value, Sized) and len(value) > self.limit:
            raise ValueError(f"has more than {self.limit:,} items")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        found = handler(schema)
        if found.get("type") != "object":
            found["maxItems"] = self.limit
            return found
        # A mapping: pydantic writes a key's pattern as patternProperties, which would leave
        # every other key unconstrained; say instead that all keys match and all values are text.
        found["maxProperties"] = self.limit
        patterns = found.pop("patternProperties", {})
        for pattern, value in patterns.items():
            found.setdefault("propertyNames", {})["pattern"] = pattern
            found["additionalProperties"] = value
        return found


Short = Annotated[str, Text(SHORT_LIMIT)]
"""A name, a reference, an id or a code typed by a person."""

Narrative = Annotated[str, Text(NARRATIVE_LIMIT)]
"""Notes, a summary, a rationale: free text."""
