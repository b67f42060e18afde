"""The contract at the door, for every command: its documented example is a body the API takes;
no step only a process takes has a route; and hostile text in any text field of any command is
refused (422, naming the field) with nothing recorded, leaving every read model current and
every page answering."""

from __future__ import annotations

import copy
import json
import dataclasses
import typing
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.collections import COLLECTIONS, person_commands
from domain.accounts import Role
from domain.commands import REGISTRY, Command
from domain.text import Text
from projections.runner import Runner
from tests.e2e.conftest import System

ROLE_FOR = {"safeguarder": Role.PANEL_ADMIN, "region": Role.PANEL_ADMIN,
            "group-session": Role.PANEL_ADMIN, "mentor": Role.PANEL_ADMIN,
            "case": Role.PRACTITIONER, "review": Role.PRACTICE_REVIEW_MEMBER,
            "audit": Role.PRACTICE_REVIEW_MEMBER, "mentoring-programme": Role.PANEL_ADMIN,
            # the supervisee: a party still when an example changes the supervisor
            "term-calendar": Role.BUSINESS_UNIT, "arrangement": Role.PRACTITIONER,
            "assurance-cycle": Role.BUSINESS_UNIT, "forward-plan": Role.BUSINESS_UNIT,
            "self-evaluation": Role.LEADER}
USERNAME = {Role.PANEL_ADMIN: "pa-1", Role.PRACTITIONER: "pr-1",
            Role.PRACTICE_REVIEW_MEMBER: "prm-1", Role.BUSINESS_UNIT: "bu-1",
            Role.LEADER: "dcs-1"}


def examples(system: System) -> dict[str, Any]:
    """The schema's own example of each command's body, by route."""
    schema = system.http.get("/openapi.json").json()
    found = {}
    for path, operations in schema["paths"].items():
        post = operations.get("post")
        if not post or "requestBody" not in post:
            continue
        content = post["requestBody"]["content"]
        if "application/json" not in content:
            continue  # sign-in takes a form
        body = content["application/json"]["schema"]
        reference = body.get("$ref") or body["allOf"][0]["$ref"]
        model = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
        if "examples" in model:  # a command's body (operations' requests have none)
            found[path] = model["examples"][0]
    return found


def caller(system: System, kind: str) -> dict[str, str]:
    role = ROLE_FOR[kind]
    return system.who(role, USERNAME[role])


def made(system: System, examples_by_path: dict[str, Any]) -> dict[str, str]:
    """One record of each kind, made from its creating command's own example."""
    ids = {}
    for kind, collection in COLLECTIONS.items():
        answer = system.post(f"/{collection}", caller(system, kind),
                             **examples_by_path[f"/{collection}"])
        assert answer.status_code == 201, f"{collection}: {answer.text}"
        ids[kind] = answer.json()["id"]
    return ids


def test_every_commands_own_example_is_a_body_the_api_takes(system: System) -> None:
    by_path = examples(system)
    ids = made(system, by_path)
    refused = {}
    for kind, collection in COLLECTIONS.items():
        for command in person_commands(kind):
            if command.creates:
                continue
            path = f"/{collection}/{{record_id}}/{command.verb}"
            answer = system.post(path.replace("{record_id}", ids[kind]), caller(system, kind),
                                 **by_path[path])
            assert answer.status_code in (200, 409), f"{path}: {answer.text}"
            if answer.status_code == 409:
                problem = answer.json()
                assert problem.get("rule") or problem["title"] == "Concurrent change", problem
                refused[command.verb] = problem.get("rule")
    assert "Failed decoding" not in str(refused)


def test_no_step_only_a_process_takes_has_a_route(system: System) -> None:
    paths = set(system.http.get("/openapi.json").json()["paths"])
    process_only = [c for c in REGISTRY.values() if c.by_process]
    assert {c.verb for c in process_only} >= {
        "record-breach", "record-annual-shortfall", "open-reappointment-review",
        "chase-return", "escalate-non-compliance", "flag-drift", "mark-action-overdue"}
    for command in process_only:
        assert not [p for p in paths if p.endswith(f"/{command.verb}")], command.verb


# --- hostile text -----------------------------------------------------------------------------

HOSTILE = st.one_of(
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=5), st.text(max_size=5)),
    st.just("\ud800"), st.builds(lambda a: f"{a}\udfff", st.text(max_size=5)),
    st.builds(lambda c, a: f"{a}{c}", st.sampled_from(
        [chr(n) for n in (*range(1, 9), 11, 12, 13, *range(14, 32), 127, *range(128, 160))]),
        st.text(max_size=5)),
    st.sampled_from(["\u202eevil", "x\u202dy", "\u2066isolate\u2069"]),
    st.just("a" * 1_000_000),
)


def text_paths(kind: type, prefix: str = "") -> Iterator[str]:
    """Every text field of a body, as dotted paths (the first item of a list)."""
    hints = typing.get_type_hints(kind, include_extras=True)
    for item in dataclasses.fields(kind):
        if item.name in ("by", "at", "record_id"):
            continue
        yield from _paths(hints[item.name], f"{prefix}{item.name}")


