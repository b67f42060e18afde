"""The kinds of record the API serves, under which URL, and the commands people give on them."""

from __future__ import annotations

from domain.commands import REGISTRY, Command

COLLECTIONS: dict[str, str] = {
    # kind: URL collection
    "safeguarder": "safeguarders",
    "case": "cases",
    "review": "reviews",
    "audit": "audits",
    "region": "regions",
    "group-session": "group-sessions",
    "mentor": "mentors",
    "mentoring-programme": "mentoring-programmes",
    "term-calendar": "term-calendars",
    "arrangement": "arrangements",
    "assurance-cycle": "assurance-cycles",
    "forward-plan": "forward-plans",
    "self-evaluation": "self-evaluations",
}

PAGE_KINDS: dict[str, str] = {
    # Records whose only door is the web pages so far: a submission from the public arrives
    # through the public form and is triaged on the panel team's pages.
    "public-submission": "public-submissions",
}


def person_commands(kind: str) -> list[type[Command]]:
    """The commands people give on records of `kind` (a process's own steps have no door)."""
    return [c for c in REGISTRY.values() if c.kind == kind and not c.by_process]
