"""Errors raised by the domain. Each names the rule it enforces, so a person can act on it."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class RuleBroken(DomainError):
    """A command was refused because it would break a rule; nothing was recorded."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


class RecordNotFound(DomainError):
    """No record with this id exists."""


class ConcurrencyConflict(DomainError):
    """Another writer changed the record first; reload and try again."""


def require(condition: bool, rule: str) -> None:
    """Refuse the command with `rule` as its reason unless `condition` holds."""
    if not condition:
        raise RuleBroken(rule)


class InputRefused(DomainError, ValueError):
    """A command's field holds what the domain cannot accept (HTTP 422, naming the field).

    A ValueError too, so that pydantic reports it against the field at the door.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field} {problem}" if field else problem)
        self.field, self.problem = field, problem

    def within(self, outer: str) -> InputRefused:
        """The same refusal, for a field nested inside `outer`."""
        return InputRefused(f"{outer}.{self.field}" if self.field else outer, self.problem)


class IntegrityCheckFailed(Exception):
    """A record's stored events failed their integrity check: a ciphertext that does not open in
    its place, a missing version, events out of order, or what `assured verify` found.

    Not a DomainError: nothing the caller did, and nothing they can correct. Its message names
    the record, the version or position and what is wrong; never the record's content.
    """

    def __init__(self, record_id: object, reason: str, *, version: int | None = None,
                 position: int | None = None) -> None:
        where = "".join([f" at version {version}" if version is not None else "",
                         f" (position {position} of the log)" if position is not None else ""])
        super().__init__(f"Record {record_id} failed its integrity check{where}: {reason}")
        self.record_id, self.reason = record_id, reason
        self.version, self.position = version, position
