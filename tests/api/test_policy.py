"""The access policy, as a table: every role against every kind of record and relationship.

The expectations are written from the issue's words, not from the code:
- Panel team admin: everything on Safeguarders (and the panel's regions, group sessions, mentors).
- Support manager: Safeguarders allocated to them; those of their region read-only.
- Mentoring coordinator: mentors; reads the panel's records; records mentoring on Safeguarders.
- Practitioner: their own cases. Supervisor: the cases they supervise.
- Practice review member: reviews and audits; read-only the cases named in an audit.
- Auditor: reads and replays everything, writes nothing. Ops: no records at all.
- Agency contributor (one agency): answers a review or audit that asks something of its
  agency (information, a return), and reads none of it; every other record is hidden.
A record the caller may not know of is HIDDEN (404), never FORBIDDEN (403).
"""

from __future__ import annotations

import copy

import pytest

from api.auth import Principal
from api.policy import Action, Decision, Facts, decide, may_create, may_govern, redact
from domain.accounts import Role

A, F, H = Decision.ALLOW, Decision.FORBIDDEN, Decision.HIDDEN
ACTIONS = (Action.READ, Action.WRITE, Action.HISTORY, Action.VIEWERS)

# One caller per role; the support manager works in the East.
CALLERS = {
    Role.PANEL_ADMIN: Principal("pa-1", Role.PANEL_ADMIN),
    Role.SUPPORT_MANAGER: Principal("sm-east", Role.SUPPORT_MANAGER, "East"),
    Role.MENTORING_COORDINATOR: Principal("mc-1", Role.MENTORING_COORDINATOR),
    Role.PRACTITIONER: Principal("pr-1", Role.PRACTITIONER),
    Role.SUPERVISOR: Principal("su-1", Role.SUPERVISOR),
    Role.PRACTICE_REVIEW_MEMBER: Principal("prm-1", Role.PRACTICE_REVIEW_MEMBER),
    Role.AUDITOR: Principal("au-1", Role.AUDITOR),
    Role.OPS: Principal("op-1", Role.OPS),
    Role.AGENCY_CONTRIBUTOR: Principal("ag-police", Role.AGENCY_CONTRIBUTOR, agency="Police"),
    Role.DATA_PROTECTION_OFFICER: Principal("dpo-1", Role.DATA_PROTECTION_OFFICER),
    Role.BUSINESS_UNIT: Principal("bu-1", Role.BUSINESS_UNIT),
    Role.LEADER: Principal("dcs-1", Role.LEADER),
}

# Each record, described by its relationship to the callers above.
RECORDS = {
    "safeguarder allocated to the caller": Facts("safeguarder", "East", "sm-east"),
    "safeguarder of the caller's region": Facts("safeguarder", "East", "sm-other"),
    "safeguarder of another region": Facts("safeguarder", "West", "sm-west"),
    "case the caller practises": Facts("case", practitioner="pr-1", supervisor="su-9"),
    "case the caller supervises": Facts("case", practitioner="pr-9", supervisor="su-1"),
    "case of neither": Facts("case", practitioner="pr-9", supervisor="su-9"),
    "case named in an audit": Facts("case", practitioner="pr-9", supervisor="su-9",
                                    named_in_review=True),
    "review": Facts("review"),
    "audit": Facts("audit"),
    "review asking the caller's agency": Facts("review", agencies=frozenset({"police",
                                                                             "Health"})),
    "audit asking the caller's agency": Facts("audit", agencies=frozenset({" Police "})),
    "review asking other agencies": Facts("review", agencies=frozenset({"Health"})),
    "region": Facts("region"),
    "group-session": Facts("group-session"),
    "mentor": Facts("mentor"),
}

PANEL_TEAM_ROLES = (Role.PANEL_ADMIN, Role.SUPPORT_MANAGER, Role.MENTORING_COORDINATOR)

