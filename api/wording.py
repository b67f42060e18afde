"""The policy's words: roles, kinds of record, lists and actions as people say them.

One place for the plain English of a refusal (403) and of the permissions table
(`api/permissions.py`): "A member of operations staff may not read this Safeguarder.", never a
role's or an action's code.
"""

from __future__ import annotations

import re

from domain.accounts import Role

ROLES: dict[Role, str] = {
    Role.PANEL_ADMIN: "panel administrator",
    Role.SUPPORT_MANAGER: "support manager",
    Role.MENTORING_COORDINATOR: "mentoring coordinator",
    Role.PRACTITIONER: "practitioner",
    Role.SUPERVISOR: "supervisor",
    Role.PRACTICE_REVIEW_MEMBER: "member of the practice review sub-group",
    Role.BUSINESS_UNIT: "member of the partnership's business unit",
    Role.LEADER: "leader (Director of Children's Services or Elected Lead Member)",
    Role.AUDITOR: "auditor",
    Role.OPS: "member of operations staff",
    Role.AGENCY_CONTRIBUTOR: "agency contributor",
    Role.DATA_PROTECTION_OFFICER: "data protection officer",
}

KINDS: dict[str, str] = {
    "safeguarder": "Safeguarder",
    "case": "case",
    "review": "review",
    "audit": "audit",
    "region": "region",
    "group-session": "group session",
    "mentor": "mentor",
    "account": "account",
    "scorecard-narrative": "scorecard narrative",
    "mentoring-programme": "peer mentoring programme",
    "term-calendar": "term calendar",
    "arrangement": "supervision arrangement",
    "evaluation": "supervision evaluation",
    "assurance-cycle": "assurance cycle",
    "forward-plan": "forward plan",
    "self-evaluation": "self-evaluation",
}

# Lists and reports that span records, by the name the policy gives them (`api.policy.LISTERS`).
LISTS: dict[str, str] = {
    "safeguarders": "the list of Safeguarders",
    "cases": "the list of cases",
    "supervision": "the supervision lists (drift, Child in Need overdue, overdue actions)",
    "register": "the review register",
    "scorecard": "the quarterly scorecard",
    "regions": "the list of regions",
    "group-sessions": "the list of group sessions",
    "mentors": "the list of mentors",
    "caseload": "this support manager's caseload",
    "submissions": "the feedback from the public waiting for triage",
    "evaluation-counts": "the supervision evaluations counted by agency",
    "my-work": "My work",
}
PROCESSES = "the processes (workflows, overdue deadlines, failing steps)"

# Words that begin with a vowel letter but a consonant sound, and the reverse.
_CONSONANT_SOUND = re.compile(r"^(one|once|uni|use|usu|uk\b|eu)", re.IGNORECASE)
_VOWEL_SOUND = re.compile(r"^(hour|honest|honour|heir|[aeiou])", re.IGNORECASE)


def article(phrase: str) -> str:
    """"a" or "an" for `phrase`, by the sound of its first word."""
    vowel = _VOWEL_SOUND.match(phrase) and not _CONSONANT_SOUND.match(phrase)
    return "an" if vowel else "a"


def a(phrase: str) -> str:
    """`phrase` with its indefinite article: "an auditor", "a member of operations staff"."""
    return f"{article(phrase)} {phrase}"


def capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def role(r: Role) -> str:
    return ROLES[r]


def kind(k: str) -> str:
    return KINDS.get(k, k.replace("-", " ").replace("_", " "))


def command(verb: str) -> str:
    """A command as its name in the URL says it: "record-audit-grade" -> "record audit grade"."""
    return verb.replace("-", " ")


def roles(rs: set[Role] | frozenset[Role]) -> str:
    """"a panel administrator or a support manager", in the order of `Role`."""
    named = [a(ROLES[r]) for r in Role if r in rs]
    if not named:
        return "nobody"
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]


def doing(action: str, what: str, command_verb: str | None = None) -> str:
    """What the refused caller tried, as the end of "… may not ___": `action` is an
    `api.policy.Action` value, `what` a kind of record or a list's name."""
    if action == "ops":
        return f"read or act on {PROCESSES}"
    if what in LISTS:
        return f"read {LISTS[what]}"
    thing = f"this {kind(what)}"
    if action == "read":
        return f"read {thing}"
    if action == "write":
        return (f"give the command \u201c{command(command_verb)}\u201d on {thing}"
                if command_verb else f"act on {thing}")
    if action == "history":
        return f"replay the history of {thing}"
    if action == "viewers":
        return f"see who viewed {thing}"
    return f"{action.replace('_', ' ')} {thing}"


def refusal(who: Role, action: str, what: str, command_verb: str | None = None,
            creators: set[Role] | None = None) -> str:
    """The sentence of a 403. A command that opens a record names who may give it."""
    if creators is not None and command_verb:
        return capitalised(f"{a(role(who))} may not give the command "
                           f"\u201c{command(command_verb)}\u201d: only {roles(creators)} "
                           f"may open a new {kind(what)} record.")
    return capitalised(f"{a(role(who))} may not {doing(action, what, command_verb)}.")
