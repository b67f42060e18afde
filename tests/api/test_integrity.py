"""A history that proves itself: the event table changed behind the application's back, as only
the schema's owner can, is found by `assured verify` (naming the position, exit 1) and by the
read of the record it touches (the integrity problem, never a bare 500).

Each test writes two cases, A (four events: opened, risk high, low, high) and B (two events),
then tampers as the owner would, straight in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli.main import app as assured
from domain.accounts import Role
from domain.application import Assured
from domain.case_commands import ChangeRisk
from infra.settings import Settings
from tests.integration.test_store import open_case
from tests.projections.test_runner import eventually
from tests.refusals import at

EVENTS = "assured_events"


@dataclass(frozen=True)
class Written:
    a: UUID
    b: UUID

    def position(self, owner: psycopg.Connection[Any], record: UUID, version: int) -> int:
        found = owner.execute(f"SELECT chain_position FROM {EVENTS} WHERE originator_id = %s "
                              "AND originator_version = %s", (record, version)).fetchone()
        assert found is not None
        return int(found[0])


@pytest.fixture
def written(app: Assured) -> Written:
    a = open_case(app, "CHILD-0A1")
    b = open_case(app, "CHILD-0B2")
    for day, risk in ((1, "high"), (2, "low")):
        app.change_risk(ChangeRisk(record_id=a.id, new_risk=risk, by="sam", at=at(day)))
    app.change_risk(ChangeRisk(record_id=b.id, new_risk="high", by="sam", at=at(3)))
    app.change_risk(ChangeRisk(record_id=a.id, new_risk="high", by="sam", at=at(4)))  # last
    return Written(a.id, b.id)


@pytest.fixture
def owner(owner_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(owner_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def verify(settings: Settings) -> Callable[[], tuple[int, str]]:
    """`assured verify` as an operator runs it on this database: (exit code, output)."""
    env = {"ASSURED_DATABASE_URL": settings.database_url.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_ENCRYPTION_KEY": settings.encryption_key.get_secret_value(),  # type: ignore[union-attr]
           "ASSURED_DATA_DIR": str(settings.data_dir)}

    def run(*options: str) -> tuple[int, str]:
        done = CliRunner().invoke(assured, ["verify", *options], env=env)
        if done.exception and not isinstance(done.exception, SystemExit):
            raise done.exception
        return done.exit_code, done.output

    return run


def read(client: TestClient, headers: Callable[..., dict[str, str]], case: UUID) -> Any:
    return client.get(f"/cases/{case}", headers=headers(Role.SUPERVISOR, "sam"))


def assert_integrity_problem(answer: Any, case: UUID) -> None:
    assert answer.status_code == 500, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["title"] == "Integrity check failed"
    assert f"Record {case} failed its integrity check" in problem["detail"]
    assert problem["type"] == "urn:assured:problem:integrity-check-failed"


def test_an_untouched_database_verifies_clean_and_signs_a_checkpoint(
        written: Written, verify: Callable[..., tuple[int, str]], client: TestClient,
        headers: Callable[..., dict[str, str]], settings: Settings) -> None:
    code, output = verify("--checkpoint")
    assert code == 0, output
    assert "Intact: 6 events, positions 1 to 6" in output
    assert "Checkpoint at position 6" in output
    assert (settings.data_dir / "checkpoints" / "checkpoints.jsonl").stat().st_mode & 0o077 == 0
    code, output = verify()
    assert code == 0 and "as is the checkpoint of" in output, output
    assert read(client, headers, written.a).json()["risk"] == "high"
    ready = client.get("/readyz").json()
    assert ready["checks"]["integrity"] | {"checked_at": None} == {
        "checked": True, "ok": True, "checked_at": None, "events": 6, "head": 6,
        "checkpoint_size": 6}
    assert "assured_integrity_ok 1.0" in client.get("/metrics").text


def test_a_flipped_byte_is_named_by_its_position_and_the_read_is_the_integrity_problem(
        written: Written, owner: psycopg.Connection[Any], verify: Callable[..., tuple[int, str]],
        client: TestClient, headers: Callable[..., dict[str, str]]) -> None:
    position = written.position(owner, written.a, 2)
    owner.execute(f"UPDATE {EVENTS} SET state = set_byte(state, 40, get_byte(state, 40) # 1) "
                  "WHERE chain_position = %s", (position,))
    code, output = verify()
    assert code == 1
    assert f"INTEGRITY FAILURE at position {position}: changed" in output
    assert_integrity_problem(read(client, headers, written.a), written.a)
    assert read(client, headers, written.b).status_code == 200  # another record still answers
    ready = client.get("/readyz").json()
    assert ready["status"] == "degraded"
    assert ready["checks"]["integrity"]["ok"] is False
    assert ready["checks"]["integrity"]["first_position"] == position
    metrics = client.get("/metrics").text
    assert "assured_integrity_ok 0.0" in metrics
    assert f"assured_integrity_first_failed_position {float(position)}" in metrics


def test_a_deleted_last_event_is_missing_at_its_position(
        written: Written, owner: psycopg.Connection[Any], verify: Callable[..., tuple[int, str]],
        client: TestClient, headers: Callable[..., dict[str, str]], app: Assured) -> None:
    assert written.position(owner, written.a, 4) == 6
    owner.execute(f"DELETE FROM {EVENTS} WHERE chain_position = 6")
    code, output = verify()
    assert code == 1
    assert "INTEGRITY FAILURE at position 6: missing" in output
    answer = read(client, headers, written.a)
    assert_integrity_problem(answer, written.a)
    assert answer.json()["reason"] == ("`assured verify` found its stored events missing from "
                                       "position 6")
    # The next write does not quietly take the deleted version's place.
    refused = client.post(f"/cases/{written.a}/change-risk",
                          json={"new_risk": "low", "at": at(5).isoformat()},
                          headers=headers(Role.SUPERVISOR, "sam"))
    assert_integrity_problem(refused, written.a)
    assert len(app.recorder.select_events(written.b)) == 2


def test_a_deleted_middle_event_is_missing_at_its_position(
        written: Written, owner: psycopg.Connection[Any], verify: Callable[..., tuple[int, str]],
        client: TestClient, headers: Callable[..., dict[str, str]]) -> None:
    position = written.position(owner, written.a, 2)
    owner.execute(f"DELETE FROM {EVENTS} WHERE chain_position = %s", (position,))
    code, output = verify()
    assert code == 1
    assert f"INTEGRITY FAILURE at position {position}: missing" in output
    answer = read(client, headers, written.a)
    assert_integrity_problem(answer, written.a)
    assert answer.json()["position"] == position


def test_two_events_swapped_in_the_log_are_reordered(
        written: Written, owner: psycopg.Connection[Any], verify: Callable[..., tuple[int, str]],
        client: TestClient, headers: Callable[..., dict[str, str]]) -> None:
    first, second = written.position(owner, written.a, 2), written.position(owner, written.a, 3)
    swap = (f"UPDATE {EVENTS} SET notification_id = %s WHERE chain_position = %s")
    ids = dict(owner.execute(f"SELECT chain_position, notification_id FROM {EVENTS} "
                             "WHERE chain_position IN (%s, %s)", (first, second)).fetchall())
    with owner.transaction():
        owner.execute(swap, (-1, first))
        owner.execute(swap, (ids[first], second))
        owner.execute(swap, (ids[second], first))
    code, output = verify()
    assert code == 1
    assert f"INTEGRITY FAILURE at position {first}: reordered" in output
    assert_integrity_problem(read(client, headers, written.a), written.a)


def test_a_ciphertext_moved_to_another_record_is_found_moved(
        written: Written, owner: psycopg.Connection[Any], verify: Callable[..., tuple[int, str]],
        client: TestClient, headers: Callable[..., dict[str, str]]) -> None:
    # A's "risk high" over B's "risk high": same version, same topic, another record.
    source, target = written.position(owner, written.a, 2), written.position(owner, written.b, 2)
    owner.execute(f"UPDATE {EVENTS} SET state = (SELECT state FROM {EVENTS} "
                  "WHERE chain_position = %s) WHERE chain_position = %s", (source, target))
    code, output = verify()
    assert code == 1
    assert f"INTEGRITY FAILURE at position {target}: moved" in output
    assert f"the one stored at position {source}, of record {written.a}" in output
    assert_integrity_problem(read(client, headers, written.b), written.b)
    assert read(client, headers, written.a).status_code == 200


def test_a_rewritten_tail_is_found_against_the_signed_checkpoint(
        written: Written, owner: psycopg.Connection[Any],
        verify: Callable[..., tuple[int, str]]) -> None:
    """The owner deletes the last event and rewinds every head to match: the chain alone
    looks whole, the checkpoint kept outside the database does not."""
    assert verify("--checkpoint")[0] == 0
    with owner.transaction():
        owner.execute(f"DELETE FROM {EVENTS} WHERE chain_position = 6")
        owner.execute(f"UPDATE {EVENTS}_record_heads SET version = 3, position = "
                      f"(SELECT chain_position FROM {EVENTS} WHERE originator_id = %s AND "
                      "originator_version = 3) WHERE originator_id = %s", (written.a, written.a))
    code, output = verify()
    assert code == 1
    assert "INTEGRITY FAILURE at position 6: missing" in output
    assert "holds 6 events" in output


def test_the_periodic_job_verifies_signs_and_reports_from_its_first_moment(
        written: Written, app: Assured, settings: Settings, client: TestClient) -> None:
    from infra.checkpoints import CheckpointLog, checkpoint_dir
    from infra.verification import PeriodicVerification, Verifier

    job = PeriodicVerification(Verifier.of(app, settings), interval=60).start()
    try:
        latest = CheckpointLog(checkpoint_dir(settings)).latest
        eventually(lambda: latest() is not None, timeout=10)
    finally:
        job.stop()
    assert latest().size == 6  # type: ignore[union-attr]
    assert client.get("/readyz").json()["checks"]["integrity"]["ok"] is True


def test_a_bounded_read_is_checked_as_a_whole_one_is(
        written: Written, app: Assured, owner: psycopg.Connection[Any]) -> None:
    """Reading a record up to a version (as the history at an instant does) finds a missing
    event before that version, and none after it is asked for."""
    from domain.errors import IntegrityCheckFailed

    assert [e.originator_version for e in app.recorder.select_events(written.a, gt=0, lte=2)
            ] == [1, 2]
    position = written.position(owner, written.a, 3)
    owner.execute(f"DELETE FROM {EVENTS} WHERE chain_position = %s", (position,))
    assert [e.originator_version for e in app.recorder.select_events(written.a, gt=0, lte=2)
            ] == [1, 2]  # (its events up to version 2 are whole)
    with pytest.raises(IntegrityCheckFailed, match="version 3 is missing"):
        app.recorder.select_events(written.a, gt=0, lte=4)
    with pytest.raises(IntegrityCheckFailed, match="its events end at version 2"):
        app.recorder.select_events(written.a, gt=1, lte=3)