# Expected (read, write, history, viewers) for every role and record.
HIDDEN = "HHHH"
EXPECTED: dict[Role, dict[str, str]] = {
    Role.PANEL_ADMIN: {
        "safeguarder allocated to the caller": "AAAA",
        "safeguarder of the caller's region": "AAAA",
        "safeguarder of another region": "AAAA",
        "case the caller practises": HIDDEN,
        "case the caller supervises": HIDDEN,
        "case of neither": HIDDEN,
        "case named in an audit": HIDDEN,
        "review": HIDDEN,
        "audit": HIDDEN,
        "region": "AAAA",
        "group-session": "AAAA",
        "mentor": "AAAA",
    },
    Role.SUPPORT_MANAGER: {
        "safeguarder allocated to the caller": "AAAF",
        "safeguarder of the caller's region": "AFFF",
        "safeguarder of another region": HIDDEN,
        "case the caller practises": HIDDEN,
        "case the caller supervises": HIDDEN,
        "case of neither": HIDDEN,
        "case named in an audit": HIDDEN,
        "review": HIDDEN,
        "audit": HIDDEN,
        "region": "AFFF",
        "group-session": "AAAF",
        "mentor": "AFFF",
    },
    Role.MENTORING_COORDINATOR: {
        "safeguarder allocated to the caller": "AFFF",
        "safeguarder of the caller's region": "AFFF",
        "safeguarder of another region": "AFFF",
        "case the caller practises": HIDDEN,
        "case the caller supervises": HIDDEN,
        "case of neither": HIDDEN,
        "case named in an audit": HIDDEN,
        "review": HIDDEN,
        "audit": HIDDEN,
        "region": "AFFF",
        "group-session": "AFFF",
        "mentor": "AAAF",
    },
    Role.PRACTITIONER: {
        **{name: HIDDEN for name in RECORDS},
        "case the caller practises": "AAAF",
    },
    Role.SUPERVISOR: {
        **{name: HIDDEN for name in RECORDS},
        "case the caller supervises": "AAAF",
    },
    Role.PRACTICE_REVIEW_MEMBER: {
        **{name: HIDDEN for name in RECORDS},
        "case named in an audit": "AFFF",
        "review": "AAAF",
        "audit": "AAAF",
        "review asking the caller's agency": "AAAF",
        "audit asking the caller's agency": "AAAF",
        "review asking other agencies": "AAAF",
    },
    Role.AUDITOR: {name: "AFAA" for name in RECORDS},
    Role.OPS: {name: HIDDEN for name in RECORDS},
    Role.AGENCY_CONTRIBUTOR: {
        **{name: HIDDEN for name in RECORDS},
        # Asked: it may know the record exists, never read it, its history or its viewers;
        # writing is only its answer (below).
        "review asking the caller's agency": "FFFF",
        "audit asking the caller's agency": "FFFF",
    },
    Role.DATA_PROTECTION_OFFICER: {name: HIDDEN for name in RECORDS},
    # The partnership's business unit and its leaders (issue 12) keep the assurance cycle, the
    # forward plan and self-evaluations: no Safeguarder, case, review or audit of their own.
    Role.BUSINESS_UNIT: {name: HIDDEN for name in RECORDS},
    Role.LEADER: {name: HIDDEN for name in RECORDS},
}

# The panel team knows nothing of reviews and audits, whichever agencies they ask.
for _role in PANEL_TEAM_ROLES:
    EXPECTED[_role].update({name: HIDDEN for name in RECORDS if name.startswith(("review ",
                                                                                 "audit "))})

TABLE = [
    pytest.param(role, record, action, {"A": A, "F": F, "H": H}[EXPECTED[role][record][i]],
                 id=f"{role.value}-{record.replace(' ', '_')}-{action.value}")
    for role in Role
    for record in RECORDS
    for i, action in enumerate(ACTIONS)
]


def test_the_table_covers_every_role_and_record() -> None:
    assert set(EXPECTED) == set(Role) == set(CALLERS)
    for role, row in EXPECTED.items():
        assert set(row) == set(RECORDS), role
    assert len(TABLE) == len(Role) * len(RECORDS) * len(ACTIONS)


@pytest.mark.parametrize(("role", "record", "action", "expected"), TABLE)
def test_decide(role: Role, record: str, action: Action, expected: Decision) -> None:
    assert decide(CALLERS[role], action, RECORDS[record]) == expected


@pytest.mark.parametrize("role", list(Role))
def test_only_ops_watches_the_processes(role: Role) -> None:
    expected = A if role == Role.OPS else F
    for facts in [Facts("workflow"), *RECORDS.values()]:
        assert decide(CALLERS[role], Action.OPS, facts) == expected


