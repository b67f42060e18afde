"""Every command people give, over HTTP, dated in the past, with the worker and the projection
runner running: each event keeps the `at` the person sent as its `occurred_on`, whether the
command ran directly or through its process, and every record's history replays "as happened by"
at every cut (a fact is never dated before the fact it refers to).

The Safeguarder's term lies wholly in the past, so its process catches up on every deadline as
it starts; the case, the review and the audit lie in the last weeks, so their escalation ladders
and statutory clocks are still running.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from api.collections import COLLECTIONS, person_commands
from domain.accounts import Role
from domain.history import happened_by
from tests.e2e.conftest import System
from tests.e2e.seed_journey import assurance

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def on(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Journey:
    """Sends commands, each dated; remembers what was sent for each record."""

    def __init__(self, system: System) -> None:
        self.system = system
        self.sent: dict[str, list[tuple[str, datetime]]] = {}  # record id -> (verb, at)
        self.verbs: set[tuple[str, str]] = set()

    def make(self, collection: str, who: dict[str, str], at: datetime, **body: Any) -> str:
        answer = self.system.post(f"/{collection}", who, at=at.isoformat(), **body)
        assert answer.status_code == 201, answer.text
        record = answer.json()["id"]
        self._keep(collection, "", record, at)
        return str(record)

    def do(self, collection: str, record: str, verb: str, who: dict[str, str], at: datetime,
           also: str | None = None, **body: Any) -> dict[str, Any]:
        """A command on `record` (and on `also`, the other record it changes in the same
        save)."""
        answer = self.system.post(f"/{collection}/{record}/{verb}", who, at=at.isoformat(),
                                  **body)
        assert answer.status_code == 200, f"{verb}: {answer.text}"
        self._keep(collection, verb, record, at)
        if also is not None:
            self.sent.setdefault(also, []).append((verb, at))
        return answer.json()  # type: ignore[no-any-return]

    def _keep(self, collection: str, verb: str, record: str, at: datetime) -> None:
        self.sent.setdefault(record, []).append((verb, at))
        self.verbs.add((collection, verb))


def people_events(system: System, record: str) -> list[Any]:
    """The record's events given by people (not the steps and facts of a process)."""
    return [e for e in system.events(record) if not e.actor.startswith("process:")
            and type(e).__name__ != "ProcessStepRecorded"]


def panel(journey: Journey, system: System) -> dict[str, str]:
    admin = system.who(Role.PANEL_ADMIN, "pa-1")
    coordinator = system.who(Role.MENTORING_COORDINATOR, "mc-1")
    ids: dict[str, str] = {}
    ids["region"] = region = journey.make("regions", admin, on(date(2023, 1, 2)), region="East")
    journey.do("regions", region, "add-support-manager", admin, on(date(2023, 1, 3)),
               manager="sm-a")
    journey.do("regions", region, "add-support-manager", admin, on(date(2023, 1, 3), 11),
               manager="sm-b")
    journey.do("regions", region, "remove-support-manager", admin, on(date(2023, 1, 4)),
               manager="sm-b", reason="moved to the North")
    ids["mentor"] = mentor = journey.make("mentors", coordinator, on(date(2023, 1, 5)),
                                          name="Morgan Mentor")
    journey.do("mentors", mentor, "record-training", coordinator, on(date(2023, 1, 6)))
    journey.do("mentors", mentor, "accredit", coordinator, on(date(2023, 1, 7)))
    other = journey.make("mentors", coordinator, on(date(2023, 1, 5)), name="Robin Reserve")
    journey.do("mentors", other, "withdraw", coordinator, on(date(2023, 1, 9)),
               reason="no longer able to mentor")
    ids["group-session"] = journey.make("group-sessions", admin, on(date(2023, 4, 1)),
                                        session_ref="GS-2023-05", facilitator="sm-a",
                                        held_on="2023-05-10")
    return ids


