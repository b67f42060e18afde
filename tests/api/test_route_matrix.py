"""Every route of the OpenAPI schema, called by every role, against the policy.

One data set for the module: a Safeguarder in the East allocated to support manager `sm-east`
and another in the West allocated to nobody; two cases of practitioner `pr-1` and supervisor
`su-1`, one of them selected by an audit; a review; the East and West regions; a group session;
a mentor. Each route is called by each caller with a minimal valid body built from the schema
and the answer's status class is checked against `decide`:
ALLOW -> the command ran or a domain rule refused it (2xx or 409; a Temporal dev server runs, so
the process routes answer too, with 404 for a workflow that does not exist),
HIDDEN -> 404 exactly like a missing record, FORBIDDEN -> 403.
The expected facts are written down here, not read through `api.access.facts_of`; bodies are
chosen not to change who is related to what (a stale fact would show as a failure below).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Principal
from api.policy import (
    Action,
    Decision,
    Facts,
    decide,
    may_create,
    may_disable_accounts,
    may_govern,
    may_list,
    may_see_caseload,
    may_set_email,
    may_unlock_names,
)
from tests.accounts import account_for, signed_in
from domain.accounts import Role
from tests.api.conftest import views_of
from tests.wording import grammar_faults
from domain.application import Assured
from domain.case import Case
from domain.safeguarder import Safeguarder
from tests.api.dataset import (
    CONTACT,
    NOW,
    OPENED,
    Known,
    own_database,
    seed,
    temporal_dev_server,
)

CALLERS = [
    Principal("pa-1", Role.PANEL_ADMIN),
    Principal("sm-east", Role.SUPPORT_MANAGER, "East"),
    Principal("sm-west", Role.SUPPORT_MANAGER, "West"),
    Principal("mc-1", Role.MENTORING_COORDINATOR),
    Principal("pr-1", Role.PRACTITIONER),
    Principal("pr-2", Role.PRACTITIONER),
    Principal("su-1", Role.SUPERVISOR),
    Principal("su-2", Role.SUPERVISOR),
    Principal("prm-1", Role.PRACTICE_REVIEW_MEMBER),
    Principal("au-1", Role.AUDITOR),
    Principal("op-1", Role.OPS),
    # asked nothing in the data set: every record is hidden from it, every list refused
    Principal("ag-1", Role.AGENCY_CONTRIBUTOR, agency="Youth justice"),
    Principal("dpo-1", Role.DATA_PROTECTION_OFFICER),
    Principal("bu-1", Role.BUSINESS_UNIT),
    Principal("dcs-1", Role.LEADER),
]
USERNAMES = [c.username for c in CALLERS]
PANEL_TEAM = {Role.PANEL_ADMIN, Role.SUPPORT_MANAGER, Role.MENTORING_COORDINATOR}

COLLECTION_KINDS = {"safeguarders": "safeguarder", "cases": "case", "reviews": "review",
                    "audits": "audit", "regions": "region", "group-sessions": "group-session",
                    "mentors": "mentor", "mentoring-programmes": "mentoring-programme",
                    "term-calendars": "term-calendar", "arrangements": "arrangement",
                    "assurance-cycles": "assurance-cycle", "forward-plans": "forward-plan",
                    "self-evaluations": "self-evaluation"}
CLOSING = {"resign", "remove", "close", "withdraw", "end", "complete", "erase", "lift-legal-hold"}
# (An erasure runs after the legal hold is placed and before it is lifted, so it is refused and
# the records stay whole for the checks that read them; tests/e2e/test_erasure.py erases.)
NOT_CHECKED = {"/healthz", "/readyz", "/metrics", "/docs", "/docs/oauth2-redirect", "/redoc",
               "/openapi.json", "/auth/token", "/auth/login", "/auth/logout",
               "/auth/second-factor", "/auth/second-factor/confirm"}
LEAVER = Principal("leaver-1", Role.PRACTITIONER)  # the account the panel admin disables


@dataclass
class Outcome:
    method: str
    template: str
    url: str
    caller: Principal
    record: str | None
    record_id: uuid.UUID | None
    expected: Decision
    status: int
    body: Any
    text: str
    denials: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.method} {self.url} ({self.template}) as {self.caller.role.value} "
                f"{self.caller.username} on {self.record}: expected {self.expected.name}, "
                f"got {self.status} {self.text[:200]}")


@dataclass
class World:
    app: Assured
    client: TestClient
    records: dict[str, Known]
    schema: dict[str, Any]
    outcomes: list[Outcome] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)
    missing_body: Any = None


# --- bodies from the schema ------------------------------------------------------------


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = root["components"]["schemas"][name]
    return schema


def _overrides(records: dict[str, Known]) -> dict[str, Any]:
    """Values the schema cannot know: ids of real records, and values that keep every
    relationship as it is (a new supervisor who is the practitioner is refused, 409)."""
    return {
        "session_id@attend-group-session": str(records["group-session"].id),
        "mentor_id": str(records["mentor"].id),
        "manager@allocate": "sm-east",
        "new_supervisor": "pr-1",
        "child_reference": "C-0099",
        "practitioner": "pr-9",
        "supervisor": "su-9",
        "population": [],
        "candidates": [],
        "contact": {},
        "contact@arrangements": "direct",
        "question_id": "dcs-workforce-1",
        "region": "East",
        "year": NOW.year,
        "category": "practice_concern",
        "review_type": "thematic",
    }


def _example(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    schema = _resolve(schema, root)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            choices = [s for s in schema[combined] if _resolve(s, root).get("type") != "null"]
            return _example(choices[0], root)
    kind = schema.get("type")
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return (NOW.date() + timedelta(days=30)).isoformat()
        if fmt == "date-time":
            return NOW.isoformat()
        if fmt == "uuid":
            return str(uuid.uuid4())
        return "x" * max(1, schema.get("minLength", 1))
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return max(schema.get("minimum", 1), 1)
    if kind == "boolean":
        return True
    if kind == "array":
        return [_example(schema.get("items", {}), root)] * schema.get("minItems", 0)
    if kind == "object":
        return _body(schema, root, "", {})
    return "x"


def _body(schema: dict[str, Any], root: dict[str, Any], command: str,
          overrides: dict[str, Any]) -> dict[str, Any]:
    schema = _resolve(schema, root)
    body = {}
    for name in schema.get("required", []):
        specific = f"{name}@{command}"
        if specific in overrides:
            body[name] = overrides[specific]
        elif name in overrides:
            body[name] = overrides[name]
        else:
            body[name] = _example(schema["properties"][name], root)
    return body


def _request_body(operation: dict[str, Any], root: dict[str, Any], command: str,
                  overrides: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _body(content["application/json"]["schema"], root, command, overrides)


# --- the run ---------------------------------------------------------------------------


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(frozen=True)
class Call:
    method: str
    template: str
    url: str
    record: Known | None
    expected: Any  # a function of the caller -> Decision
    body: dict[str, Any] | None


# Read models of one record, and lists that span records (route's first part -> policy list).
READ_MODELS = {"file", "evidence-pack", "chronology", "rag-trend", "items", "beside-scorecard"}
LISTS = {"safeguarders": "safeguarders", "cases": "cases", "supervision": "supervision",
         "register": "register", "scorecard": "scorecard", "reports": "scorecard",
         "my-work": "my-work", "evaluation-counts": "evaluation-counts", "regions": "regions",
         "group-sessions": "group-sessions", "mentors": "mentors"}


def _governs(who: Principal, facts: Facts) -> Decision:
    """Erasure, legal hold, subject access: the governors; others get 403 if they may read
    the record, else 404."""
    if may_govern(who, facts.kind):
        return Decision.ALLOW
    if decide(who, Action.READ, facts) == Decision.HIDDEN:
        return Decision.HIDDEN
    return Decision.FORBIDDEN


def _calls(schema: dict[str, Any], records: dict[str, Known]) -> tuple[list[Call], list[str]]:
    calls: list[Call] = []
    unclassified: list[str] = []
    overrides = _overrides(records)
    by_kind: dict[str, list[Known]] = {}
    for known in records.values():
        by_kind.setdefault(known.facts.kind, []).append(known)

    def on_records(kind: str) -> list[Known]:
        return by_kind.get(kind, [])

    for template, operations in schema["paths"].items():
        if template in NOT_CHECKED:
            continue
        for method, operation in operations.items():
            method = method.upper()
            parts = template.strip("/").split("/")
            collection = COLLECTION_KINDS.get(parts[0])
            command = parts[-1]
            body = (_request_body(operation, schema, command, overrides)
                    if method == "POST" else None)
            if collection and method == "POST" and len(parts) == 1:
                calls.append(Call(method, template, template, None,
                                  lambda who, k=collection: Decision.ALLOW
                                  if may_create(who, k) else Decision.FORBIDDEN, body))
            elif (collection and method == "POST" and len(parts) == 3
                  and parts[1] == "{record_id}"):
                for known in on_records(collection):
                    calls.append(Call(method, template,
                                      template.replace("{record_id}", str(known.id)), known,
                                      lambda who, f=known.facts, c=command:
                                      decide(who, Action.WRITE, f, c), body))
            elif collection and method == "GET" and parts[1:] in (["{record_id}"],
                                                                  ["{record_id}", "viewers"]):
                action = Action.READ if len(parts) == 2 else Action.VIEWERS
                for known in on_records(collection):
                    calls.append(Call(method, template,
                                      template.replace("{record_id}", str(known.id)), known,
                                      lambda who, f=known.facts, a=action: decide(who, a, f),
                                      None))
            elif collection and method == "GET" and len(parts) == 3 and parts[2] in READ_MODELS:
                for known in on_records(collection):
                    calls.append(Call(method, template,
                                      template.replace("{record_id}", str(known.id)), known,
                                      lambda who, f=known.facts: decide(who, Action.READ, f),
                                      None))
            elif method == "GET" and parts[0] in LISTS:
                url = template.replace("{quarter}", "2026Q3")
                calls.append(Call(method, template, url, None,
                                  lambda who, w=LISTS[parts[0]]: Decision.ALLOW
                                  if may_list(who, w) else Decision.FORBIDDEN, None))
            elif template == "/support-managers/{manager}/caseload" and method == "GET":
                calls.append(Call(method, template, template.replace("{manager}", "sm-east"),
                                  None, lambda who: Decision.ALLOW
                                  if may_see_caseload(who, "sm-east") else Decision.FORBIDDEN,
                                  None))
            elif template == "/history/{kind}/{record_id}" and method == "GET":
                for known in records.values():
                    calls.append(Call(method, template,
                                      f"/history/{known.facts.kind}/{known.id}", known,
                                      lambda who, f=known.facts: decide(who, Action.HISTORY, f),
                                      None))
            elif parts[0] == "subjects":  # data subjects' rights: api.policy.may_govern
                for known in records.values():
                    if known.facts.kind not in ("safeguarder", "case"):
                        continue
                    url = template.replace("{kind}", known.facts.kind).replace(
                        "{record_id}", str(known.id))
                    calls.append(Call(method, template, url, known,
                                      lambda who, f=known.facts: _governs(who, f), body))
            elif parts[0] == "retention":
                url = template.replace("{workflow_id}", "retention-x")
                calls.append(Call(method, template, url, None,
                                  lambda who: Decision.ALLOW
                                  if who.role == Role.DATA_PROTECTION_OFFICER
                                  else Decision.FORBIDDEN, body))
            elif parts[0] == "accounts":
                allowed = {"disable": may_disable_accounts, "unlock": may_unlock_names,
                           "email": lambda who: may_set_email(who, LEAVER.username)}[command]
                reason = {"disable": {"reason": "Left the service"},
                          "email": {"email": "leaver@example.org"}}.get(command)
                calls.append(Call(method, template,
                                  template.replace("{username}", LEAVER.username), None,
                                  lambda who, a=allowed: Decision.ALLOW if a(who)
                                  else Decision.FORBIDDEN, reason))
            elif parts[0] == "ops":
                url = template.replace("{workflow_id}", "safeguarder-appointment-x")
                calls.append(Call(method, template, url, None,
                                  lambda who: decide(who, Action.OPS, Facts("workflow")), body))
            else:
                unclassified.append(f"{method} {template}")
    # Commands that close a record run last, so the others meet an open record.
    calls.sort(key=lambda c: c.method == "POST" and c.url.rsplit("/", 1)[-1] in CLOSING)
    return calls, unclassified


def _run(world: World, calls: list[Call], collected: Collect) -> None:
    settings = world.client.app.state.settings
    tokens = {who: signed_in(world.app, settings, who) for who in CALLERS}
    for call in calls:
        for who in CALLERS:
            before = len(collected.records)
            answer = world.client.request(call.method, call.url, headers=tokens[who],
                                          json=call.body)
            try:
                body = answer.json()
            except ValueError:
                body = None
            denials = [r.getMessage() for r in collected.records[before:]
                       if r.getMessage().startswith("Denied")]
            world.outcomes.append(Outcome(call.method, call.template, call.url, who,
                                          call.record.name if call.record else None,
                                          call.record.id if call.record else None,
                                          call.expected(who), answer.status_code, body,
                                          answer.text, denials))


@pytest.fixture(scope="module")
def world(postgres: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    access_log = logging.getLogger("assured.access")
    collected, level = Collect(), access_log.level
    access_log.addHandler(collected)
    access_log.setLevel(logging.INFO)
    try:
        data_dir = tmp_path_factory.mktemp("matrix")
        with temporal_dev_server(data_dir) as temporal, \
                own_database(postgres[0], data_dir, **temporal) as (app, settings):
            records = seed(app)
            with TestClient(create_app(settings, app), raise_server_exceptions=False) as client:
                schema = client.get("/openapi.json").json()
                world = World(app, client, records, schema)
                calls, world.unclassified = _calls(schema, records)
                account_for(app, LEAVER)
                missing = client.get(f"/safeguarders/{uuid.uuid4()}",
                                     headers=signed_in(app, settings, CALLERS[0]))
                world.missing_body = (missing.status_code, missing.json())
                _run(world, calls, collected)
                yield world
    finally:
        access_log.removeHandler(collected)
        access_log.setLevel(level)


# --- the checks ------------------------------------------------------------------------


def test_every_route_in_the_schema_is_in_the_matrix(world: World) -> None:
    assert world.unclassified == [], "routes the matrix does not know how to check"
    templates = {(o.method, o.template) for o in world.outcomes}
    every = {(m.upper(), p) for p, ops in world.schema["paths"].items() for m in ops
             if p not in NOT_CHECKED}
    assert templates == every
    assert len(every) > 80
    roles = {o.caller.role for o in world.outcomes}
    assert roles == set(Role)
    assert {o.expected for o in world.outcomes} == set(Decision)


def test_every_answer_matches_the_policy(world: World) -> None:
    wrong = []
    for o in world.outcomes:
        if o.expected == Decision.ALLOW:
            fine = o.status in (200, 201, 202, 204, 409) or (
                o.status == 404 and "{workflow_id}" in o.template)
        elif o.expected == Decision.HIDDEN:
            fine = o.status == 404
        else:
            fine = o.status == 403
        if not fine:
            wrong.append(str(o))
    assert not wrong, f"{len(wrong)} answers differ from the policy:\n" + "\n".join(wrong)


def test_allowed_commands_really_ran_somewhere(world: World) -> None:
    """The bodies are valid: every kind has commands that succeeded, not only refusals."""
    succeeded = {o.template.split("/")[1] for o in world.outcomes
                 if o.method == "POST" and 200 <= o.status < 300}
    # The peer mentoring programme is one record, launched in the data set: launching it again
    # is refused (409), and it takes no other command.
    assert set(COLLECTION_KINDS) - {"mentoring-programmes"} <= succeeded
    malformed = [str(o) for o in world.outcomes if o.status == 422]
    assert not malformed, "a body built for the matrix was refused as malformed"


def test_every_403_reads_as_plain_english(world: World) -> None:
    """Every refusal the routes answered, for every role: "An auditor may not ...", never a
    role's or an action's code (tests/wording.py)."""
    refused = {o.body["detail"] for o in world.outcomes if o.status == 403}
    assert len(refused) > 20
    faulty = {s: grammar_faults(s) for s in refused if grammar_faults(s)}
    assert not faulty, "\n".join(f"{s!r}: {f}" for s, f in faulty.items())


def test_a_hidden_record_answers_exactly_like_a_missing_one(world: World) -> None:
    status, missing = world.missing_body
    assert status == 404
    leaks = [str(o) for o in world.outcomes if o.expected == Decision.HIDDEN and o.body != missing]
    assert not leaks, "\n".join(leaks)


def test_every_denial_is_logged_once_with_the_role_and_no_name(world: World) -> None:
    problems = []
    for o in world.outcomes:
        denied = o.status in (403, 404) and o.expected != Decision.ALLOW
        if not denied:
            if o.denials:
                problems.append(f"logged a denial for an allowed request: {o}")
            continue
        if len(o.denials) != 1:
            problems.append(f"{len(o.denials)} 'Denied' records for {o}")
            continue
        message = o.denials[0]
        if f"role={o.caller.role.value}" not in message:
            problems.append(f"denial without the role {message!r}: {o}")
        if any(name in message for name in USERNAMES):
            problems.append(f"denial naming a user {message!r}: {o}")
        if o.record_id is not None and str(o.record_id) not in message:
            problems.append(f"denial without the record id {message!r}: {o}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_only_the_panel_team_sees_a_safeguarders_contact_details(world: World) -> None:
    seen_by = set()
    leaks = []
    for o in world.outcomes:
        if o.method != "GET" or o.status != 200 or "safeguarder" not in (o.record or ""):
            continue
        if CONTACT in o.text:
            seen_by.add(o.caller.role)
            # The data protection officer exports all that is held, to give it to the subject.
            exported = (o.caller.role == Role.DATA_PROTECTION_OFFICER
                        and o.template == "/subjects/{kind}/{record_id}/access")
            if o.caller.role not in PANEL_TEAM and not exported:
                leaks.append(str(o))
    assert not leaks, "contact details shown outside the panel team:\n" + "\n".join(leaks)
    assert seen_by, "the panel team should see the contact details somewhere"


def test_ops_never_sees_a_name_or_a_record(world: World) -> None:
    for o in world.outcomes:
        if o.caller.role == Role.OPS:
            assert "Eastwood" not in o.text and "Westley" not in o.text, str(o)
            if o.record is not None:
                assert o.status == 404, str(o)


def test_every_read_by_the_auditor_is_logged(world: World) -> None:
    """'Auditor: read-only history of everything, every read logged.'"""
    unlogged = []
    for known in world.records.values():
        reads = [o for o in world.outcomes if o.caller.role == Role.AUDITOR
                 and o.record == known.name and o.method == "GET" and o.status == 200
                 and not o.url.endswith("/viewers")]
        viewed = [(e.actor, e.route) for e in views_of(world.app, known.id)  # type: ignore[attr-defined]
                  if e.actor == "au-1"]  # type: ignore[attr-defined]
        logged_routes = [route for _, route in viewed]
        for read in reads:
            if read.template not in logged_routes:
                unlogged.append(str(read))
            else:
                logged_routes.remove(read.template)
    assert not unlogged, "reads by the auditor that left no trace:\n" + "\n".join(unlogged)


def test_the_relationships_did_not_change_during_the_run(world: World) -> None:
    """The expectations hold facts written down before the run; they must still be true."""
    for known in world.records.values():
        kind = known.facts.kind
        if kind == "safeguarder":
            record = world.app.load(known.id, Safeguarder)
            assert (str(record.region), record.support_manager) == (
                known.facts.region, known.facts.support_manager)
        elif kind == "case":
            record = world.app.load(known.id, Case)
            assert (record.practitioner, record.supervisor) == ("pr-1", "su-1")
            assert bool(record.audits) is known.facts.named_in_review



def test_the_auditors_replay_of_a_safeguarder_hides_the_contact_details(world: World) -> None:
    """The replay shows events, a state at an instant and a diff; none may carry the contact
    details to anyone outside the panel team (the panel admin's replay shows them)."""
    from io import BytesIO

    from pypdf import PdfReader

    settings = world.client.app.state.settings
    auditor = signed_in(world.app, settings, CALLERS[9])
    admin = signed_in(world.app, settings, CALLERS[0])
    assert CALLERS[9].role == Role.AUDITOR and CALLERS[0].role == Role.PANEL_ADMIN
    before, after = (OPENED - timedelta(days=1)).isoformat(), datetime.now(UTC).isoformat()
    leaks = []
    for known in (k for k in world.records.values() if k.facts.kind == "safeguarder"):
        base = f"/history/safeguarder/{known.id}"
        queries = {"events": {}, "as known at": {"as_known_at": after},
                   "as happened by": {"as_happened_by": after},
                   "diff": {"diff_from": before, "diff_to": after},
                   # either end left open: from the record's beginning, or up to now
                   "diff from": {"diff_from": before}, "diff to": {"diff_to": after}}
        for label, query in queries.items():
            shown = world.client.get(base, params=query, headers=admin)
            assert shown.status_code == 200 and CONTACT in shown.text, (label, shown.text[:300])
            answer = world.client.get(base, params=query, headers=auditor)
            assert answer.status_code == 200, answer.text
            found = answer.json()
            parts = {"events": found["events"], "state": found.get("state"),
                     "changes": found.get("changes")}
            for part, value in parts.items():
                if CONTACT in json.dumps(value):
                    leaks.append(f"GET {base} {query} as auditor: the {part} show {CONTACT}")
        pdf = world.client.get(base, params={"format": "pdf", "as_known_at": after},
                               headers=auditor)
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
        if CONTACT in text:
            leaks.append(f"GET {base}?format=pdf as auditor: the PDF shows {CONTACT}")
    assert not leaks, "\n".join(leaks)
