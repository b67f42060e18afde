"""Errors raised by the domain. Each names the rule it enforces, so a person can act on it."""


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
