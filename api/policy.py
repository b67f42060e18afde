"""Who may do what: one pure function of role, record and relationship.

`decide(principal, action, facts)` answers ALLOW, FORBIDDEN (the caller may see the record but
not do this: 403) or HIDDEN (the caller may not know the record exists: 404). The table test in
`tests/api/test_policy.py` spells out every role; the route tests check every route against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from api.auth import Principal
from domain.accounts import Role
from domain.arrangement_values import REPORTED_TO
from domain.policy import DEFAULT_POLICY
from domain.supervision_window import (
    ARRANGEMENT_SUPERVISION_EVENTS,
    SUPERVISION_EVENTS,
    SupervisionView,
    window_start,
)


class Decision(Enum):
    ALLOW = "allow"
    FORBIDDEN = "forbidden"
    HIDDEN = "hidden"


class Action(StrEnum):
    READ = "read"          # a record, its read models
    WRITE = "write"        # a command on it
    HISTORY = "history"    # the auditor's replay
    VIEWERS = "viewers"    # who viewed it
    OPS = "ops"            # workflows and health


@dataclass(frozen=True)
class Facts:
    """What the policy needs to know of a record (never its content)."""

    kind: str
    region: str | None = None
    support_manager: str | None = None
    practitioner: str | None = None
    supervisor: str | None = None
    named_in_review: bool = False
    agencies: frozenset[str] = frozenset()
    """The agencies a review's information requests or an audit's returns are addressed to."""
    parties: tuple[str, ...] = ()
    """The people a record is between (an arrangement's supervisor and supervisee, a
    self-evaluation's leader): they act on it, whatever their role."""
    contributors: tuple[str, ...] = ()
    """The people a record names with a part to play (an arrangement's line manager and
    safeguarding lead, a cycle's leads, a plan's owners): they read it and give their part."""


PANEL_KINDS = {"safeguarder", "region", "group-session", "mentor", "mentoring-programme"}
REVIEW_KINDS = {"review", "audit"}
TRIAGE_KINDS = {"public-submission"}  # what the public told the panel, until it is attached
PANEL_TEAM = {Role.PANEL_ADMIN, Role.SUPPORT_MANAGER, Role.MENTORING_COORDINATOR}
MENTORING_COMMANDS = {"assign-mentor", "record-mentoring-session"}
AUDIT_COMMANDS = {"record-audit-grade"}
AGENCY_COMMANDS = {"receive-agency-information", "submit-return"}
"""What an agency contributor does on a review or audit that asks something of its agency."""
CYCLE_LEAD_COMMANDS = {"submit-evidence"}
"""What an agency contributor named as a cycle's lead does on it: gives its evidence."""
PARTNERSHIP_KINDS = {"assurance-cycle", "forward-plan"}
RELATED_KINDS = {"arrangement", "self-evaluation", "term-calendar", *PARTNERSHIP_KINDS}
"""Kinds whose visibility follows who the record names, more than the caller's role."""
CONTRIBUTOR_COMMANDS = {
    "arrangement": {"record-reported", "complete-line-management-action"},
    "assurance-cycle": {"submit-evidence", "answer-query"},
    "forward-plan": {"record-activity-done"},
}
"""What a contributor may do on a record they only read."""


def decide(who: Principal, action: Action, facts: Facts, command: str | None = None) -> Decision:
    if action == Action.OPS:
        return Decision.ALLOW if who.role == Role.OPS else Decision.FORBIDDEN
    if who.role == Role.AUDITOR:
        return Decision.FORBIDDEN if action == Action.WRITE else Decision.ALLOW
    seen = _sees(who, facts)
    if seen is None:
        return Decision.HIDDEN
    if seen == "asked":  # an agency may answer, never read the record or anyone's answers
        allowed = action == Action.WRITE and command in (
            AGENCY_COMMANDS if facts.kind in REVIEW_KINDS else CYCLE_LEAD_COMMANDS)
        return Decision.ALLOW if allowed else Decision.FORBIDDEN
    if action == Action.READ:
        return Decision.ALLOW
    if action == Action.VIEWERS:
        allowed = who.role == Role.PANEL_ADMIN and facts.kind in PANEL_KINDS | TRIAGE_KINDS
        return Decision.ALLOW if allowed else Decision.FORBIDDEN
    if action == Action.HISTORY:
        return Decision.ALLOW if seen == "own" else Decision.FORBIDDEN
    return Decision.ALLOW if _writes(who, facts, seen, command) else Decision.FORBIDDEN


def _sees(who: Principal, facts: Facts) -> str | None:
    """'own' (may act), 'read' (read only), 'asked' (an agency asked for something) or None
    (hidden)."""
    role, kind = who.role, facts.kind
    if role == Role.AGENCY_CONTRIBUTOR:
        asked = kind in REVIEW_KINDS and same_agency(who.agency, facts.agencies)
        # A quarterly assurance cycle asks its named leads, an agency's among them (seed 004).
        asked = asked or (kind == "assurance-cycle" and who.username in facts.contributors)
        return "asked" if asked else None
    if kind in RELATED_KINDS:
        return None if role == Role.OPS else _sees_related(who, facts)
    if role == Role.PANEL_ADMIN:
        return "own" if kind in PANEL_KINDS | TRIAGE_KINDS else None
    if role == Role.SUPPORT_MANAGER:
        if kind == "safeguarder":
            if facts.support_manager == who.username:
                return "own"
            return "read" if facts.region is not None and facts.region == who.region else None
        return "own" if kind == "group-session" else ("read" if kind in PANEL_KINDS else None)
    if role == Role.MENTORING_COORDINATOR:
        mine = kind in ("mentor", "mentoring-programme")
        return "own" if mine else ("read" if kind in PANEL_KINDS else None)
    if role == Role.PRACTITIONER:
        return "own" if kind == "case" and facts.practitioner == who.username else None
    if role == Role.SUPERVISOR:
        return "own" if kind == "case" and facts.supervisor == who.username else None
    if role == Role.PRACTICE_REVIEW_MEMBER:
        if kind in REVIEW_KINDS:
            return "own"
        return "read" if kind == "case" and facts.named_in_review else None
    return None  # ops sees no records


def _sees_related(who: Principal, facts: Facts) -> str | None:
    """An arrangement: its parties act, its line manager and safeguarding lead read. A
    self-evaluation: its leader alone. A cycle, the plan: the business unit acts, the leads and
    owners they name read, the partnership's members and leaders read. Term dates: the
    business unit keeps them, everyone reads them."""
    role, kind, name = who.role, facts.kind, who.username
    if kind in ("arrangement", "self-evaluation"):
        if name in facts.parties:
            return "own"
        return "read" if name in facts.contributors else None
    if role == Role.BUSINESS_UNIT:
        return "own"
    if kind == "term-calendar":
        return "read"
    readers = {Role.PRACTICE_REVIEW_MEMBER, Role.LEADER}
    return "read" if name in facts.contributors or role in readers else None


def _writes(who: Principal, facts: Facts, seen: str, command: str | None) -> bool:
    if seen == "own":
        return True
    if who.username in facts.contributors and command in CONTRIBUTOR_COMMANDS.get(facts.kind,
                                                                                   ()):
        return True
    # A mentoring coordinator records mentoring on a Safeguarder they may read; a practice
    # review member grades a case an audit named (not its own practitioner or supervisor).
    if who.role == Role.MENTORING_COORDINATOR:
        return facts.kind == "safeguarder" and command in MENTORING_COMMANDS
    return (who.role == Role.PRACTICE_REVIEW_MEMBER and facts.kind == "case"
            and command in AUDIT_COMMANDS)


CREATORS = {
    "safeguarder": {Role.PANEL_ADMIN},
    "region": {Role.PANEL_ADMIN},
    "group-session": {Role.PANEL_ADMIN, Role.SUPPORT_MANAGER},
    "mentor": {Role.PANEL_ADMIN, Role.MENTORING_COORDINATOR},
    "case": {Role.PRACTITIONER, Role.SUPERVISOR},
    "review": {Role.PRACTICE_REVIEW_MEMBER},
    "audit": {Role.PRACTICE_REVIEW_MEMBER},
    "mentoring-programme": {Role.PANEL_ADMIN, Role.MENTORING_COORDINATOR},
    "term-calendar": {Role.BUSINESS_UNIT},
    "arrangement": {Role.SUPERVISOR, Role.PRACTITIONER},
    "assurance-cycle": {Role.BUSINESS_UNIT},
    "forward-plan": {Role.BUSINESS_UNIT},
    "self-evaluation": {Role.LEADER},
}


def same_agency(agency: str | None, named: Any) -> bool:
    """Whether `agency` is among the agencies `named` (one name or several), as people type
    them: case and surrounding spaces aside."""
    if not agency or not agency.strip():
        return False
    names = [named] if isinstance(named, str) else list(named)
    return agency.strip().casefold() in {str(n).strip().casefold() for n in names}


def answers_for_own_agency(who: Principal, command: Any, record: Any) -> bool:
    """An agency contributor's answer is its own agency's: a return it submits names its
    agency, information it sends answers a request addressed to its agency, and evidence it
    gives a cycle is the evidence it is named the lead of. (Every other
    role: nothing to check here.)"""
    if who.role != Role.AGENCY_CONTRIBUTOR:
        return True
    if command.verb == "submit-return":
        return same_agency(who.agency, command.agency)
    if command.verb == "receive-agency-information":
        asked = record.requests.get(command.request_id)
        return asked is not None and same_agency(who.agency, asked["agency"])
    if command.verb == "submit-evidence":  # the evidence the cycle names them the lead of
        owed = record.evidence.get(command.item)
        return owed is not None and owed["lead"] == who.username
    return False


def may_create(who: Principal, kind: str) -> bool:
    """Who opens new records of each kind."""
    return who.role in CREATORS.get(kind, set())


# Data subjects' rights (domain/subjects.py): who erases a subject's record, places and lifts
# a legal hold on it, and exports what is held about them (UK GDPR Arts. 15 and 17). The panel
# team admin, for the Safeguarders the panel team keeps; the data protection officer, for every
# subject. Neither needs to read the record through its own door to do it.
GOVERNORS = {
    "safeguarder": {Role.PANEL_ADMIN, Role.DATA_PROTECTION_OFFICER},
    "case": {Role.DATA_PROTECTION_OFFICER},
    # A person who gave feedback about a Safeguarder: the panel team takes feedback in.
    "feedback-giver": {Role.PANEL_ADMIN, Role.DATA_PROTECTION_OFFICER},
}


def may_govern(who: Principal, kind: str) -> bool:
    return who.role in GOVERNORS.get(kind, set())


# Lists and reports that span records: who may read them (each row is still filtered by `_sees`).
LISTERS: dict[str, set[Role]] = {
    "safeguarders": {Role.PANEL_ADMIN, Role.MENTORING_COORDINATOR, Role.AUDITOR,
                     Role.SUPPORT_MANAGER},
    "cases": {Role.PRACTITIONER, Role.SUPERVISOR, Role.PRACTICE_REVIEW_MEMBER, Role.AUDITOR},
    "supervision": {Role.PRACTICE_REVIEW_MEMBER, Role.AUDITOR, Role.PRACTITIONER,
                    Role.SUPERVISOR},
    "register": {Role.PRACTICE_REVIEW_MEMBER, Role.AUDITOR},
    "scorecard": {Role.PRACTICE_REVIEW_MEMBER, Role.AUDITOR, Role.BUSINESS_UNIT, Role.LEADER},
    "submissions": {Role.PANEL_ADMIN, Role.AUDITOR},
    "evaluation-counts": {Role.BUSINESS_UNIT, Role.PRACTICE_REVIEW_MEMBER, Role.LEADER,
                          Role.AUDITOR},
    "my-work": set(Role) - {Role.OPS},
    "regions": PANEL_TEAM | {Role.AUDITOR},
    "group-sessions": PANEL_TEAM | {Role.AUDITOR},
    "mentors": PANEL_TEAM | {Role.AUDITOR},
}


def may_list(who: Principal, what: str) -> bool:
    return who.role in LISTERS.get(what, set())


def sees_case_row(who: Principal, practitioner: str, supervisor: str) -> bool:
    """A row of a list of cases' supervision (codes and dates only, never the child): the
    partnership's reviewers see every case's; a practitioner or a supervisor, their own."""
    if who.role in {Role.PRACTICE_REVIEW_MEMBER, Role.AUDITOR}:
        return True
    facts = Facts("case", practitioner=practitioner, supervisor=supervisor)
    return decide(who, Action.READ, facts) == Decision.ALLOW


def may_see_caseload(who: Principal, manager: str) -> bool:
    """A support manager's caseload: theirs, the panel team admin's and the auditors'."""
    themself = who.role == Role.SUPPORT_MANAGER and who.username == manager
    return themself or who.role in {Role.PANEL_ADMIN, Role.AUDITOR}


CONTACT_ROLES = PANEL_TEAM


def may_disable_accounts(who: Principal) -> bool:
    """Local accounts are the panel admin's to disable."""
    return who.role == Role.PANEL_ADMIN


def may_set_email(who: Principal, username: str) -> bool:
    """Where an account's reminders go: the panel admin's to set (local accounts are theirs),
    and each person's own."""
    return who.role == Role.PANEL_ADMIN or who.username == username


def may_unlock_names(who: Principal) -> bool:
    """A name locked by failed sign-ins: the panel team lets its owner try again."""
    return who.role in PANEL_TEAM



def hidden_fields(who: Principal, kind: str) -> set[str]:
    """Field-level rules: only the panel team sees a Safeguarder's contact details."""
    return {"contact"} if kind == "safeguarder" and who.role not in CONTACT_ROLES else set()


RECORDS_OF = {"case": ("discussions", SUPERVISION_EVENTS),
              "arrangement": ("sessions", ARRANGEMENT_SUPERVISION_EVENTS)}
"""Where a record keeps its supervision records, and which of its events are ones."""


def sees_all_supervision(who: Principal, kind: str) -> bool:
    """Whether no supervision window can limit what `who` sees of a record of `kind` (seed
    002 limits a replacement supervisor's view of a case, and of a supervision arrangement:
    on a case, only the supervisor role is one; on an arrangement, whoever supervised it)."""
    return kind not in RECORDS_OF or (kind == "case" and who.role != Role.SUPERVISOR)


def supervision_view(who: Principal, kind: str,
                     state: dict[str, Any]) -> SupervisionView | None:
    """The supervision records of a case or an arrangement `who` may see (seed 002): a
    replacement supervisor, from six months before they took it over. None when all of them."""
    if sees_all_supervision(who, kind):
        return None
    start = window_start(state.get("supervisors", []), who.username, DEFAULT_POLICY)
    if start is None:
        return None
    records, events = RECORDS_OF[kind]
    return SupervisionView.of(state[records], start, events)


def visible_to(who: Principal, kind: str,
               state: dict[str, Any]) -> Callable[[str, str | None], bool] | None:
    """Whether `who` may see an event, or a read row made from one, given its type and the
    discussion (or an arrangement's session) it belongs to. None when `who` sees everything.
    The one predicate for the record's history, its state, its chronology, its RAG trend and
    the lists of its rows (a discussion's row, and an agreed action's, are made from its
    `DiscussionRecorded`)."""
    view = supervision_view(who, kind, state)
    return None if view is None else view.shows


def event_visible_to(who: Principal, kind: str,
                     state: dict[str, Any]) -> Callable[[Any], bool] | None:
    """`visible_to`, for a stored event (an action's event belongs to its discussion, a
    marking's reporting to the session it was marked in)."""
    visible = visible_to(who, kind, state)
    if visible is None:
        return None
    actions = state.get("actions", {})
    markings = state.get("markings", {})

    def shown(event: Any) -> bool:
        belongs = getattr(event, "discussion_id", None) or getattr(event, "session_id", None)
        if belongs is None and hasattr(event, "action_id"):
            belongs = actions.get(event.action_id, {}).get("discussion_id")
        if belongs is None and hasattr(event, "marking_id"):
            belongs = markings.get(event.marking_id, {}).get("session_id")
        return visible(type(event).__name__, belongs)

    return shown


def arrangement_shown(who: Principal, state: dict[str, Any]) -> dict[str, Any]:
    """An arrangement as `who` may see it (seed 002, 'Confidentiality' and 'Practicalities'):
    its parties see its sessions (a replacement supervisor from six months before taking it
    over); its line manager and safeguarding lead see its terms, when sessions were held, and
    only the confidentiality markings reported to them (level 1 the safeguarding lead, levels
    2 and 3 the line manager); an auditor sees it all."""
    if who.role == Role.AUDITOR:
        return state
    shown = dict(state)
    visible = visible_to(who, "arrangement", state)
    if visible is not None:
        shown["sessions"] = {i: s for i, s in state["sessions"].items()
                             if visible("SessionRecorded", i)}
        shown["markings"] = {i: m for i, m in state["markings"].items()
                             if visible("ConfidentialityMarked", m["session_id"])}
    if who.username in (state["supervisor"], state["supervisee"]):
        return shown
    shown["sessions"] = {i: {"session_id": i, "held_on": s["held_on"],
                             "supervisor": s["supervisor"]}
                         for i, s in state["sessions"].items()}
    shown["markings"] = {i: m for i, m in state["markings"].items()
                         if who.username in {state[role] for role in REPORTED_TO[m["level"]]}}
    return shown


def redact(who: Principal, kind: str, state: dict[str, Any]) -> dict[str, Any]:
    """The state as `who` may see it: hidden fields removed, old supervision left out."""
    shown = {k: v for k, v in state.items() if k not in hidden_fields(who, kind)}
    if kind == "arrangement":
        return arrangement_shown(who, shown)
    visible = visible_to(who, kind, state)
    if visible is not None:
        shown["discussions"] = {i: d for i, d in state["discussions"].items()
                                if visible("DiscussionRecorded", i)}
        shown["actions"] = {i: a for i, a in state["actions"].items()
                            if visible("DiscussionRecorded", a["discussion_id"])}
    return shown
