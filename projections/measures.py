"""The scorecard's measures: what each counts, which quarter an item belongs to, its thresholds.

Shaped as Outcomes-Based Accountability (seed 004, 'Outcomes and Impact', after Friedman):
how much did we do, how well did we do it, is anyone better off. Each measure's function
docstring is its definition (it is printed in the report); THRESHOLDS holds every traffic
light's bounds with where each comes from. Each function reads the scorecard's tables
(scorecard.sql) for one span: a quarter, or the part of it up to the report's date.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from psycopg import Connection

from domain.case_values import LegalStatus, child_in_need_discussion_due
from domain.evaluation_values import SMALLEST_COUNT, STATEMENTS, able_to_raise_concerns, shown
from domain.panel_values import mentor_target
from domain.policy import SEED_000, SEED_003, SEED_004, WT_2018, Policy
from domain.safeguarder_values import (
    SAMPLED_REPORTS_REQUIRED_PER_YEAR,
    SESSIONS_REQUIRED_PER_YEAR,
    appointment_year,
    mentoring_due,
    year_starts_on,
)
from domain.scorecard import MEASURE_KEYS

HOW_MUCH, HOW_WELL, BETTER_OFF = ("How much did we do?", "How well did we do it?",
                                  "Is anyone better off?")
QUESTIONS = (HOW_MUCH, HOW_WELL, BETTER_OFF)
NATION = "SCT"  # the Safeguarders Panel's working days (Scotland)
LOCAL = "local default agreed with the partnership (a setting to review yearly)"


class Span(Protocol):
    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


@dataclass(frozen=True)
class Window:
    """The part of a quarter the figures are taken over: all of it, or up to the report date."""

    start: date
    end: date


@dataclass(frozen=True)
class Threshold:
    green: float
    amber: float
    higher_is_better: bool
    source: str

    def light(self, value: float | None) -> str:
        """'green', 'amber', 'red', or 'none' when nothing fell to be counted."""
        if value is None:
            return "none"
        if self.higher_is_better:
            return "green" if value >= self.green else "amber" if value >= self.amber else "red"
        return "green" if value <= self.green else "amber" if value <= self.amber else "red"

    def describe(self, unit: str) -> str:
        sign, unit = ("≥", unit) if self.higher_is_better else ("≤", unit)
        return f"green {sign} {self.green:g}{unit}, amber {sign} {self.amber:g}{unit}, else red"


# Every traffic light's bounds, in one place, with where each comes from.
THRESHOLDS: dict[str, Threshold] = {
    "support_sessions_held": Threshold(
        25, 15, True, f"{SEED_000}: one individual support session a year for every "
        "Safeguarder, i.e. 25 per 100 in a quarter; amber from 15: " + LOCAL),
    "support_on_time": Threshold(
        95, 85, True, f"{SEED_000}, 'Individual and Group Support': a session and two sampled "
        "reports every year for every Safeguarder; tolerance " + LOCAL),
    "reappointment_on_time": Threshold(
        100, 80, True, f"{SEED_000}, 'Records and Re-appointment': every recommendation reaches "
        "Ministers before the term ends; amber from 80%: " + LOCAL),
    "panel_notification_on_time": Threshold(
        100, 90, True, f"{WT_2018}, ch. 4 para 17: every notification within five working days "
        "is statutory, so anything below 100% is not green; amber from 90%: " + LOCAL),
    "rapid_review_on_time": Threshold(
        100, 90, True, f"{WT_2018}, ch. 4 para 20: every rapid review within fifteen working "
        "days is statutory; amber from 90%: " + LOCAL),
    "cin_supervision_in_interval": Threshold(
        95, 85, True, f"{SEED_003}, Aims point 4: every child in need discussed no more than "
        "three months apart; tolerance " + LOCAL),
    "audit_returns_on_time": Threshold(
        90, 75, True, f"{SEED_004}: evidence due by the date set, non-compliance escalated; "
        "bounds " + LOCAL),
    "recommendations_on_time": Threshold(
        85, 70, True, f"{SEED_004}: 'follow up of the impact of recommended actions'; bounds "
        + LOCAL),
    "drift_cases": Threshold(
        10, 20, False, f"{SEED_003}, Aim 3 (drift escalated); lower is better; bounds " + LOCAL),
    "concerns_resolved_at_stage_1": Threshold(
        70, 50, True, f"{SEED_003}, 'Managing Professional Differences': resolve at the lowest "
        "level; bounds " + LOCAL),
    "able_to_raise_concerns": Threshold(
        90, 75, True, f"{SEED_003}, Appendix I (supervision evaluation tool) and 'Assurance "
        "indicators' (staff report of their ability to reflect and raise concerns); bounds "
        + LOCAL),
    "forward_plan_overdue": Threshold(
        0, 1, False, f"{SEED_004}, 'Safeguarding Effectiveness Forward Plan': every activity "
        "done when due, so any overdue is not green; amber for one: " + LOCAL),
    "mentors_accredited": Threshold(
        100, 100, True, f"{SEED_000}, 'Peer Mentoring': at least six mentors in the first "
        "year, twelve in the second; the target met (green) or missed (red)"),
    "first_year_mentoring": Threshold(
        90, 75, True, f"{SEED_000}, 'Peer Mentoring': sessions for every new Safeguarder over "
        "their first year; bounds " + LOCAL),
}


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    value: float | None
    """None when there was nothing to count (no light)."""
    detail: str = ""
    entered_late: int = 0
    """Of the numerator's items on time, those on time only by facts entered after their
    deadline had passed, though dated within it."""
    suppressed: bool = False
    """Too few answered for the figure to be shown (small numbers could identify people)."""


def share(numerator: int, denominator: int, per: int = 100, detail: str = "",
          entered_late: int = 0) -> Figure:
    value = round(per * numerator / denominator, 1) if denominator else None
    return Figure(numerator, denominator, value, detail, entered_late)


def entered_after(recorded_at: datetime | None, due: date) -> bool:
    """Whether a fact was entered once `due` had passed: a due date is met by anything done
    that day, and passes at the next midnight UTC, when the processes act on it (a breach, a
    shortfall; workflows/common.py)."""
    return recorded_at is not None and recorded_at.astimezone(UTC).date() > due


Compute = Callable[[Connection[Any], Span, Policy], Figure]


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    question: str
    lead: str
    unit: str
    compute: Compute

    @property
    def threshold(self) -> Threshold:
        return THRESHOLDS[self.key]

    @property
    def definition(self) -> str:
        return inspect.cleandoc(self.compute.__doc__ or "")


def _one(conn: Connection[Any], query: str, *params: Any) -> tuple[Any, ...]:
    row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]
    assert row is not None
    return tuple(row)


# --- how much did we do? -------------------------------------------------------------------------


def support_sessions_held(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Individual support sessions held in the quarter, per 100 Safeguarders serving at its end.

    Numerator: individual support sessions dated in the quarter. Denominator: Safeguarders
    appointed on or before the quarter's last day who had not left (resigned, been removed or
    not been re-appointed) by then. Value: numerator × 100 / denominator.
    """
    (held,) = _one(conn, "SELECT count(*) FROM scorecard_support WHERE kind = 'session' "
                   "AND held_on BETWEEN %s AND %s", span.start, span.end)
    (serving,) = _one(conn, "SELECT count(*) FROM scorecard_safeguarder WHERE "
                      "first_appointed_on <= %s AND (left_on IS NULL OR left_on > %s)",
                      span.end, span.end)
    return share(held, serving, detail=f"{held} sessions, {serving} serving")


