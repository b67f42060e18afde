"""`assured up --demo`: a realistic demo data set, made through the application's own door.

Every record is made by an HTTP request to the running system, as a person's request is, so
each starts its process and every process steps through its deadlines exactly as it would have
(`api/acting.py`); every command carries the day it happened (`at`), in the last two to three
years, relative to today. The people are demo accounts of every role, made through the
application's account commands (as `assured users add` makes them) and signed in through
`POST /auth/token`, with their second factor's code where the role needs one. Their names and
one generated password go to a private file under the data folder; nothing personal is
printed.

What it makes (fictional people, seeded random, so reruns are comparable):
- three regions with two support managers each, four peer mentors and the mentoring programme;
- 40 Safeguarders at every stage: applied, interviewed, assessed, not appointed, resigned,
  removed, in their first, second and third years (allocated, support sessions with sampled
  reports, group sessions, peer mentoring, feedback, concerns), in re-appointment review with
  and without a recommendation, re-appointed and not re-appointed by Ministers;
- 60 children's cases with supervision discussions, some drifting (a child in need undiscussed
  for over three months, ratings not improving), some closed;
- referrals and rapid reviews, open and closed, one past its statutory clock;
- a multi-agency audit in progress (returns requested, some in, the rest chased);
- the last finished quarter's assurance cycle, whose leads' narratives are the scorecard's,
  the current quarter's cycle planned, a supervision arrangement and a forward plan.

Processes that start in the past catch up on the deadlines already passed as they start: a fact
entered a moment after its deadline's step fired, but dated within it, is reconciled by the
process as any late entry is (its history shows both).
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pyotp

from api.auth import hash_password
from api.second_factor import new_secret, provisioning_uri
from api.wording import ROLES
from domain.accounts import SECOND_FACTOR_ROLES, Account, CreateAccount, EnrolSecondFactor, Role
from domain.application import Assured
from domain.errors import RecordNotFound
from domain.policy import add_months
from infra.private import write_private
from infra.settings import Settings

SEED = 13
CREDENTIALS = "demo-accounts.txt"
PARALLEL = 6  # records driven at once (each record's commands in order)


@dataclass(frozen=True)
class Person:
    username: str
    role: Role
    name: str
    region: str | None = None
    agency: str | None = None


ADMIN = Person("fiona.macleod", Role.PANEL_ADMIN, "Fiona MacLeod")
MANAGERS = {
    "East": (Person("priya.sharma", Role.SUPPORT_MANAGER, "Priya Sharma", "East"),
             Person("owen.oneill", Role.SUPPORT_MANAGER, "Owen O'Neill", "East")),
    "North": (Person("iona.mackay", Role.SUPPORT_MANAGER, "Iona Mackay", "North"),
              Person("ruairidh.ross", Role.SUPPORT_MANAGER, "Ruairidh Ross", "North")),
    "West": (Person("chloe.dubois", Role.SUPPORT_MANAGER, "Chloé Dubois", "West"),
             Person("tomasz.nowak", Role.SUPPORT_MANAGER, "Tomasz Nowak", "West")),
}
COORDINATOR = Person("morag.campbell", Role.MENTORING_COORDINATOR, "Morag Campbell")
TEAMS = (  # a supervisor and the two practitioners they supervise
    (Person("sam.okafor", Role.SUPERVISOR, "Sam Okafor"),
     Person("jo.whitfield", Role.PRACTITIONER, "Jo Whitfield"),
     Person("ana.ferreira", Role.PRACTITIONER, "Ana Ferreira")),
    (Person("ben.hughes", Role.SUPERVISOR, "Ben Hughes"),
     Person("kit.lindqvist", Role.PRACTITIONER, "Kit Lindqvist"),
     Person("aoife.doyle", Role.PRACTITIONER, "Aoife Doyle")),
    (Person("lee.chen", Role.SUPERVISOR, "Lee Chen"),
     Person("eve.morgan", Role.PRACTITIONER, "Eve Morgan"),
     Person("rhys.pritchard", Role.PRACTITIONER, "Rhys Pritchard")),
)
CHAIR = Person("helen.ward", Role.PRACTICE_REVIEW_MEMBER, "Helen Ward")
LEAD = Person("daniel.mensah", Role.PRACTICE_REVIEW_MEMBER, "Daniel Mensah")
BUSINESS_UNIT = Person("kwame.asante", Role.BUSINESS_UNIT, "Kwame Asante")
LEADER = Person("ruth.evans", Role.LEADER, "Ruth Evans")
AUDITOR = Person("catrin.jones", Role.AUDITOR, "Catrin Jones")
OPS = Person("dee.patel", Role.OPS, "Dee Patel")
POLICE = Person("police.sgt.hall", Role.AGENCY_CONTRIBUTOR, "Sgt Marcus Hall", agency="Police")
OFFICER = Person("nadia.rahman", Role.DATA_PROTECTION_OFFICER, "Nadia Rahman")

PEOPLE: tuple[Person, ...] = (
    ADMIN, *[m for pair in MANAGERS.values() for m in pair], COORDINATOR,
    *[p for team in TEAMS for p in team], CHAIR, LEAD, BUSINESS_UNIT, LEADER, AUDITOR, OPS,
    POLICE, OFFICER)
assert {p.role for p in PEOPLE} == set(ROLES), "a demo account for every role"

FIRST = ("Alex", "Bríd", "Callum", "Dafydd", "Eilidh", "Farah", "Gráinne", "Hamish", "Imogen",
         "Jamal", "Kirsty", "Leïla", "Mairi", "Niamh", "Oluwaseun", "Pádraig", "Rosalind",
         "Siân", "Tariq", "Una", "Véronique", "Wen", "Yusuf", "Zoë", "Ewan", "Morven", "Angus",
         "Seonaid", "Raphaël", "Björn", "Carys", "Declan", "Esmé", "Fraser", "Gwen", "Hana",
         "Isla", "José", "Kenji", "Lorna")
LAST = ("O'Brien", "MacDonald", "Ní Bhriain", "Fraser", "D'Souza", "Lefèvre", "Kowalski",
        "Rennie", "McAllister", "Álvarez", "Ó Súilleabháin", "Nakamura", "Campbell",
        "Brodie", "Øvergaard", "Müller", "Stewart", "O'Connor", "Sinclair", "Baird")


def load_demo(base_url: str, settings: Settings, opened: Assured,
              say: Callable[[str], None]) -> bool:
    """Load the demo data set into the running system at `base_url`; False (and nothing done)
    when it is already there. Blocks until every record is made."""
    try:
        opened.load(Account.create_id(ADMIN.username), Account)
        return False
    except RecordNotFound:
        pass
    started = time.monotonic()
    today = datetime.now(UTC).replace(microsecond=0)
    password = secrets.token_urlsafe(12)
    factors = _accounts(opened, password, today)
    where = settings.data_dir / CREDENTIALS
    where.unlink(missing_ok=True)
    write_private(where, _credentials(password, factors))
    say(f"Demo accounts ({len(PEOPLE)}, one for every role) and their password: {where}")
    with httpx.Client(base_url=base_url, timeout=120) as http:
        door = Door(http, today)
        door.sign_in_all(password, factors)
        demo = Demo(door, random.Random(SEED))

        def done(what: str) -> None:
            say(f"Demo data: {what} done ({door.sent} commands, "
                f"{time.monotonic() - started:.0f} s)")

        demo.panel()
        done("regions, support managers, mentors and group sessions")
        # Records that do not depend on one another are made side by side, the longest
        # stories first; each record's own commands go in order.
        in_batches(done, [("assurance cycles, an arrangement and a forward plan",
                           [demo.assurance]),
                          ("reviews and referrals", demo.reviews()),
                          ("40 Safeguarders", demo.safeguarders()),
                          ("60 cases", demo.cases())])
        in_batches(done, [("an audit in progress", [demo.audit]),
                          ("group session attendance", demo.group_sessions())])
    return True


def _accounts(opened: Assured, password: str, today: datetime) -> dict[str, str]:
    """Every demo person's account, as `assured users add` makes it; the second factors' secrets
    by username."""
    hashed, factors = hash_password(password), {}
    since = today - timedelta(days=3 * 365 + 30)
    for p in PEOPLE:
        made = opened.create_account(CreateAccount(
            username=p.username, role=p.role, region=p.region, agency=p.agency,
            password_hash=hashed, by="demo data", at=since))
        if p.role in SECOND_FACTOR_ROLES:
            factors[p.username] = new_secret()
            opened.enrol_second_factor(EnrolSecondFactor(
                record_id=made.aggregate_id, secret=factors[p.username], by="demo data",
                at=since))
    return factors


def _credentials(password: str, factors: dict[str, str]) -> str:
    lines = ["Assured demo accounts (fictional people). Every account's password:", "",
             f"    {password}", "",
             "Roles marked * sign in with a second factor: add its otpauth:// URI to an "
             "authenticator app.", ""]
    for p in PEOPLE:
        where = f", {p.region}" if p.region else f", {p.agency}" if p.agency else ""
        lines.append(f"{'*' if p.username in factors else ' '} {p.username:18} {p.name} "
                     f"({ROLES[p.role]}{where})")
        if p.username in factors:
            lines.append(f"      {provisioning_uri(factors[p.username], p.username)}")
    return "\n".join(lines) + "\n"


class Refused(RuntimeError):
    """The system refused a demo command: the demo script is wrong for it."""


class Door:
    """HTTP requests to the running system, as the signed-in demo people."""

    def __init__(self, http: httpx.Client, today: datetime) -> None:
        self.http, self.today = http, today
        self.headers: dict[str, dict[str, str]] = {}
        self.sent = 0
        self._count = threading.Lock()

    def sign_in_all(self, password: str, factors: dict[str, str]) -> None:
        def sign_in(p: Person) -> None:
            form = {"username": p.username, "password": password}
            if p.username in factors:
                form["totp"] = pyotp.TOTP(factors[p.username]).now()
            answer = self.http.post("/auth/token", data=form)
            if answer.status_code != 200:
                raise Refused(f"sign-in of a demo account: {answer.status_code} {answer.text}")
            self.headers[p.username] = {
                "Authorization": f"Bearer {answer.json()['access_token']}"}

        in_parallel(sign_in, PEOPLE)

    def ago(self, days: float) -> datetime:
        return self.today - timedelta(days=days)

    def post(self, who: Person, path: str, at: datetime, **body: Any) -> dict[str, Any]:
        assert at <= self.today, f"{path}: the demo data lies in the past"
        for _attempt in range(5):
            answer = self.http.post(path, headers=self.headers[who.username],
                                    json={"at": at.isoformat(), **body})
            if answer.status_code != 409 or answer.json().get("title") != "Concurrent change":
                break
        if answer.status_code not in (200, 201):
            raise Refused(f"POST {path.split('/')[1]} .../{path.split('/')[-1]}: "
                          f"{answer.status_code} {answer.text}")
        with self._count:
            self.sent += 1
        return answer.json()  # type: ignore[no-any-return]

    def make(self, who: Person, collection: str, at: datetime, **body: Any) -> str:
        return str(self.post(who, f"/{collection}", at, **body)["id"])

    def do(self, who: Person, collection: str, record: str, verb: str, at: datetime,
           **body: Any) -> dict[str, Any]:
        return self.post(who, f"/{collection}/{record}/{verb}", at, **body)

    def get(self, who: Person, path: str, **params: Any) -> Any:
        answer = self.http.get(path, headers=self.headers[who.username], params=params)
        if answer.status_code != 200:
            raise Refused(f"GET {path}: {answer.status_code} {answer.text}")
        return answer.json()

    def until(self, check: Callable[[], Any], what: str, timeout: float = 90) -> Any:
        deadline = time.monotonic() + timeout
        while not (found := check()):
            if time.monotonic() > deadline:
                raise Refused(f"the system did not reach this in time: {what}")
            time.sleep(0.2)
        return found


def in_parallel(work: Callable[[Any], None], items: Iterable[Any]) -> None:
    with ThreadPoolExecutor(PARALLEL) as pool:
        for done in [pool.submit(work, item) for item in items]:
            done.result()


Task = Callable[[], None]


def in_batches(done: Callable[[str], None], batches: list[tuple[str, list[Task]]]) -> None:
    """Run every task of every batch, PARALLEL at a time, in the order given; `done(name)` once
    a batch's tasks have all finished. The first failure stops the rest."""
    left = {name: len(tasks) for name, tasks in batches}
    with ThreadPoolExecutor(PARALLEL) as pool:
        running = {pool.submit(task): name for name, tasks in batches for task in tasks}
        try:
            for finished in as_completed(running):
                finished.result()
                left[running[finished]] -= 1
                if not left[running[finished]]:
                    done(running[finished])
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def day(moment: datetime | date) -> str:
    return (moment.date() if isinstance(moment, datetime) else moment).isoformat()


