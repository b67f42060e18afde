"""The panel's regions and peer mentors, to list them (seed 000).

Tables (panel_directory.sql): `panel_region` with `panel_region_manager` (a region's support
managers, current or removed) and `panel_mentor` (a mentor's stage; the name sealed). Group
sessions are listed from `safeguarder_file`'s `group_session` table, which already holds them.
The query functions take a psycopg connection (and the cipher, for names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher
from psycopg import Connection

from domain.panel import Mentor, PanelRegion
from domain.panel_values import MentorStage
from projections.base import Projection
from projections.page import Page
from projections.sealing import sealed, unseal

RegionEvents: Any = PanelRegion
MentorEvents: Any = Mentor


class PanelDirectory(Projection):
    name = "panel_directory"
    version = 1

    @singledispatchmethod
    def process(self, event: object, page: Page) -> None:
        """Handle one event of a region or a mentor."""

    @process.register(RegionEvents.Established)
    def _established(self, event: Any, page: Page) -> None:
        page.insert("panel_region", region_id=event.originator_id, region=str(event.region),
                    established_on=event.occurred_on)

    @process.register(RegionEvents.SupportManagerAdded)
    def _manager_added(self, event: Any, page: Page) -> None:
        page.upsert("panel_region_manager",
                    {"region_id": event.originator_id, "manager": event.manager},
                    values={"current": True, "added_on": event.occurred_on})

    @process.register(RegionEvents.SupportManagerRemoved)
    def _manager_removed(self, event: Any, page: Page) -> None:
        page.update("panel_region_manager",
                    {"region_id": event.originator_id, "manager": event.manager}, current=False)

    @process.register(MentorEvents.Recruited)
    def _recruited(self, event: Any, page: Page) -> None:
        page.insert("panel_mentor", mentor_id=event.originator_id,
                    name=sealed(page, event, "name"), stage=MentorStage.RECRUITED.value,
                    recruited_on=event.occurred_on, stage_on=event.occurred_on)

    def _staged(self, event: Any, page: Page, stage: MentorStage) -> None:
        page.update("panel_mentor", {"mentor_id": event.originator_id}, stage=stage.value,
                    stage_on=event.occurred_on)

    @process.register(MentorEvents.Trained)
    def _trained(self, event: Any, page: Page) -> None:
        self._staged(event, page, MentorStage.TRAINED)

    @process.register(MentorEvents.Accredited)
    def _accredited(self, event: Any, page: Page) -> None:
        self._staged(event, page, MentorStage.ACCREDITED)

    @process.register(MentorEvents.Withdrawn)
    def _withdrawn(self, event: Any, page: Page) -> None:
        self._staged(event, page, MentorStage.WITHDRAWN)


@dataclass(frozen=True)
class RegionRow:
    id: UUID
    region: str
    support_managers: list[str]
    established_on: datetime


@dataclass(frozen=True)
class MentorRow:
    id: UUID
    name: str
    stage: str
    recruited_on: datetime
    stage_on: datetime


@dataclass(frozen=True)
class GroupSessionRow:
    id: UUID
    session_ref: str
    facilitator: str
    held_on: date
    attendees: int


def regions(conn: Connection[Any]) -> list[RegionRow]:
    """Every region established, by name, with its current support managers (in order added)."""
    rows = conn.execute(
        "SELECT r.region_id, r.region, r.established_on, "
        "coalesce(array_agg(m.manager ORDER BY m.added_on, m.manager) "
        "FILTER (WHERE m.current), '{}') "
        "FROM panel_region r LEFT JOIN panel_region_manager m USING (region_id) "
        "GROUP BY r.region_id ORDER BY r.region").fetchall()
    return [RegionRow(id=r[0], region=r[1], established_on=r[2], support_managers=list(r[3]))
            for r in rows]


def mentors(conn: Connection[Any], cipher: Cipher, stage: str | None = None) -> list[MentorRow]:
    """Every mentor (or those at `stage`), oldest recruit first."""
    rows = conn.execute(
        "SELECT mentor_id, name, stage, recruited_on, stage_on FROM panel_mentor "
        "WHERE %(stage)s::text IS NULL OR stage = %(stage)s ORDER BY recruited_on, mentor_id",
        {"stage": stage}).fetchall()
    return [MentorRow(id=r[0], name=unseal(cipher, r[1]) or "", stage=r[2], recruited_on=r[3],
                      stage_on=r[4]) for r in rows]


def group_sessions(conn: Connection[Any], facilitator: str | None = None,
                   start: date | None = None, end: date | None = None) -> list[GroupSessionRow]:
    """Group sessions (from the Safeguarder file's tables), by date held, with how many
    Safeguarders attended; filtered by facilitator and by a range of dates held."""
    rows = conn.execute(
        "SELECT g.session_id, g.session_ref, g.facilitator, g.held_on, count(a.safeguarder_id) "
        "FROM group_session g LEFT JOIN safeguarder_group_session a USING (session_id) "
        "WHERE (%(facilitator)s::text IS NULL OR g.facilitator = %(facilitator)s) "
        "AND (%(start)s::date IS NULL OR g.held_on >= %(start)s) "
        "AND (%(end)s::date IS NULL OR g.held_on <= %(end)s) "
        "GROUP BY g.session_id ORDER BY g.held_on, g.session_ref",
        {"facilitator": facilitator, "start": start, "end": end}).fetchall()
    return [GroupSessionRow(id=r[0], session_ref=r[1], facilitator=r[2], held_on=r[3],
                            attendees=r[4]) for r in rows]