def _paths(hint: Any, path: str) -> Iterator[str]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is Annotated:
        if any(isinstance(rule, Text) for rule in args[1:]):
            yield path
            return
        yield from _paths(args[0], path)
    elif origin in (typing.Union, type(int | None)):
        for arg in args:
            yield from _paths(arg, path)
    elif origin in (tuple, list):
        yield from _paths(args[0], f"{path}.0")
    elif origin is dict:
        yield f"{path}.<key>"
    elif dataclasses.is_dataclass(hint):
        yield from text_paths(hint, f"{path}.")


def with_text(body: dict[str, Any], path: str, text: str) -> tuple[dict[str, Any], str]:
    """`body` with `text` at `path`, and the field name the refusal must give."""
    changed, here = copy.deepcopy(body), body
    parts = path.split(".")
    target: Any = changed
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
        here = target
    last = parts[-1]
    if last == "<key>":
        target.clear()
        target[text] = "a reason"
        return changed, ".".join(parts[:-1])
    if last.isdigit():
        while len(target) <= int(last):
            target.append("x")
        target[int(last)] = text
    else:
        target[last] = text
    del here
    return changed, path


def every_text_field() -> list[tuple[type[Command], str]]:
    return [(c, p) for kind in COLLECTIONS for c in person_commands(kind)
            for p in text_paths(c)]


@pytest.fixture
def door(system: System) -> Iterator[tuple[System, dict[str, Any], dict[str, str]]]:
    by_path = examples(system)
    yield system, by_path, made(system, by_path)


@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(every_text_field()), text=HOSTILE)
def _refused(door: Any, target: tuple[type[Command], str], text: str) -> None:
    system, by_path, ids = door
    command, path = target
    collection = COLLECTIONS[command.kind]
    route = (f"/{collection}" if command.creates
             else f"/{collection}/{{record_id}}/{command.verb}")
    body, field = with_text(by_path[route], path, text)
    before = system.app.recorder.max_notification_id()
    # Escaped JSON, as a browser or a client would send a lone surrogate ("\ud800").
    answer = system.http.post(route.replace("{record_id}", ids.get(command.kind, "")),
                              headers={**caller(system, command.kind),
                                       "Content-Type": "application/json"},
                              content=json.dumps(body))
    assert answer.status_code == 422, f"{route} {field}: {answer.status_code} {answer.text}"
    named = [e["field"] for e in answer.json()["errors"]]
    assert any(n == field or n.startswith(f"{field}.") for n in named), (field, named)
    assert _given_by_people_since(system, before) == [], "a refused command recorded"


def _given_by_people_since(system: System, before: int | None) -> list[Any]:
    """Events recorded after notification `before` that a person gave (the running processes
    of the records made for the test record their own steps meanwhile)."""
    found = system.app.recorder.select_notifications(start=(before or 0) + 1, limit=1000)
    events = [system.app.mapper.to_domain_event(n) for n in found]
    return [e for e in events if not str(e.actor).startswith("process:")]


def test_hostile_text_in_any_field_of_any_command_is_refused_naming_it(door: Any) -> None:
    _refused(door)  # type: ignore[call-arg]
    system, _, ids = door
    runner = Runner(system.app)
    system.until(lambda: all(s.lag == 0 for s in runner.status()))
    for path in gets(system):
        answer = system.http.get(fill(path, ids), headers=reader_for(system, path))
        assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text}"


def gets(system: System) -> list[str]:
    paths = system.http.get("/openapi.json").json()["paths"]
    return [p for p, ops in paths.items() if "get" in ops and not p.startswith(("/ops",
                                                                                "/history",
                                                                                "/retention"))]


def fill(path: str, ids: dict[str, str]) -> str:
    collection = path.strip("/").split("/")[0]
    kind = next((k for k, c in COLLECTIONS.items() if c == collection), "safeguarder")
    return (path.replace("{record_id}", ids.get(kind, ids["safeguarder"]))
            .replace("{manager}", "sm-east").replace("{quarter}", "2026Q4")
            .replace("{kind}", "safeguarder"))


def reader_for(system: System, path: str) -> dict[str, str]:
    readers: list[tuple[tuple[str, ...], Callable[[], dict[str, str]]]] = [
        (("/cases", "/supervision"), lambda: system.who(Role.AUDITOR, "au-1")),
        (("/reviews", "/audits", "/register", "/scorecard"),
         lambda: system.who(Role.AUDITOR, "au-1")),
        (("/arrangements", "/assurance-cycles", "/forward-plans", "/self-evaluations",
          "/term-calendars", "/evaluation-counts", "/reports", "/my-work"),
         lambda: system.who(Role.AUDITOR, "au-1")),
    ]
    for prefixes, who in readers:
        if path.startswith(prefixes):
            return who()
    return system.who(Role.PANEL_ADMIN, "pa-1")