def at_ten(on: date) -> datetime:
    return datetime(on.year, on.month, on.day, 10, tzinfo=UTC)


@dataclass
class Plan:
    """One Safeguarder's story: how far it went, and when each step happened."""

    number: int
    name: str
    region: str
    stage: str
    applied_days_ago: int
    term_starts: date | None = None


class Demo:
    """The demo data set, step by step."""

    def __init__(self, door: Door, rng: random.Random) -> None:
        self.door, self.rng = door, rng
        self.regions: dict[str, str] = {}
        self.mentors: list[str] = []
        self.groups: dict[str, list[tuple[str, date, str]]] = {}  # id -> (who, held, region)
        self.attending: list[tuple[int, str, str, Person]] = []  # (number, id, group, manager)
        self.case_ids: list[tuple[str, str]] = []  # (case id, agency)
        self.today = door.today

    # --- the panel --------------------------------------------------------------------------

    def panel(self) -> None:
        d, start = self.door, self.door.ago(3 * 365 + 20)
        d.make(COORDINATOR, "mentoring-programmes", start,
               starts_on=day(start))
        for n, (region, managers) in enumerate(MANAGERS.items()):
            self.regions[region] = d.make(ADMIN, "regions", start + timedelta(hours=n),
                                          region=region)
            for m in managers:
                d.do(ADMIN, "regions", self.regions[region], "add-support-manager",
                     start + timedelta(days=1, hours=n), manager=m.username)
        for n, name in enumerate(("Margaret Ó Briain", "Graham Leckie", "Hélène Marchand",
                                  "Duncan McRae")):
            mentor = d.make(COORDINATOR, "mentors", start + timedelta(days=2, hours=n),
                            name=name)
            d.do(COORDINATOR, "mentors", mentor, "record-training",
                 start + timedelta(days=20 + n))
            if n < 3:
                d.do(COORDINATOR, "mentors", mentor, "accredit", start + timedelta(days=35 + n))
                self.mentors.append(mentor)
        # Two group sessions a year in each region, facilitated by its support managers.
        for region, managers in MANAGERS.items():
            for n in range(6):
                held = (self.today - timedelta(days=60 + 182 * n)).date()
                if held < start.date() + timedelta(days=60):
                    continue
                facilitator = managers[n % 2]
                ref = f"GS-{region[0]}-{held:%Y-%m}"
                group = d.make(facilitator, "group-sessions", at_ten(held) - timedelta(days=30),
                               session_ref=ref, facilitator=facilitator.username,
                               held_on=day(held))
                self.groups[group] = [(facilitator.username, held, region)]

    # --- Safeguarders -----------------------------------------------------------------------

    STAGES = (  # (stage, how many, days since application: from, to)
        ("applied", 3, 7, 30), ("interviewed", 2, 30, 50), ("assessed", 2, 45, 70),
        ("not appointed", 2, 60, 200), ("resigned", 1, 300, 500), ("removed", 1, 400, 600),
        ("year 1", 9, 80, 360), ("year 2", 9, 420, 740), ("year 3", 4, 800, 900),
        ("in review", 3, 975, 1010), ("recommended", 2, 1000, 1040),
        ("re-appointed", 1, 1060, 1100), ("ended", 1, 1060, 1100))

    def _plans(self) -> list[Plan]:
        plans, n, regions = [], 0, list(MANAGERS)
        for stage, count, earliest, latest in self.STAGES:
            for _ in range(count):
                name = f"{FIRST[n]} {LAST[(n * 7) % len(LAST)]}"
                plans.append(Plan(n + 1, name, regions[n % 3], stage,
                                  self.rng.randint(earliest, latest)))
                n += 1
        assert n == 40
        return plans

    def safeguarders(self) -> list[Task]:
        return [partial(self._safeguarder, plan) for plan in self._plans()]

    def _safeguarder(self, p: Plan) -> None:
        d, rng = self.door, random.Random(SEED * 100 + p.number)  # its own: threads share none
        applied = d.ago(p.applied_days_ago)
        s = d.make(ADMIN, "safeguarders", applied, name=p.name, region=p.region,
                   contact={"email": f"{p.name.split()[0].lower()}.{p.number}@example.org",
                            "phone": f"07700 900{p.number:03d}"})
        if p.stage == "applied":
            return
        if p.stage == "removed":
            d.do(ADMIN, "safeguarders", s, "remove", applied + timedelta(days=40),
                 reason="Did not provide the references the panel asked for")
            return
        failed = p.stage == "not appointed"
        d.do(ADMIN, "safeguarders", s, "record-interview", applied + timedelta(days=21),
             passed=not (failed and p.number % 2), notes=rng.choice((
                 "Clear focus on the child's voice; good grasp of the children's hearings",
                 "Thoughtful answers on conflicts of interest; asked about the reporter's role",
                 "Calm, child-centred; drew on twelve years as a family-court social worker")))
        if p.stage == "interviewed" or (failed and p.number % 2):
            return
        d.do(ADMIN, "safeguarders", s, "record-assessment", applied + timedelta(days=35),
             passed=not failed, notes="Report-writing exercise: structured, balanced, concise"
             if not failed else "The report exercise did not separate fact from opinion")
        if p.stage in ("assessed", "not appointed"):
            return
        appointed = applied + timedelta(days=49)
        p.term_starts = (appointed + timedelta(days=3)).date()
        manager = MANAGERS[p.region][p.number % 2]
        d.do(ADMIN, "safeguarders", s, "appoint", appointed, term_starts_on=day(p.term_starts))
        d.do(ADMIN, "safeguarders", s, "allocate", appointed + timedelta(days=4),
             manager=manager.username, reason="")
        if p.stage == "resigned":
            d.do(ADMIN, "safeguarders", s, "resign", appointed + timedelta(days=120),
                 reason="Moving to a post that conflicts with panel work")
            return
        start = at_ten(p.term_starts)
        if start + timedelta(days=10) < self.today:
            d.do(COORDINATOR, "safeguarders", s, "assign-mentor", start + timedelta(days=7),
                 mentor_id=self.mentors[p.number % len(self.mentors)])
        for k, months in enumerate((2, 5, 9)):
            held = at_ten(add_months(p.term_starts, months))
            if held < self.today:
                d.do(COORDINATOR, "safeguarders", s, "record-mentoring-session", held,
                     notes=("First hearings talked through; how to explain the role to a "
                            "child", "Writing the report's analysis; the child's views "
                            "first", "Managing a hearing where the parents disagree")[k])
        self._years(s, p, manager)
        self._attend(s, p, manager)
        if p.number % 4 == 0 and start + timedelta(days=150) < self.today:
            d.do(manager, "safeguarders", s, "record-feedback", start + timedelta(days=150),
                 source="child or young person", tone="positive",
                 summary="She said what I wanted the panel to hear, in my words")
        if p.number % 5 == 1 and start + timedelta(days=200) < self.today:
            d.do(manager, "safeguarders", s, "record-feedback", start + timedelta(days=200),
                 source="professional", tone="mixed",
                 summary="Thorough report, but it reached the reporter a day late")
        if p.number % 6 == 2 and start + timedelta(days=260) < self.today:
            d.do(ADMIN, "safeguarders", s, "raise-concern", start + timedelta(days=240),
                 concern_id=f"CON-{p.number}", about="work",
                 summary="Two reports lodged after the hearing's deadline")
            d.do(ADMIN, "safeguarders", s, "resolve-concern", start + timedelta(days=255),
                 concern_id=f"CON-{p.number}",
                 resolution="Caseload reduced for a quarter; reports on time since")
        if p.stage in ("in review", "recommended", "re-appointed", "ended"):
            self._review(s, p, manager)

    @staticmethod
    def _short(p: Plan, year: int) -> bool:
        """A year that fell short: the process records it and escalates it."""
        return year == 2 and ((p.stage == "year 3" and p.number % 2 == 1)
                              or (p.stage == "recommended" and p.number % 2 == 0))

    def _years(self, s: str, p: Plan, manager: Person) -> None:
        """Each appointment year's support session and two sampled reports, held in its
        eighth month (the third year's in its fifth, before the recommendation is due), or
        not at all in a year that fell short."""
        assert p.term_starts is not None
        for year in range(1, 4):
            held = at_ten(add_months(p.term_starts, 12 * (year - 1) + (7 if year < 3 else 4)))
            if held > self.today - timedelta(days=3):
                return
            if self._short(p, year):
                continue
            sid = f"SS-{p.number}-{year}"
            self.door.do(manager, "safeguarders", s, "record-support-session", held,
                         session_id=sid, notes=random.Random(p.number * 10 + year).choice((
                             "Reflective discussion of two hearings; workload manageable",
                             "Talked through a contested hearing; no support needs",
                             "Discussed the new practice standards and a tricky referral")))
            for r in (1, 2):
                self.door.do(manager, "safeguarders", s, "record-sampled-report",
                             held + timedelta(minutes=r), report_ref=f"RPT-{p.number}-{year}-{r}",
                             session_id=sid, discussion="Analysis clear; the child's views "
                             "given in the child's own words")

    def _attend(self, s: str, p: Plan, manager: Person) -> None:
        assert p.term_starts is not None
        for group, held, region in ((g, h, r) for g, [(_, h, r)] in self.groups.items()):
            if (region == p.region and held > p.term_starts and p.number % 3 != 2
                    and p.stage != "ended"):
                self.attending.append((p.number, s, group, manager))

    def _review(self, s: str, p: Plan, manager: Person) -> None:
        d = self.door
        assert p.term_starts is not None
        d.until(lambda: d.get(manager, f"/safeguarders/{s}")["status"]
                == "in re-appointment review", "a re-appointment review opening")
        if p.stage == "in review":
            return
        term_ends = add_months(p.term_starts, 36)
        recommended = min(at_ten(add_months(term_ends, -5)), d.ago(20))
        d.do(manager, "safeguarders", s, "recommend", recommended, reappoint=p.stage != "ended",
             rationale="Consistently child-centred reports; strong feedback from children"
             if p.stage != "ended" else "Reports repeatedly late despite support",
             exception_reason="No session in year 2 while the support manager's post was "
             "vacant; the sampled reports since show sound practice" if self._short(p, 2)
             else "")
        if p.stage in ("re-appointed", "ended"):
            d.do(ADMIN, "safeguarders", s, "record-ministers-decision",
                 min(recommended + timedelta(days=60), d.ago(7)),
                 reappoint=p.stage == "re-appointed")

    def group_sessions(self) -> list[Task]:
        """Attendance, four at most a session, each session's in turn (the session is a record
        of its own, saved with each attendance)."""
        by_group: dict[str, list[tuple[str, Person]]] = {}
        for _, s, group, manager in sorted(self.attending, key=lambda a: a[:2]):
            if len(by_group.setdefault(group, [])) < 4:
                by_group[group].append((s, manager))

        def attend(group: str) -> None:
            held = self.groups[group][0][1]
            for s, manager in by_group[group]:
                self.door.do(manager, "safeguarders", s, "attend-group-session",
                             at_ten(held) + timedelta(hours=6), session_id=group)

        return [partial(attend, group) for group in by_group]

    # --- cases --------------------------------------------------------------------------------

    AGENCIES = ("Children's social care", "Children's social care", "Health", "Education")

    def cases(self) -> list[Task]:
        plans = []
        for n in range(60):
            supervisor, *practitioners = TEAMS[n % 3]
            practitioner = practitioners[(n // 3) % 2]
            status = ("child_in_need", "child_in_need", "child_protection", "looked_after",
                      "child_in_need")[n % 5]
            plans.append((n, supervisor, practitioner, status))
        return [partial(self._case, plan) for plan in plans]

    def _case(self, plan: tuple[int, Person, Person, str]) -> None:
        n, supervisor, practitioner, status = plan
        d, rng = self.door, random.Random(SEED * 1000 + n)
        agency = self.AGENCIES[n % 4]
        drifting = n % 7 == 3  # a child whose last discussion is long past, or getting worse
        opened = d.ago(rng.randint(200, 300) if drifting else rng.randint(30, 220))
        prefix = {"Children's social care": "CSC", "Health": "HLT", "Education": "EDU"}[agency]
        c = d.make(practitioner, "cases", opened, child_reference=f"{prefix}-{opened:%Y}-{n:04d}",
                   agency=agency, practitioner=practitioner.username,
                   supervisor=supervisor.username, legal_status=status,
                   risk=rng.choice(("low", "medium", "medium", "high")),
                   nation="WLS" if n % 10 == 9 else "ENG")
        self.case_ids.append((c, agency))
        gap = rng.randint(40, 70)
        # The discussions, counted back from the latest: weeks ago, or months for drift.
        last = d.ago(rng.randint(100, 130) if drifting else rng.randint(3, 30))
        held = [last - timedelta(days=gap * k) for k in range(3)]
        held = sorted(h for h in held if h > opened + timedelta(days=7)) or [
            opened + timedelta(days=7)]
        rag = "G"
        for number, discussed in enumerate(held, start=1):
            # Drift: ratings not improving (A and A); otherwise never two non-G in a row.
            rag = "A" if drifting else "G" if rag != "G" else rng.choice("GA")
            due = discussed + timedelta(days=21)
            actions = [{"action_id": f"A-{number}", "owner": practitioner.username,
                        "description": rng.choice((
                            "Complete the home visit with the health visitor",
                            "Refer the family to early help for parenting support",
                            "Ask school for the attendance record and the child's views",
                            "Update the chronology and the child's plan")),
                        "due": day(due)}]
            d.do(supervisor, "cases", c, "record-discussion", discussed,
                 discussion_id=f"D-{number}", supervisor=supervisor.username,
                 supervisee=practitioner.username,
                 needs=rng.choice(("School attendance at 78%; food insecurity",
                                   "Speech and language assessment outstanding",
                                   "Stable placement; contact with siblings")),
                 risks=rng.choice(("Neglect; mother's partner's drinking",
                                   "Domestic abuse; father's bail conditions end in May",
                                   "Missing episodes at weekends")),
                 engagement=rng.choice(("Mother engages well", "Father avoids visits",
                                        "The young person talks to the school nurse")),
                 plan="Review at the next child in need meeting",
                 capacity_for_change=rng.choice(("Some", "Low", "Good")),
                 rag=rag, actions=actions,
                 next_discussion_on=day(discussed + timedelta(days=gap)))
            d.do(supervisor, "cases", c, "sign-discussion", discussed + timedelta(hours=1),
                 discussion_id=f"D-{number}", party=supervisor.username)
            d.do(practitioner, "cases", c, "sign-discussion", discussed + timedelta(hours=3),
                 discussion_id=f"D-{number}", party=practitioner.username)
            late = drifting and number == len(held)  # the drifting case's action is overdue
            if due - timedelta(days=2) < self.today and not late:
                d.do(practitioner, "cases", c, "complete-action", due - timedelta(days=2),
                     action_id=f"A-{number}")
        if n % 12 == 6:
            d.do(practitioner, "cases", c, "close", d.ago(3),
                 reason="Stepped down to universal services")

    # --- reviews and the audit ---------------------------------------------------------------

    def reviews(self) -> list[Task]:
        return [self._closed_review, self._breached_review, self._recent_review,
                self._referrals]

    def _rapid(self, reference: str, aware: datetime, referrer: str, summary: str) -> str:
        return self.door.make(CHAIR, "reviews", aware + timedelta(hours=6), reference=reference,
                              referrer=referrer, category="serious_incident", summary=summary,
                              nation="ENG", review_type="rapid_review",
                              became_aware_on=day(aware))

    def _closed_review(self) -> None:
        d = self.door
        for reference, days, referrer, summary in (
                ("SI-R-0117", 210, "Health", "A six-month-old seriously injured at home"),
                ("SI-R-0142", 120, "Police", "A fourteen-year-old exploited by a county line")):
            aware = d.ago(days)
            r = self._rapid(reference, aware, referrer, summary)
            for request, agency in (("REQ-H", "Health"), ("REQ-P", "Police")):
                d.do(CHAIR, "reviews", r, "request-agency-information", aware + timedelta(
                    hours=8), request_id=request, agency=agency,
                    due_on=day(aware + timedelta(days=5)))
            d.do(CHAIR, "reviews", r, "notify-panel", aware + timedelta(days=1))
            d.do(CHAIR, "reviews", r, "receive-agency-information", aware + timedelta(days=3),
                 request_id="REQ-H")
            d.do(POLICE, "reviews", r, "receive-agency-information", aware + timedelta(days=4),
                 request_id="REQ-P")
            d.do(CHAIR, "reviews", r, "complete-rapid-review", aware + timedelta(days=14),
                 findings="Discharge information was not shared with the health visitor",
                 learning=["Share discharge summaries the same day"], recommend_lcspr=False,
                 rationale="The learning is clear without a local review")
            d.do(CHAIR, "reviews", r, "record-panel-response", aware + timedelta(days=30),
                 response="The Panel agrees with the rapid review's conclusion")
            d.do(CHAIR, "reviews", r, "decide-lcspr", aware + timedelta(days=32),
                 commission=False, rationale="Learning captured by the rapid review")
            d.do(CHAIR, "reviews", r, "add-recommendation", aware + timedelta(days=33),
                 recommendation_id="REC-1", owner_agency=referrer,
                 text="Health visitors receive discharge summaries within a day",
                 due_on=day(aware + timedelta(days=90)))
            d.do(CHAIR, "reviews", r, "complete-recommendation", aware + timedelta(days=80),
                 recommendation_id="REC-1")
            d.do(CHAIR, "reviews", r, "close", aware + timedelta(days=85))

    def _breached_review(self) -> None:
        """Notified five weeks ago: the rapid review is still not complete, past its 15
        working days."""
        d, aware = self.door, self.door.ago(36)
        r = self._rapid("SI-R-0163", aware, "Children's social care",
                        "A toddler admitted to hospital with a head injury")
        d.do(CHAIR, "reviews", r, "request-agency-information", aware + timedelta(hours=8),
             request_id="REQ-E", agency="Education", due_on=day(aware + timedelta(days=6)))
        d.do(CHAIR, "reviews", r, "notify-panel", aware + timedelta(days=2))
        d.do(CHAIR, "reviews", r, "receive-agency-information", aware + timedelta(days=5),
             request_id="REQ-E")

    def _recent_review(self) -> None:
        d, aware = self.door, self.door.ago(3)
        r = self._rapid("SI-R-0171", aware, "Police",
                        "A twelve-year-old found after three days missing")
        d.do(CHAIR, "reviews", r, "request-agency-information", aware + timedelta(hours=8),
             request_id="REQ-P", agency="Police", due_on=day(aware + timedelta(days=8)))
        d.do(CHAIR, "reviews", r, "notify-panel", aware + timedelta(days=1))

    def _referrals(self) -> None:
        d = self.door
        d.make(CHAIR, "reviews", d.ago(21), reference="REF-0158", referrer="Education",
               category="practice_concern", nation="ENG", review_type="single_agency",
               summary="A school's concerns about D'Arcy's attendance were not followed up",
               became_aware_on=day(d.ago(23)))

    def audit(self) -> None:
        """Planned five weeks ago, returns due last week: two agencies have returned, two are
        chased."""
        d = self.door
        due = d.ago(6)
        a = d.make(CHAIR, "audits", d.ago(35), reference=f"MAPA-{self.today:%Y}-4",
                   theme="Neglect: the child's lived experience", dimension="multi_agency",
                   audit_type="multi_agency_practice", year=d.ago(35).year,
                   agencies=["Police", "Health", "Education", "Children's social care"],
                   sample_size=4, returns_due=day(due))

        def all_chased() -> bool:
            # One read for both questions: asked of two reads, an answer with no returns yet
            # passed the first and one with four unchased returns the second.
            returns = d.get(CHAIR, f"/audits/{a}").get("returns", {})
            return len(returns) == 4 and all(r.get("chased_on") for r in returns.values())

        d.until(all_chased, "the audit's returns chased")
        d.do(POLICE, "audits", a, "submit-return", due + timedelta(days=2), agency="Police",
             supervision_grade="good", oversight_grade="good",
             evidence="Supervision notes sampled for all four children")
        d.do(CHAIR, "audits", a, "submit-return", due + timedelta(days=3), agency="Health",
             supervision_grade="requires_improvement", oversight_grade="good",
             evidence="Late: the named nurse was on leave")

    # --- the partnership's assurance ---------------------------------------------------------

    def assurance(self) -> None:
        d, bu = self.door, BUSINESS_UNIT
        year, quarter = self.today.year, (self.today.month - 1) // 3 + 1
        # The last quarter whose cycle has run its course: ended at least 60 days ago.
        while True:
            quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
            ended = date(year + (quarter == 4), (quarter * 3) % 12 + 1, 1)
            if ended + timedelta(days=60) <= self.today.date():
                break
        name = f"{year}Q{quarter}"
        measures = {"drift_cases": "Drift is falling in the east teams; the weekly list helps",
                    "cin_supervision_in_interval":
                        "Two teams slipped in August's leave; back on track by September",
                    "rapid_review_on_time": "Every rapid review on time this quarter",
                    "audit_returns_on_time": "Health's return was late: the named nurse's leave",
                    "support_on_time": "Panel support sessions on time in all three regions",
                    "mentors_accredited": "Three mentors accredited; one in training"}
        c = d.make(bu, "assurance-cycles", at_ten(ended + timedelta(days=2)), quarter=name,
                   sub_group_meets_on=day(ended + timedelta(days=28)),
                   partnership_meets_on=day(ended + timedelta(days=49)),
                   requests=[{"item": key, "kind": "measure", "lead": LEAD.username}
                             for key in measures]
                   + [{"item": "Police", "kind": "agency", "lead": POLICE.username}])
        # Its process first catches up on the deadlines passed since (reminders, chasing,
        # escalation, all dated when they fell due); the leads' evidence, dated before them,
        # is entered once it has, as any late entry is.

        def all_escalated() -> bool:
            evidence = d.get(bu, f"/assurance-cycles/{c}")["evidence"]  # (none: not yet)
            return len(evidence) == len(measures) + 1 and all(
                e.get("escalated_on") for e in evidence.values())

        d.until(all_escalated, "the assurance cycle's missing evidence escalated")
        for n, (key, narrative) in enumerate(measures.items()):
            d.do(LEAD, "assurance-cycles", c, "submit-evidence",
                 at_ten(ended + timedelta(days=10 + n)), item=key,
                 data=f"See the scorecard for {name}", narrative=narrative)
        d.do(bu, "assurance-cycles", c, "record-sub-group-discussion",
             at_ten(ended + timedelta(days=28)),
             summary="Police assurance report not received; drift improving",
             actions=[{"action_id": "A-1", "action": "Audit drift in the east teams",
                       "owner": LEAD.username, "due_on": day(ended + timedelta(days=90))}],
             recommendations=[{"recommendation_id": "R-1",
                               "text": "Publish the drift list weekly"}])
        d.do(bu, "assurance-cycles", c, "raise-query", at_ten(ended + timedelta(days=29)),
             query_id="Q-1", to=LEAD.username, question="Which teams slipped in August?",
             due_on=day(ended + timedelta(days=40)))
        d.do(LEAD, "assurance-cycles", c, "answer-query", at_ten(ended + timedelta(days=33)),
             query_id="Q-1", answer="The two east teams, during the summer's leave")
        d.do(bu, "assurance-cycles", c, "finalise-spotlight", at_ten(ended + timedelta(days=35)),
             spotlight_id="SP-1", title="Neglect", summary="Seen across agencies this quarter")
        d.do(bu, "assurance-cycles", c, "record-partnership-decisions",
             at_ten(ended + timedelta(days=49)), decisions=[
                 {"recommendation_id": "R-1", "decision": "amended", "note": "Monthly"}])
        d.do(bu, "assurance-cycles", c, "publish-assurance-report",
             at_ten(ended + timedelta(days=55)),
             audiences=["executive", "other_boards", "sub_group_members"],
             next_actions=[{"action_id": "N-1", "action": "Repeat the drift audit",
                            "owner": LEAD.username,
                            "due_on": day(ended + timedelta(days=150))}])
        self._arrangement()
        plan = d.make(bu, "forward-plans", d.ago(200), name="Safeguarding Effectiveness plan")
        for activity, owner, last in (("peer_challenge", LEAD, 300),
                                      ("multi_agency_practice_audits", CHAIR, 250)):
            d.do(bu, "forward-plans", plan, "add-plan-item", d.ago(199), activity=activity,
                 owner=owner.username, last_done_on=day(d.ago(last)))

    def _arrangement(self) -> None:
        d = self.door
        supervisor, practitioner, _ = TEAMS[0]
        a = d.make(supervisor, "arrangements", d.ago(90), supervisor=supervisor.username,
                   supervisee=practitioner.username, agency="Children's social care",
                   contact="direct", frequency="monthly", duration_minutes=90,
                   supervisor_responsibilities="Keep the notes; protect the time",
                   supervisee_responsibilities="Bring the cases that worry me most",
                   changes_notice="A week's notice", agenda_setting="Together, at the start",
                   workload_escalation="The team manager", line_manager=TEAMS[1][0].username,
                   safeguarding_lead=TEAMS[2][0].username, differences_of_opinion="Talk first; "
                   "then the team manager", supervisee_started_on="2019-09-02",
                   review_on=day(d.ago(-270)), nation="ENG")
        d.do(supervisor, "arrangements", a, "sign-arrangement", d.ago(89.9),
             party=supervisor.username)
        d.do(practitioner, "arrangements", a, "sign-arrangement", d.ago(89.8),
             party=practitioner.username)
        for k, days in enumerate((60, 30)):
            d.do(supervisor, "arrangements", a, "record-supervision-session", d.ago(days),
                 session_id=f"S-{k + 1}", next_session_on=day(d.ago(days - 33)), agenda={
                     "attendees": [supervisor.username, practitioner.username],
                     "matters_arising": "None", "successes": "A family stepped down",
                     "frustrations": [], "concerns_to_escalate": [], "trends": "Neglect",
                     "training": "Graded care profile"})


__all__ = ["CREDENTIALS", "PEOPLE", "load_demo"]