def safeguarders(journey: Journey, system: System, ids: dict[str, str]) -> str:
    """A whole term in the past: its process catches up on every deadline as it starts."""
    admin = system.who(Role.PANEL_ADMIN, "pa-1")
    manager = system.who(Role.SUPPORT_MANAGER, "sm-a", "East")
    coordinator = system.who(Role.MENTORING_COORDINATOR, "mc-1")
    s = journey.make("safeguarders", admin, on(date(2023, 1, 10)), name="Sam Eastwood",
                     contact={"phone": "07700 900461"}, region="East")
    journey.do("safeguarders", s, "record-interview", admin, on(date(2023, 2, 1)), passed=True,
               notes="clear child focus")
    journey.do("safeguarders", s, "record-assessment", admin, on(date(2023, 2, 15)),
               passed=True, notes="ready")
    journey.do("safeguarders", s, "appoint", admin, on(date(2023, 2, 28)),
               term_starts_on="2023-03-01")
    journey.do("safeguarders", s, "allocate", admin, on(date(2023, 3, 2)), manager="sm-a")
    journey.do("safeguarders", s, "assign-mentor", coordinator, on(date(2023, 3, 10)),
               mentor_id=ids["mentor"])
    journey.do("safeguarders", s, "record-mentoring-session", coordinator,
               on(date(2023, 4, 15)), notes="first months")
    journey.do("safeguarders", s, "attend-group-session", manager, on(date(2023, 5, 10)),
               also=ids["group-session"], session_id=ids["group-session"])
    journey.do("safeguarders", s, "record-mentoring-impact", manager, on(date(2023, 6, 1)),
               evidence="reports now open with the child's views")
    journey.do("safeguarders", s, "record-support-session", manager, on(date(2023, 9, 1)),
               session_id="S-2023", notes="reflective discussion")
    for ref in ("R-2023-1", "R-2023-2"):
        journey.do("safeguarders", s, "record-sampled-report", manager, on(date(2023, 9, 1), 11),
                   report_ref=ref, session_id="S-2023", discussion="report discussed")
    journey.do("safeguarders", s, "record-feedback", manager, on(date(2023, 10, 2)),
               source="child or young person", tone="positive", summary="listened to me")
    journey.do("safeguarders", s, "record-performance-evidence", manager, on(date(2023, 11, 1)),
               standard="Practice Standard 3", evidence="reports sampled at the session")
    journey.do("safeguarders", s, "raise-concern", admin, on(date(2024, 1, 10)),
               concern_id="C-1", about="behaviour", summary="late to two hearings")
    journey.do("safeguarders", s, "resolve-concern", admin, on(date(2024, 1, 20)),
               concern_id="C-1", resolution="explained; no pattern")
    system.until(lambda: system.app.load(UUID(s)).status == "in re-appointment review")
    journey.do("safeguarders", s, "recommend", manager, on(date(2025, 10, 1)), reappoint=True,
               rationale="sound practice",
               exception_reason="years 2 and 3 fell short while the manager was on leave")
    journey.do("safeguarders", s, "record-ministers-decision", admin, on(date(2026, 1, 15)),
               reappoint=False)
    leaver = journey.make("safeguarders", admin, on(date(2024, 1, 10)), name="Kim Westley",
                          region="East")
    journey.do("safeguarders", leaver, "resign", admin, on(date(2024, 2, 1)),
               reason="moving abroad")
    removed = journey.make("safeguarders", admin, on(date(2024, 1, 11)), name="Lee Late",
                           region="East")
    journey.do("safeguarders", removed, "remove", admin, on(date(2024, 3, 1)),
               reason="did not complete the assessment")
    return s


def case(journey: Journey, system: System) -> str:
    """A looked-after child's case of the last weeks: its ladders are still running."""
    practitioner = system.who(Role.PRACTITIONER, "pr-1")
    supervisor = system.who(Role.SUPERVISOR, "su-1")
    c = journey.make("cases", practitioner, ago(40), child_reference="C-2026-0412",
                     agency="Children's social care", practitioner="pr-1", supervisor="su-1",
                     legal_status="looked_after", risk="medium", nation="ENG")
    journey.do("cases", c, "change-risk", supervisor, ago(38), new_risk="high")
    journey.do("cases", c, "record-discussion", supervisor, ago(35), discussion_id="D-1",
               supervisor="su-1", supervisee="pr-1", needs="stable placement",
               risks="placement breakdown", engagement="child engages", plan="review placement",
               capacity_for_change="carers keen to learn", rag="A",
               actions=[{"action_id": "A-1", "description": "placement review meeting",
                         "owner": "pr-1", "due": (ago(25)).date().isoformat()}],
               next_discussion_on=(ago(-20)).date().isoformat())
    journey.do("cases", c, "sign-discussion", supervisor, ago(35), discussion_id="D-1",
               party="su-1")
    journey.do("cases", c, "sign-discussion", practitioner, ago(34), discussion_id="D-1",
               party="pr-1")
    journey.do("cases", c, "complete-action", practitioner, ago(30), action_id="A-1")
    journey.do("cases", c, "change-legal-status", supervisor, ago(6),
               new_status="child_protection")
    journey.do("cases", c, "raise-concern", practitioner, ago(5), concern_id="CC-1",
               summary="bruising seen at contact")
    journey.do("cases", c, "escalate-concern", supervisor, ago(4.9), concern_id="CC-1",
               reason="needs the manager today")
    journey.do("cases", c, "resolve-concern", supervisor, ago(4.5), concern_id="CC-1",
               outcome="strategy discussion held")
    journey.do("cases", c, "raise-disagreement", practitioner, ago(4), disagreement_id="PD-1",
               between=["Police", "Children's social care"], summary="threshold for section 47")
    journey.do("cases", c, "escalate-disagreement", supervisor, ago(3.9),
               disagreement_id="PD-1", reason="not resolved between workers")
    journey.do("cases", c, "resolve-disagreement", supervisor, ago(3.5),
               disagreement_id="PD-1", outcome="managers agreed a joint visit")
    return c