MENTORING = ["assign-mentor", "record-mentoring-session"]
OTHER_SAFEGUARDER_COMMANDS = ["appoint", "record-support-session", "raise-concern", "allocate",
                              "remove", None]


@pytest.mark.parametrize("record", [r for r in RECORDS if r.startswith("safeguarder")])
def test_a_mentoring_coordinator_records_mentoring_and_nothing_else_on_a_safeguarder(
    record: str,
) -> None:
    coordinator = CALLERS[Role.MENTORING_COORDINATOR]
    for command in MENTORING:
        assert decide(coordinator, Action.WRITE, RECORDS[record], command) == A, command
    for other in OTHER_SAFEGUARDER_COMMANDS:
        assert decide(coordinator, Action.WRITE, RECORDS[record], other) == F, other


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MENTORING_COORDINATOR])
def test_the_mentoring_exception_is_the_coordinators_alone(role: Role) -> None:
    for name, facts in RECORDS.items():
        plain = decide(CALLERS[role], Action.WRITE, facts)
        for command in MENTORING:
            assert decide(CALLERS[role], Action.WRITE, facts, command) == plain, (name, command)


def test_a_mentoring_command_does_not_open_a_record_the_coordinator_may_not_see() -> None:
    coordinator = CALLERS[Role.MENTORING_COORDINATOR]
    for name in ("case of neither", "review", "audit"):
        assert decide(coordinator, Action.WRITE, RECORDS[name], "record-mentoring-session") == H


def test_a_practice_review_member_grades_a_case_an_audit_named_and_does_nothing_else() -> None:
    member = CALLERS[Role.PRACTICE_REVIEW_MEMBER]
    named = RECORDS["case named in an audit"]
    assert decide(member, Action.WRITE, named, "record-audit-grade") == A
    assert decide(member, Action.WRITE, named, "record-discussion") == F
    assert decide(member, Action.WRITE, RECORDS["case of neither"], "record-audit-grade") == H


def test_support_managers_see_by_their_own_region_and_allocation() -> None:
    west = Principal("sm-west", Role.SUPPORT_MANAGER, "West")
    east_allocated = RECORDS["safeguarder allocated to the caller"]
    west_record = Facts("safeguarder", "West", None)
    assert decide(west, Action.READ, east_allocated) == H
    assert decide(west, Action.WRITE, east_allocated) == H
    assert decide(west, Action.READ, west_record) == A
    assert decide(west, Action.WRITE, west_record) == F
    # Allocation counts wherever the record is: a manager allocated a Safeguarder acts on it.
    assert decide(west, Action.WRITE, Facts("safeguarder", "East", "sm-west")) == A
    # A manager with no region sees only those allocated to them, never regionless records.
    nowhere = Principal("sm-x", Role.SUPPORT_MANAGER, None)
    assert decide(nowhere, Action.READ, Facts("safeguarder", None, None)) == H
    assert decide(nowhere, Action.READ, Facts("safeguarder", None, "sm-x")) == A


def test_a_name_is_not_a_role() -> None:
    """Being named on a record gives nothing to a caller of another role."""
    practitioner_case = RECORDS["case the caller practises"]
    for role in (Role.SUPERVISOR, Role.SUPPORT_MANAGER, Role.MENTORING_COORDINATOR,
                 Role.PANEL_ADMIN, Role.OPS, Role.PRACTICE_REVIEW_MEMBER):
        impostor = Principal("pr-1", role, "East")
        assert decide(impostor, Action.READ, practitioner_case) == H, role
    allocated = RECORDS["safeguarder allocated to the caller"]
    for role in (Role.PRACTITIONER, Role.SUPERVISOR, Role.OPS, Role.PRACTICE_REVIEW_MEMBER):
        impostor = Principal("sm-east", role, "East")
        assert decide(impostor, Action.READ, allocated) == H, role


def test_a_case_with_both_practitioner_and_supervisor_is_each_ones_own() -> None:
    case = Facts("case", practitioner="pr-1", supervisor="su-1")
    for role in (Role.PRACTITIONER, Role.SUPERVISOR):
        assert [decide(CALLERS[role], a, case) for a in ACTIONS] == [A, A, A, F]
    assert decide(Principal("su-1", Role.PRACTITIONER), Action.READ, case) == H
    assert decide(Principal("pr-1", Role.SUPERVISOR), Action.READ, case) == H


