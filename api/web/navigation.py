"""The service navigation: which pages each role finds in the header, in one table.

Pages for the practice review sub-group (the register, rapid reviews, audits, the scorecard),
supervisors and practitioners (their cases), operations staff (the processes) and agency
contributors (what is asked of their agency) come in a later round; each will be one row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.auth import Principal
from domain.accounts import Role

EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    roles: frozenset[Role]


PAGES = (
    Page("My work", "/app/my-work", EVERYONE),
    Page("Safeguarders", "/app/safeguarders",
         frozenset({Role.SUPPORT_MANAGER, Role.PANEL_ADMIN, Role.MENTORING_COORDINATOR,
                    Role.AUDITOR})),
    Page("Group sessions", "/app/group-sessions",
         frozenset({Role.SUPPORT_MANAGER, Role.PANEL_ADMIN})),
    Page("Feedback from the public", "/app/submissions",
         frozenset({Role.PANEL_ADMIN, Role.AUDITOR})),
    Page("Find a record", "/app/find", frozenset({Role.AUDITOR})),
    # web-journeys: the practice review sub-group, supervision, operations, agencies
    Page("Register", "/app/register", frozenset({Role.PRACTICE_REVIEW_MEMBER, Role.AUDITOR})),
    Page("Scorecard", "/app/scorecard", frozenset({Role.PRACTICE_REVIEW_MEMBER, Role.AUDITOR})),
    Page("What we are asked", "/app/agency", frozenset({Role.AGENCY_CONTRIBUTOR})),
    Page("My cases", "/app/cases", frozenset({Role.SUPERVISOR, Role.PRACTITIONER})),
    Page("Processes", "/app/processes", frozenset({Role.OPS})),
    # web-seed: issue 12's processes
    Page("My arrangements", "/app/arrangements",
         frozenset({Role.SUPERVISOR, Role.PRACTITIONER})),
    Page("Assurance", "/app/assurance", frozenset({Role.BUSINESS_UNIT})),
    Page("My self-evaluations", "/app/self-evaluations", frozenset({Role.LEADER})),
    Page("Peer mentoring", "/app/mentoring-programme",
         frozenset({Role.PANEL_ADMIN, Role.MENTORING_COORDINATOR})),
    Page("Supervision evaluations", "/app/evaluation-counts",
         frozenset({Role.BUSINESS_UNIT, Role.PRACTICE_REVIEW_MEMBER, Role.LEADER, Role.AUDITOR})),
)


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    current: bool


def links(who: Principal | None, path: str) -> list[Link]:
    """The pages `who` may open, the one holding `path` marked as current."""
    if who is None:
        return []
    return [Link(p.label, p.path, path == p.path or path.startswith(p.path + "/"))
            for p in PAGES if who.role in p.roles]


def may_open(who: Principal, path: str) -> bool:
    return any(link.href == path for link in links(who, path))
