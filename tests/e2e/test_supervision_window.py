"""A replacement supervisor is shown the same supervision records by every door (seed 002: the
previous six months). A discussion before the window stays hidden with everything that belongs
to it, even its signature and its action's completion made after the window opened; a
discussion within the window is shown whole. Over HTTP, with the projection runner running."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.accounts import Role
from domain.case_commands import (
    AgreedAction,
    ChangeSupervisor,
    CompleteAction,
    OpenCase,
    RecordDiscussion,
    SignDiscussion,
)
from domain.supervision_window import SUPERVISION_EVENTS
from tests.e2e.conftest import System

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def discussion(system: System, case_id: UUID, name: str, held: datetime) -> None:
    system.app.record_discussion(RecordDiscussion(
        record_id=case_id, discussion_id=name, supervisor="su-1", supervisee="pr-1",
        needs=f"needs of {name}", risks="r", engagement="e", capacity_for_change="c", plan="p",
        rag="A", actions=[AgreedAction(action_id=f"{name}-action", description="visit",
                                       owner="pr-1", due=(held + timedelta(days=14)).date())],
        next_discussion_on=(held + timedelta(days=28)).date(), by="su-1", at=held))


def test_the_chronology_and_the_history_show_a_replacement_supervisor_the_same_records(
    system: System,
) -> None:
    app = system.app
    case_id = app.open_case(OpenCase(
        child_reference="C-7002", agency="Health", practitioner="pr-1", supervisor="su-1",
        legal_status="early_help", risk="medium", nation="ENG", by="pr-1",
        at=ago(400))).aggregate_id
    discussion(system, case_id, "before-window", ago(300))
    discussion(system, case_id, "within-window", ago(60))
    # Steps on the old discussion taken inside the window: they belong to the old one.
    app.sign_discussion(SignDiscussion(record_id=case_id, discussion_id="before-window",
                                       party="pr-1", by="pr-1", at=ago(50)))
    app.complete_action(CompleteAction(record_id=case_id, action_id="before-window-action",
                                       by="pr-1", at=ago(40)))
    app.sign_discussion(SignDiscussion(record_id=case_id, discussion_id="within-window",
                                       party="pr-1", by="pr-1", at=ago(59)))
    app.complete_action(CompleteAction(record_id=case_id, action_id="within-window-action",
                                       by="pr-1", at=ago(55)))
    last = app.change_supervisor(ChangeSupervisor(
        record_id=case_id, new_supervisor="su-2", reason="su-1 moved team", by="pr-1",
        at=ago(1)))
    su2 = system.who(Role.SUPERVISOR, "su-2")

    chronology = system.http.get(f"/cases/{case_id}/chronology", headers=su2,
                                 params={"after": last.notification_id})
    assert chronology.status_code == 200, chronology.text
    history = system.http.get(f"/history/case/{case_id}", headers=su2)
    assert history.status_code == 200, history.text

    versions = {e.originator_version: e for e in system.events(case_id)}

    def supervision(shown_versions: list[int]) -> list[int]:
        return sorted(v for v in shown_versions
                      if type(versions[v]).__name__ in SUPERVISION_EVENTS)

    by_chronology = supervision([e["version"] for e in chronology.json()])
    by_history = supervision([e["version"] for e in history.json()["events"]])
    assert by_chronology == by_history
    shown = {getattr(versions[v], "discussion_id", None)
             or getattr(versions[v], "action_id", None) for v in by_history}
    assert shown == {"within-window", "within-window-action"}
    trend = system.http.get(f"/cases/{case_id}/rag-trend", headers=su2).json()
    assert [p["discussion_id"] for p in trend] == ["within-window"]
    state: dict[str, Any] = system.http.get(f"/cases/{case_id}", headers=su2).json()
    assert set(state["discussions"]) == {"within-window"}
