"""An event a read model cannot write stops that read model alone, at that event.

The domain refuses a NUL in any text today; an event written before, or straight into the store,
may still hold one. PostgreSQL text cannot: the group session's reference below breaks the
Safeguarder file's `group_session` table. That read model stops at the event, says where, and
logs it once; every other read model keeps serving, before and after it.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Principal
from domain.accounts import Role
from tests.accounts import signed_in
from domain.application import Assured
from domain.case_commands import OpenCase
from domain.panel import GroupSession
from infra.settings import Settings
from projections.faults import ProjectionStopped
from projections.runner import Runner
from tests.refusals import at


def poison(app: Assured) -> int:
    """A group session whose reference holds a NUL, written past the command's checks."""
    session = GroupSession(session_ref="GS-a\x00b", facilitator="sm-east", held_on=date(2026, 3, 2),
                           actor="old-import", occurred_on=at(0))
    receipt = app.record(session)
    assert receipt.notification_id is not None
    return receipt.notification_id


def open_case(app: Assured, reference: str) -> None:
    app.open_case(OpenCase(child_reference=reference, agency="school", practitioner="pat",
                           supervisor="sam", legal_status="child_in_need", risk="low",
                           nation="ENG", by="pat", at=at(1)))


def test_a_poison_event_stops_only_its_read_model_and_names_its_position(app: Assured) -> None:
    open_case(app, "CH-0001")
    poisoned = poison(app)
    open_case(app, "CH-0002")
    runner = Runner(app)
    for projection in runner.projections:
        if projection.name == "safeguarder_file":
            with pytest.raises(ProjectionStopped) as stopped:
                runner.catch_up(projection)
            assert stopped.value.fault.notification_id == poisoned
            assert "SQLSTATE" in stopped.value.fault.error and "GS-a" not in str(stopped.value)
        else:
            runner.catch_up(projection)

    by_name = {s.name: s for s in runner.status()}
    assert by_name["safeguarder_file"].stopped_at == poisoned
    assert by_name["safeguarder_file"].state == f"stopped at event {poisoned}"
    assert all(s.lag == 0 and s.stopped_at is None for n, s in by_name.items()
               if n != "safeguarder_file")
    with pytest.raises(ProjectionStopped):  # it stays stopped: no retry on every round
        runner.catch_up(runner.projection("safeguarder_file"))


def test_the_follower_logs_the_stop_once_and_the_others_go_on(app: Assured,
                                                              caplog: pytest.LogCaptureFixture
                                                              ) -> None:
    poison(app)
    runner, stop = Runner(app), threading.Event()
    follower = threading.Thread(target=runner.follow, kwargs={"stop_event": stop,
                                                              "poll_interval": 0.1})
    with caplog.at_level(logging.ERROR, logger="projections.runner"):
        follower.start()
        try:
            open_case(app, "CH-0003")  # written while the follower runs
            for _ in range(50):
                states = {s.name: s for s in runner.status()}
                if states["case_supervision"].lag == 0 and states["safeguarder_file"].stopped_at:
                    break
                stop.wait(0.1)
            stop.wait(1.0)  # several more rounds
        finally:
            stop.set()
            follower.join(10)
    assert states["case_supervision"].lag == 0 and states["safeguarder_file"].stopped_at
    stops = [r for r in caplog.records if "stopped at event" in r.getMessage()]
    assert len(stops) == 1, [r.getMessage() for r in caplog.records]


def test_the_api_answers_for_the_other_read_models_and_names_the_stopped_one(
    app: Assured, database_url: str, cipher_key: str, tmp_path: object
) -> None:
    poisoned = poison(app)
    open_case(app, "CH-0004")
    settings = Settings(database_url=database_url, encryption_key=cipher_key,
                        data_dir=tmp_path, temporal_address="127.0.0.1:1")  # type: ignore[arg-type]
    admin = Principal("pa-1", Role.PANEL_ADMIN)
    practitioner = Principal("pat", Role.PRACTITIONER)

    def bearer(who: Principal) -> dict[str, str]:
        return signed_in(app, settings, who)

    with TestClient(create_app(settings, app), raise_server_exceptions=False) as client:
        stopped = client.get("/safeguarders", headers=bearer(admin))
        assert stopped.status_code == 503
        assert stopped.json()["read_model"] == "safeguarder_file"
        assert stopped.json()["notification_id"] == poisoned
        cases = client.get("/cases", headers=bearer(practitioner))
        assert cases.status_code == 200 and cases.json()["total"] == 1
        ready = client.get("/readyz").json()
        assert ready["checks"]["read_models_stopped"] == {"safeguarder_file": poisoned}
        assert f'assured_projection_stopped_at_event{{projection="safeguarder_file"}} ' \
               f"{float(poisoned)}" in client.get("/metrics").text


def test_resuming_a_stopped_read_model_without_a_fix_stops_it_again(app: Assured) -> None:
    poisoned = poison(app)
    runner = Runner(app)
    projection = runner.projection("safeguarder_file")
    with pytest.raises(ProjectionStopped):
        runner.catch_up(projection)
    assert runner.resume("safeguarder_file")
    with pytest.raises(ProjectionStopped) as again:
        runner.catch_up(projection)
    assert again.value.fault.notification_id == poisoned
