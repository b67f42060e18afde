"""Records the journeys start from, made through the HTTP API as the people who make them, dated
in the past, with the worker running each record's process (so a Safeguarder's appointment
process has caught up on every deadline by the time the page is opened)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.accounts import Role
from domain.policy import add_months
from domain.safeguarder_values import Status
from tests.e2e.conftest import System

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()


def at(day: date, hour: int = 10) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).isoformat()


@dataclass
class Panel:
    """A region's panel team, made for one test: names unique to it."""

    site: System
    tag: str
    region: str = "East"

    @property
    def admin(self) -> dict[str, str]:
        return self.site.who(Role.PANEL_ADMIN, f"pa-{self.tag}")

    @property
    def manager_name(self) -> str:
        return f"sm-{self.tag}"

    @property
    def manager(self) -> dict[str, str]:
        return self.site.who(Role.SUPPORT_MANAGER, self.manager_name, self.region)

    @property
    def coordinator(self) -> dict[str, str]:
        return self.site.who(Role.MENTORING_COORDINATOR, f"mc-{self.tag}")

    def post(self, path: str, who: dict[str, str], **body: Any) -> dict[str, Any]:
        answer = self.site.post(path, who, **body)
        assert answer.status_code in (200, 201), f"{path}: {answer.text}"
        return answer.json()  # type: ignore[no-any-return]

    def region_with_manager(self) -> None:
        """The region, established once on the site, with this panel's support manager (and
        their account)."""
        assert self.manager
        regions = self.site.http.get("/regions/" + _region_id(self.region), headers=self.admin)
        if regions.status_code == 404:
            self.post("/regions", self.admin, region=self.region, at=at(date(2020, 1, 2)))
        region = _region_id(self.region)
        managers = self.site.http.get(f"/regions/{region}", headers=self.admin).json()
        for old in managers["support_managers"]:  # at most two a region: make room
            self.post(f"/regions/{region}/remove-support-manager", self.admin, manager=old,
                      reason="moved to another team", at=NOW.isoformat())
        self.post(f"/regions/{region}/add-support-manager", self.admin,
                  manager=self.manager_name, at=NOW.isoformat())

    def appointed(self, name: str, term_starts_on: date, allocate: bool = True) -> str:
        """A Safeguarder applied, interviewed, assessed and appointed (allocated to this
        panel's support manager), every step dated before the term starts."""
        applied = term_starts_on - timedelta(days=60)
        s = self.post("/safeguarders", self.admin, name=name, region=self.region,
                      contact={"email": f"{name.split()[0].lower()}@example.org"},
                      at=at(applied))["id"]
        self.post(f"/safeguarders/{s}/record-interview", self.admin, passed=True,
                  at=at(applied + timedelta(days=10)))
        self.post(f"/safeguarders/{s}/record-assessment", self.admin, passed=True,
                  at=at(applied + timedelta(days=20)))
        self.post(f"/safeguarders/{s}/appoint", self.admin,
                  term_starts_on=term_starts_on.isoformat(),
                  at=at(term_starts_on - timedelta(days=1)))
        if allocate:
            self.post(f"/safeguarders/{s}/allocate", self.admin, manager=self.manager_name,
                      at=at(term_starts_on, 11))
        return str(s)

    def mentor_for(self, safeguarder: str, assigned_on: date) -> str:
        mentor = self.post("/mentors", self.coordinator, name=f"Mentor {self.tag}",
                           at=at(assigned_on - timedelta(days=20)))["id"]
        self.post(f"/mentors/{mentor}/record-training", self.coordinator,
                  at=at(assigned_on - timedelta(days=10)))
        self.post(f"/mentors/{mentor}/accredit", self.coordinator,
                  at=at(assigned_on - timedelta(days=5)))
        self.post(f"/safeguarders/{safeguarder}/assign-mentor", self.coordinator,
                  mentor_id=mentor, at=at(assigned_on))
        return str(mentor)

    def until_in_review(self, safeguarder: str) -> None:
        from uuid import UUID

        from domain.safeguarder import Safeguarder

        self.site.until(lambda: self.site.app.load(UUID(safeguarder), Safeguarder).status
                        == Status.IN_REVIEW, timeout=60)


def _region_id(region: str) -> str:
    from domain.panel import PanelRegion

    return str(PanelRegion.create_id(region))


def months_ago(months: int) -> date:
    return add_months(TODAY, -months)