def review(journey: Journey, system: System) -> str:
    """A serious incident of the last days: its statutory clocks are still running."""
    chair = system.who(Role.PRACTICE_REVIEW_MEMBER, "prm-1")
    r = journey.make("reviews", chair, ago(3), reference="SI-2026-014", referrer="Police",
                     category="serious_incident", summary="an infant seriously injured",
                     nation="ENG", review_type="rapid_review",
                     became_aware_on=ago(3).date().isoformat())
    journey.do("reviews", r, "request-agency-information", chair, ago(2.9), request_id="REQ-1",
               agency="Health", due_on=ago(-5).date().isoformat())
    journey.do("reviews", r, "notify-panel", chair, ago(2.8))
    journey.do("reviews", r, "receive-agency-information", chair, ago(2.5), request_id="REQ-1")
    journey.do("reviews", r, "complete-rapid-review", chair, ago(2),
               findings="discharge information not shared", learning=["share discharge notes"],
               recommend_lcspr=False, rationale="the learning is clear without an LCSPR")
    journey.do("reviews", r, "record-panel-response", chair, ago(1.8),
               response="the Panel agrees")
    journey.do("reviews", r, "decide-lcspr", chair, ago(1.7), commission=False,
               rationale="learning captured by the rapid review")
    journey.do("reviews", r, "add-recommendation", chair, ago(1.6), recommendation_id="REC-1",
               text="health visitors receive discharge summaries", owner_agency="Health",
               due_on=ago(-60).date().isoformat())
    journey.do("reviews", r, "update-recommendation", chair, ago(1.5),
               recommendation_id="REC-1", progress="template drafted")
    journey.do("reviews", r, "complete-recommendation", chair, ago(1.2),
               recommendation_id="REC-1")
    journey.do("reviews", r, "assess-recommendation-impact", chair, ago(1.1),
               recommendation_id="REC-1", impact="summaries now arrive within a day")
    journey.do("reviews", r, "close", chair, ago(1))
    return r


def audit(journey: Journey, system: System, case_id: str) -> str:
    chair = system.who(Role.PRACTICE_REVIEW_MEMBER, "prm-1")
    a = journey.make("audits", chair, ago(20), reference="MAPA-2026-2",
                     theme="supervision of looked-after children", dimension="multi_agency",
                     audit_type="multi_agency_practice", year=ago(20).year, agencies=["Health"],
                     sample_size=1, returns_due=ago(-10).date().isoformat())
    system.until(lambda: system.app.load(UUID(a)).stage == "returns_requested")
    journey.do("audits", a, "review-plan", chair, ago(15), notes="plan still right")
    journey.do("audits", a, "submit-return", chair, ago(10), agency="Health",
               supervision_grade="good", oversight_grade="requires_improvement",
               evidence="supervision notes sampled")
    journey.do("audits", a, "moderate", chair, ago(9), notes="grades agreed")
    journey.do("audits", a, "record-findings", chair, ago(8.5), strengths=["timely supervision"],
               areas_for_development=["recording of oversight"])
    journey.do("audits", a, "report", chair, ago(8.4), group="Safeguarding Effectiveness")
    journey.do("audits", a, "agree-actions", chair, ago(8.3),
               actions=[{"action": "oversight template", "owner": "Health",
                         "due_on": ago(-30).date().isoformat()}])
    journey.do("cases", case_id, "record-audit-grade", chair, ago(8.2), audit_id=a,
               grade="good")
    journey.do("audits", a, "close", chair, ago(8))
    return a


def test_every_command_keeps_the_time_the_person_gave_it(system: System) -> None:
    journey = Journey(system)
    ids = panel(journey, system)
    s = safeguarders(journey, system, ids)
    c = case(journey, system)
    r = review(journey, system)
    a = audit(journey, system, c)
    assurance(journey, system)
    journey.do("cases", c, "change-supervisor", system.who(Role.SUPERVISOR, "su-1"), ago(0.5),
               new_supervisor="su-2", reason="su-1 moved team")
    journey.do("cases", c, "close", system.who(Role.PRACTITIONER, "pr-1"), ago(0.2),
               reason="returned home safely")

    every = {(COLLECTIONS[k], "" if cmd.creates else cmd.verb)
             for k in COLLECTIONS for cmd in person_commands(k)}
    assert every - journey.verbs == set(), "some command routes were not driven"

    for record, sent in journey.sent.items():
        happened = [e.occurred_on for e in people_events(system, record)]
        assert sorted(happened) == sorted(at for _, at in sent), record
    for record in (s, c, r, a):
        assert_coherent_at_every_cut(system.events(record))


def assert_coherent_at_every_cut(events: list[Any]) -> None:
    """The record as it had happened by each of its facts' times replays whole: no fact
    refers to something not yet there."""
    for cut in sorted({e.occurred_on for e in events}):
        state = happened_by(events, cut)
        assert state is not None, f"no record as happened by {cut}"
