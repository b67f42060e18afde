"""The event store on a real PostgreSQL: encrypted, compressed, and loadable again."""

from __future__ import annotations

import json
import random
import subprocess
import zlib
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest

from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import IntegrityError

from infra.mapper import SizedZlibCompressor
from infra.settings import Mode, Settings
from infra.store import embedded_key
from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeRisk, OpenCase
from domain.errors import RecordNotFound
from domain.safeguarder import Safeguarder
from tests.refusals import at

CANARY = "CANARY-7Q4XK9ZP"


def open_case(app: Assured, child_reference: str = "CHILD-0001") -> Case:
    case = Case.open(OpenCase(child_reference=child_reference, agency="children-services",
                              practitioner="pat", supervisor="sam", legal_status="child_in_need",
                              risk="medium", nation="ENG", by="pat", at=at(0)))
    app.record(case)
    return case


def database_files_contain(pgdata: Path, url: str, text: str) -> bool:
    """Flush everything to disk (as `url`, a superuser), then look for `text` in every file of
    the server."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    found = subprocess.run(["grep", "-rlaF", text, str(pgdata)], check=False,
                           capture_output=True, text=True)
    return bool(found.stdout.strip())


def test_a_saved_case_loads_back_with_the_same_state(app: Assured) -> None:
    case = open_case(app)
    case.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(1)))
    receipt = app.record(case)
    loaded = app.load(case.id, Case)
    assert loaded == case
    assert receipt.version == 2 and receipt.notification_id is not None


def test_loading_a_missing_record_or_the_wrong_kind_is_not_found(app: Assured) -> None:
    case = open_case(app)
    with pytest.raises(RecordNotFound):
        app.load(uuid4())
    with pytest.raises(RecordNotFound):
        app.load(case.id, Safeguarder)


def test_a_canary_child_reference_never_appears_in_plaintext_on_disk(
    app: Assured, postgres: tuple[str, Path], owner_url: str
) -> None:
    open_case(app, child_reference=CANARY)
    admin_url, pgdata = postgres
    # The search itself works: the same kind of string written in plaintext is found.
    control = "CONTROL-PLAINTEXT-5J2W"
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE control (note text)")
        conn.execute("INSERT INTO control VALUES (%s)", (control,))
    assert database_files_contain(pgdata, admin_url, control)
    assert not database_files_contain(pgdata, admin_url, CANARY)


def test_the_embedded_run_creates_its_key_once_and_keeps_it(tmp_path: Path) -> None:
    first = embedded_key(tmp_path)
    assert embedded_key(tmp_path) == first
    assert (tmp_path / "encryption.key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_a_key() -> None:
    with pytest.raises(ValueError, match="ASSURED_ENCRYPTION_KEY"):
        Settings(mode=Mode.PRODUCTION, database_url="postgresql://db/assured")


def test_the_sized_compressor_is_zlib_as_small_and_read_both_ways() -> None:
    """Events from 10 bytes to 100 kB compress to the same size as `zlib.compress` makes, and
    each compressor reads what the other wrote (stored events of earlier releases still read)."""
    sized, library = SizedZlibCompressor(), ZlibCompressor()
    words = ["the", "child", "missed", "school;", "family", "did", "not", "answer", "door", "—",
             "Zoë’s", "plan"]
    rng = random.Random(13)
    for size in (*range(0, 3000, 7), 5000, 20_000, 32_506, 32_507, 100_000):
        text = json.dumps({"summary": " ".join(rng.choice(words) for _ in range(size // 4))},
                          ensure_ascii=False).encode()[:size]
        made = sized.compress(text)
        assert len(made) == len(zlib.compress(text)), size
        assert library.decompress(made) == text and sized.decompress(made) == text
        assert sized.decompress(library.compress(text)) == text


def test_one_event_and_several_go_in_alike_and_a_conflict_is_refused_either_way(
        app: Assured) -> None:
    """A save of one event takes the recorder's scalar statement, a save of several the arrays:
    both store the same rows (read back as written, on one chain without a gap) and both
    refuse a version already recorded, taking no notification id."""
    case = open_case(app)
    for n, risk in enumerate(("high", "low", "medium"), start=1):
        case.change_risk(ChangeRisk(record_id=case.id, new_risk=risk, by="sam", at=at(n)))
    one, *several = [app.mapper.to_stored_event(e) for e in case.collect_events()]
    recorder = app.recorder
    assert recorder.insert_events([one]) == [2]
    assert recorder.insert_events(several) == [3, 4]
    stored = recorder.select_events(case.id)
    assert [(e.originator_version, e.topic, e.state) for e in stored] == [
        (e.originator_version, e.topic, e.state) for e in (stored[0], one, *several)]
    assert [getattr(e, "position", None) for e in stored] == [1, 2, 3, 4]
    for again in ([one], several):
        with pytest.raises(IntegrityError):
            recorder.insert_events(again)
    case.change_risk(ChangeRisk(record_id=case.id, new_risk="high", by="sam", at=at(4)))
    assert app.record(case).notification_id == 5
    assert app.load(case.id, Case) == case