# --- how well did we do it? ----------------------------------------------------------------------


def support_on_time(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Appointment years whose support session and two sampled reports were in by the year's end.

    An item is one appointment year of a Safeguarder (years count from the first appointment,
    across terms); it belongs to the quarter in which the year's last day falls, and counts
    only if the Safeguarder had not left before that day. On time: at least one individual
    support session and two sampled reports recorded for that year, dated on or before its
    last day, whenever they were entered. Entered late: on time only by sessions or reports
    entered after the year had ended; the detail counts the sessions and reports so entered.
    Value: on-time years / years due × 100.
    """
    due: dict[tuple[Any, int], date] = {}
    for sid, first, left, last_end in conn.execute(
            "SELECT s.safeguarder_id, s.first_appointed_on, s.left_on, max(t.ends_on) "
            "FROM scorecard_safeguarder s JOIN scorecard_term t USING (safeguarder_id) "
            "WHERE s.first_appointed_on <= %s GROUP BY 1, 2, 3", (span.end,)):
        year = appointment_year(first, span.start)
        while (ends := year_starts_on(first, year + 1) - timedelta(days=1)) <= span.end:
            if ends >= span.start and year_starts_on(first, year) < last_end and (
                    left is None or left >= ends):
                due[(sid, year)] = ends
            year += 1
    dated: Counter[tuple[Any, int, str]] = Counter()  # dated within the year
    in_time: Counter[tuple[Any, int, str]] = Counter()  # ... and entered by its end
    late_facts = 0
    for sid, year, kind, held, recorded_at in conn.execute(
            "SELECT safeguarder_id, year, kind, held_on, recorded_at FROM scorecard_support "
            "WHERE safeguarder_id = ANY(%s)", ([sid for sid, _ in due],)):
        ends = due.get((sid, year))
        if ends is None or held > ends:
            continue
        dated[(sid, year, kind)] += 1
        if entered_after(recorded_at, ends):
            late_facts += 1
        else:
            in_time[(sid, year, kind)] += 1

    def met(counts: Counter[tuple[Any, int, str]], sid: Any, year: int) -> bool:
        return (counts[(sid, year, "session")] >= SESSIONS_REQUIRED_PER_YEAR
                and counts[(sid, year, "report")] >= SAMPLED_REPORTS_REQUIRED_PER_YEAR)

    on_time = [(sid, year) for sid, year in due if met(dated, sid, year)]
    late = sum(1 for sid, year in on_time if not met(in_time, sid, year))
    detail = (f"{late_facts} session(s) or sampled report(s) entered after their year ended"
              if late_facts else "")
    return share(len(on_time), len(due), detail=detail, entered_late=late)


def reappointment_on_time(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Re-appointment recommendations to Ministers made by their due date.

    An item is one term of a Safeguarder's appointment. Its recommendation falls due three
    months (a policy setting) before the term ends, and the item belongs to the quarter in
    which that due date falls; terms of Safeguarders who left before the due date are left
    out. On time: a recommendation recorded between the day the term's re-appointment review
    may open and the due date, inclusive.
    """
    period = policy.recommendation_due_before_term_end
    terms = []
    for sid, opens, ends, left in conn.execute(
            "SELECT t.safeguarder_id, t.review_opens_on, t.ends_on, s.left_on FROM scorecard_term "
            "t JOIN scorecard_safeguarder s USING (safeguarder_id) WHERE t.ends_on >= %s",
            (span.start,)):
        due = period.before(ends, NATION)
        if span.start <= due <= span.end and (left is None or left >= due):
            terms.append((sid, opens, due))
    made: dict[Any, list[date]] = {}
    for sid, on in conn.execute("SELECT safeguarder_id, recommended_on FROM "
                                "scorecard_recommendation WHERE safeguarder_id = ANY(%s)",
                                ([t[0] for t in terms],)):
        made.setdefault(sid, []).append(on)
    on_time = sum(1 for sid, opens, due in terms
                  if any(opens <= on <= due for on in made.get(sid, [])))
    return share(on_time, len(terms))


def _statutory(conn: Connection[Any], span: Span, step: str) -> Figure:
    total = on_time = late = breaches = withdrawn = 0
    for due, done, recorded_at, breach_on, withdrawn_on in conn.execute(
            "SELECT due_on, done_on, recorded_at, breach_recorded_on, breach_withdrawn_on "
            "FROM scorecard_statutory WHERE step = %s AND due_on BETWEEN %s AND %s",
            (step, span.start, span.end)):
        total += 1
        in_time = done is not None and done <= due
        if in_time:
            on_time += 1
            late += entered_after(recorded_at, due)
        if breach_on is not None and withdrawn_on is not None:
            withdrawn += 1
        elif breach_on is not None or (done is not None and not in_time):
            breaches += 1
    detail = f"{breaches} breach(es) recorded" + (f", {withdrawn} withdrawn" if withdrawn else "")
    return share(on_time, total, detail=detail, entered_late=late)


def panel_notification_on_time(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Serious incidents notified to the national Panel within five working days.

    An item is one serious incident; it belongs to the quarter in which its notification fell
    due (five working days, in its nation, from the day the partnership became aware). On
    time: the Panel notified on or before the due date, whenever the notification was entered.
    A notification made late, or not made, counts against. Entered late: on time, but entered
    after the due date had passed (the breach the process recorded then is withdrawn, and not
    counted among the breaches).
    """
    return _statutory(conn, span, "panel_notification")


def rapid_review_on_time(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Rapid reviews completed within fifteen working days.

    An item is one serious incident; it belongs to the quarter in which its rapid review fell
    due (fifteen working days, in its nation, from the day the partnership became aware). On
    time: the rapid review completed on or before the due date, whenever its completion was
    entered. Entered late: on time, but entered after the due date had passed.
    """
    return _statutory(conn, span, "rapid_review")


def cin_supervision_in_interval(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Children in need discussed in supervision within the interval, at the quarter's end.

    The items are the cases open on the quarter's last day whose legal status that day was
    child in need. Within the interval: the latest supervision discussion held by that day (or
    the case's opening, if there was none) is no more than three months (seed 003; a policy
    setting) before it.
    """
    rows = conn.execute(
        "SELECT c.nation, c.opened_on, (SELECT s.legal_status FROM scorecard_case_status s "
        "WHERE s.case_id = c.case_id AND s.from_on <= %(on)s ORDER BY s.from_on DESC, "
        "s.version DESC LIMIT 1), (SELECT max(d.held_on) FROM scorecard_discussion d WHERE "
        "d.case_id = c.case_id AND d.held_on <= %(on)s) FROM scorecard_case c WHERE "
        "c.opened_on <= %(on)s AND (c.closed_on IS NULL OR c.closed_on > %(on)s)",
        {"on": span.end}).fetchall()
    children = [(nation, last or opened) for nation, opened, status, last in rows
                if status == LegalStatus.CHILD_IN_NEED]
    within = sum(1 for nation, since in children
                 if span.end <= child_in_need_discussion_due(since, policy, nation))
    return share(within, len(children))


def audit_returns_on_time(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Agencies' audit returns submitted by the returns due date.

    An item is one agency's return to an audit, once returns are requested; it belongs to the
    quarter in which the audit's returns due date falls. On time: submitted on or before it.
    """
    total, on_time = _one(
        conn, "SELECT count(*), count(*) FILTER (WHERE r.submitted_on <= a.returns_due) "
        "FROM scorecard_return r JOIN scorecard_audit a USING (audit_id) "
        "WHERE a.returns_due BETWEEN %s AND %s", span.start, span.end)
    return share(on_time, total)


def recommendations_on_time(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Review recommendations completed by their due date.

    An item is one recommendation of a case review; it belongs to the quarter in which its due
    date falls. On time: completed on or before the due date. (Audits' agreed actions have no
    completion on record, so they are listed in the report but not counted here.)
    """
    total, on_time = _one(
        conn, "SELECT count(*), count(*) FILTER (WHERE completed_on <= due_on) FROM "
        "scorecard_review_recommendation WHERE due_on BETWEEN %s AND %s", span.start, span.end)
    return share(on_time, total)


# --- is anyone better off? -----------------------------------------------------------------------


def drift_cases(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Cases flagged for drift in the quarter, as a share of the cases open in it (lower is
    better).

    Denominator: cases opened on or before the quarter's last day and not closed before its
    first day. Numerator: those with a drift flag dated in the quarter (the child's
    circumstances rated worse, not improving across two discussions, or a child in need
    unsupervised past the interval).
    """
    total, drifting = _one(
        conn, "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM scorecard_drift d "
        "WHERE d.case_id = c.case_id AND d.flagged_on BETWEEN %s AND %s)) FROM scorecard_case c "
        "WHERE c.opened_on <= %s AND (c.closed_on IS NULL OR c.closed_on >= %s)",
        span.start, span.end, span.end, span.start)
    return share(drifting, total)


def concerns_resolved_at_stage_1(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Concerns about a child's plan resolved at stage 1, with the supervisor.

    An item is one concern raised on a case; it belongs to the quarter in which it was
    resolved. Numerator: those resolved without escalation (stage 1, the supervisor).
    Denominator: all resolved in the quarter. The detail gives the count at each stage
    (1 supervisor, 2 manager, 3 senior manager or partnership).
    """
    stages = dict(conn.execute("SELECT stage, count(*) FROM scorecard_concern WHERE "
                               "resolved_on BETWEEN %s AND %s GROUP BY stage",
                               (span.start, span.end)).fetchall())
    detail = ", ".join(f"stage {s}: {stages.get(s, 0)}" for s in (1, 2, 3))
    return share(stages.get(1, 0), sum(stages.values()), detail=detail)


def able_to_raise_concerns_share(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Supervisees who feel able to raise concerns about a child (seed 003, Appendix I).

    An item is one supervisee's evaluation of their supervision, answered in the quarter.
    Able: 'yes' to statement 2 ("I am happy to speak to you about cases that concern me") and
    to statement 6 ("I feel you believe me when I tell you I am concerned about a child or
    family"). Only agencies with at least five answers in the quarter are counted, as in the
    counts by agency, so that no one can be identified, even by subtracting one count from
    another; with none, the figure is suppressed (no count, no light).
    """
    names = [name for name, _ in STATEMENTS]
    by_agency: dict[str, list[dict[str, str]]] = {}
    for agency, answers in conn.execute(
            "SELECT agency, answers FROM scorecard_evaluation WHERE answered_on BETWEEN %s AND "
            "%s", (span.start, span.end)):
        by_agency.setdefault(agency, []).append(dict(zip(names, answers.split(","),
                                                         strict=False)))
    counted = [a for sets in by_agency.values() if shown(len(sets)) for a in sets]
    left_out = sum(1 for sets in by_agency.values() if not shown(len(sets)))
    detail = (f"{left_out} agenc{'y' if left_out == 1 else 'ies'} with fewer than "
              f"{SMALLEST_COUNT} answers left out" if left_out else "")
    if not counted:
        return Figure(0, 0, None, f"fewer than {SMALLEST_COUNT} answers from any agency: "
                      "suppressed", suppressed=True)
    return share(sum(able_to_raise_concerns(a) for a in counted), len(counted), detail=detail)


def forward_plan_overdue(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Assurance activities on the forward plan overdue at the quarter's end (lower is better).

    The items are the activities on the plan by the quarter's last day (seed 004: section 11,
    single-agency and schools audits, the LADO report, voice of children and families, SAIT,
    peer challenge, multi-agency practice audits, the audit plan's review). Overdue: a due date
    before that day, and not done by it. Value: the number overdue.
    """
    rows = conn.execute(
        "SELECT plan_id, activity, bool_or(due_on < %(end)s AND (done_on IS NULL OR done_on > "
        "%(end)s)) FROM scorecard_plan_due WHERE set_on <= %(end)s GROUP BY plan_id, activity",
        {"end": span.end}).fetchall()
    overdue = sum(1 for *_, late in rows if late)
    return Figure(overdue, len(rows), float(overdue) if rows else None,
                  f"{overdue} of {len(rows)} activities overdue")


def mentors_accredited(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """Peer mentors trained and accredited, against the programme's target (seed 000: at least
    six in the first year, at least twelve in the second).

    On the quarter's last day: the mentors accredited by then and not withdrawn by then, as a
    share of the target of the programme year that day falls in (years count from the
    programme's start; later years keep the second year's target). Met at 100% (green), missed
    below it (red). Nothing to count before the programme began.
    """
    (starts_on,) = _one(conn, "SELECT min(starts_on) FROM scorecard_programme")
    if starts_on is None or starts_on > span.end:
        return Figure(0, 0, None, "the peer mentoring programme has not begun")
    year = appointment_year(starts_on, span.end)
    (accredited,) = _one(conn, "SELECT count(*) FROM scorecard_mentor WHERE accredited_on <= %s "
                         "AND (withdrawn_on IS NULL OR withdrawn_on > %s)", span.end, span.end)
    target = mentor_target(year)
    met = "met" if accredited >= target else "missed"
    return share(accredited, target, detail=f"programme year {year}: {accredited} accredited "
                 f"of a target of {target} ({met})")


def first_year_mentoring(conn: Connection[Any], span: Span, policy: Policy) -> Figure:
    """New Safeguarders mentored across their first year (seed 000: peer mentoring sessions
    over the first year of their appointment).

    An item is one Safeguarder's first appointment year; it belongs to the quarter in which
    that year's last day falls, unless they left before it. Mentored: a peer mentor assigned
    within the year, and as many mentoring sessions dated within it as fell due (one each
    `mentoring_interval`: four by default).
    """
    items = on_time = 0
    for sid, first, left, assigned in conn.execute(
            "SELECT safeguarder_id, first_appointed_on, left_on, mentor_assigned_on FROM "
            "scorecard_safeguarder WHERE first_appointed_on BETWEEN %s AND %s",
            (year_starts_on(span.start, 0), span.end)):
        ends = year_starts_on(first, 2) - timedelta(days=1)
        if not span.start <= ends <= span.end or (left is not None and left < ends):
            continue
        items += 1
        (held,) = _one(conn, "SELECT count(*) FROM scorecard_mentoring WHERE safeguarder_id = %s "
                       "AND year = 1 AND held_on <= %s", sid, ends)
        if assigned is not None and assigned <= ends and held >= len(mentoring_due(first, policy)):
            on_time += 1
    return share(on_time, items)


MEASURES: list[Measure] = [
    Measure("support_sessions_held", "Individual support sessions held", HOW_MUCH,
            "Safeguarders Panel Team lead", " per 100", support_sessions_held),
    Measure("support_on_time", "Support session and sampled reports on time", HOW_WELL,
            "Safeguarders Panel Team lead", "%", support_on_time),
    Measure("reappointment_on_time", "Re-appointment recommendations on time", HOW_WELL,
            "Safeguarders Panel Team lead", "%", reappointment_on_time),
    Measure("panel_notification_on_time", "Panel notifications within 5 working days",
            HOW_WELL, "Chair, Practice Review sub-group", "%", panel_notification_on_time),
    Measure("rapid_review_on_time", "Rapid reviews within 15 working days", HOW_WELL,
            "Chair, Practice Review sub-group", "%", rapid_review_on_time),
    Measure("cin_supervision_in_interval", "Children in need supervised within 3 months",
            HOW_WELL, "Designated safeguarding leads", "%", cin_supervision_in_interval),
    Measure("audit_returns_on_time", "Audit returns on time", HOW_WELL,
            "Chair, Practice Review sub-group", "%", audit_returns_on_time),
    Measure("recommendations_on_time", "Review recommendations completed on time", HOW_WELL,
            "Business Manager", "%", recommendations_on_time),
    Measure("drift_cases", "Cases flagged for drift", BETTER_OFF,
            "Chair, Safeguarding Effectiveness sub-group", "%", drift_cases),
    Measure("concerns_resolved_at_stage_1", "Concerns resolved with the supervisor (stage 1)",
            BETTER_OFF, "Chair, Safeguarding Effectiveness sub-group", "%",
            concerns_resolved_at_stage_1),
    Measure("able_to_raise_concerns", "Supervisees who feel able to raise concerns about a "
            "child", BETTER_OFF, "Designated safeguarding leads", "%",
            able_to_raise_concerns_share),
    Measure("forward_plan_overdue", "Forward-plan assurance activities overdue", HOW_WELL,
            "Chair, Safeguarding Effectiveness sub-group", " overdue", forward_plan_overdue),
    Measure("mentors_accredited", "Peer mentors accredited against the programme's target",
            HOW_MUCH, "Mentoring Co-ordinator", "% of target", mentors_accredited),
    Measure("first_year_mentoring", "New Safeguarders mentored across their first year",
            HOW_WELL, "Mentoring Co-ordinator", "%", first_year_mentoring),
]

assert [m.key for m in MEASURES] == list(MEASURE_KEYS) == list(THRESHOLDS)
