"""403 messages read as plain English: every role, against every action, kind of record,
command and list the policy knows (and, over HTTP, tests/api/test_route_matrix.py checks every
403 the routes answered with the same grammar)."""

from __future__ import annotations

import pytest

from api import wording
from api.collections import COLLECTIONS, person_commands
from api.policy import CREATORS, LISTERS, Action
from domain.accounts import Role
from tests.wording import grammar_faults


def _every_refusal() -> list[str]:
    sentences = []
    for role in Role:
        for kind in COLLECTIONS:
            for action in Action:
                sentences.append(wording.refusal(role, action.value, kind))
            for command in person_commands(kind):
                creators = CREATORS[kind] if command.creates else None
                sentences.append(wording.refusal(role, Action.WRITE.value, kind, command.verb,
                                                 creators))
        for listed in [*LISTERS, "caseload"]:
            sentences.append(wording.refusal(role, Action.READ.value, listed))
        sentences.append(wording.refusal(role, Action.OPS.value, "workflow"))
    return sentences


def test_every_refusal_reads_as_plain_english() -> None:
    sentences = _every_refusal()
    assert len(sentences) > 500
    faulty = {s: grammar_faults(s) for s in sentences if grammar_faults(s)}
    assert not faulty, "\n".join(f"{s!r}: {f}" for s, f in faulty.items())


@pytest.mark.parametrize(("sentence", "fault"), [
    ("An ops may not read this case.", "a raw code: ops"),
    ("A safeguarder may not viewers this safeguarder.", "a raw code: viewers"),
    ("A auditor may not read this case.", "'a' before a vowel sound: a auditor"),
    ("A supervisor may not close a a agreed action.", "a word twice: a a"),
    ("A practice_review_member may not read this case.", "a code with an underscore"),
])
def test_the_grammar_check_catches_the_messages_people_saw(sentence: str, fault: str) -> None:
    assert fault in grammar_faults(sentence)


def test_the_words_name_the_roles_the_actions_and_who_may_open_a_record() -> None:
    assert wording.refusal(Role.OPS, "viewers", "safeguarder") == (
        "A member of operations staff may not see who viewed this Safeguarder.")
    assert wording.refusal(Role.AUDITOR, "write", "case", "complete-action") == (
        "An auditor may not give the command \u201ccomplete action\u201d on this case.")
    assert wording.refusal(Role.PRACTITIONER, "write", "group-session", "plan-group-session",
                           CREATORS["group-session"]) == (
        "A practitioner may not give the command \u201cplan group session\u201d: only a panel "
        "administrator or a support manager may open a new group session record.")
    assert wording.refusal(Role.SUPERVISOR, "read", "regions") == (
        "A supervisor may not read the list of regions.")
    assert wording.a("hour") == "an hour" and wording.a("unit") == "a unit"