def test_an_agency_contributor_answers_what_its_agency_is_asked_and_nothing_else() -> None:
    police = CALLERS[Role.AGENCY_CONTRIBUTOR]
    asked = RECORDS["review asking the caller's agency"]
    assert decide(police, Action.WRITE, asked, "receive-agency-information") == A
    assert decide(police, Action.WRITE, RECORDS["audit asking the caller's agency"],
                  "submit-return") == A
    for other in ("request-agency-information", "complete-rapid-review", "close", None):
        assert decide(police, Action.WRITE, asked, other) == F, other
    for hidden in ("review asking other agencies", "review", "case named in an audit"):
        assert decide(police, Action.WRITE, RECORDS[hidden], "submit-return") == H, hidden
    # An agency contributor's account without an agency is asked nothing.
    nobody = Principal("ag-x", Role.AGENCY_CONTRIBUTOR)
    assert decide(nobody, Action.WRITE, asked, "receive-agency-information") == H
    assert not may_create(police, "review")


# --- who opens records -------------------------------------------------------------------

CREATORS = {
    "safeguarder": {Role.PANEL_ADMIN},
    "region": {Role.PANEL_ADMIN},
    "group-session": {Role.PANEL_ADMIN, Role.SUPPORT_MANAGER},
    "mentor": {Role.PANEL_ADMIN, Role.MENTORING_COORDINATOR},
    "case": {Role.PRACTITIONER, Role.SUPERVISOR},
    "review": {Role.PRACTICE_REVIEW_MEMBER},
    "audit": {Role.PRACTICE_REVIEW_MEMBER},
    "account": set(),
    "access-log": set(),
    "workflow": set(),
    "no-such-kind": set(),
}


@pytest.mark.parametrize("kind", list(CREATORS))
@pytest.mark.parametrize("role", list(Role))
def test_may_create(role: Role, kind: str) -> None:
    assert may_create(CALLERS[role], kind) is (role in CREATORS[kind])


def test_neither_the_auditor_nor_ops_creates_anything() -> None:
    for kind in CREATORS:
        assert not may_create(CALLERS[Role.AUDITOR], kind)
        assert not may_create(CALLERS[Role.OPS], kind)


# --- field-level rules -------------------------------------------------------------------

PANEL_TEAM = {Role.PANEL_ADMIN, Role.SUPPORT_MANAGER, Role.MENTORING_COORDINATOR}
SAFEGUARDER = {"name": "Sam Example", "contact": {"phone": "01234 567890"}, "region": "East",
               "status": "appointed", "support_manager": "sm-east"}


@pytest.mark.parametrize("role", list(Role))
def test_only_the_panel_team_sees_a_safeguarders_contact_details(role: Role) -> None:
    state = copy.deepcopy(SAFEGUARDER)
    shown = redact(CALLERS[role], "safeguarder", state)
    if role in PANEL_TEAM:
        assert shown == SAFEGUARDER
    else:
        assert "contact" not in shown
        assert "01234 567890" not in repr(shown)
        assert shown == {k: v for k, v in SAFEGUARDER.items() if k != "contact"}
    assert state == SAFEGUARDER, "redact must not change the state it was given"


@pytest.mark.parametrize("kind", ["case", "review", "audit", "region", "group-session", "mentor"])
@pytest.mark.parametrize("role", list(Role))
def test_other_kinds_are_shown_whole(role: Role, kind: str) -> None:
    state = {"child_reference": "C-0001", "agency": "Health", "contact": {"x": "y"}}
    assert redact(CALLERS[role], kind, dict(state)) == state


# --- data subjects' rights: erasure, legal hold, subject access ------------------------------

@pytest.mark.parametrize("role", list(Role))
def test_the_panel_admin_governs_safeguarders_and_the_data_protection_officer_every_subject(
        role: Role) -> None:
    assert may_govern(CALLERS[role], "safeguarder") is (
        role in {Role.PANEL_ADMIN, Role.DATA_PROTECTION_OFFICER})
    assert may_govern(CALLERS[role], "case") is (role == Role.DATA_PROTECTION_OFFICER)
    assert not may_govern(CALLERS[role], "review")
