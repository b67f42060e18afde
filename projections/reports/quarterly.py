"""The quarterly 'how are we doing' assurance report (seed 004), from the read tables.

Seed 004: "A quarterly 'how are we doing – assurance report' will be produced by the Safeguarding
Effectiveness Group ... to draw together analysis of available evidence and recommendations",
with "a scorecard of key performance indicators with commentary from relevant leads".

`build(conn, quarter, cipher)` reads the scorecard and the register of reviews and audits
(both read models must be caught up first); `as_html`, `as_pdf` and `scorecard_csv` render it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from eventsourcing.persistence import Cipher
from psycopg import Connection

from domain.policy import DEFAULT_POLICY, Policy
from projections.assurance_cycle import CycleReport, cycle_of_quarter
from projections.measures import QUESTIONS, Figure
from projections.quarters import Quarter
from projections.register_queries import Action, RegisterEntry, actions_due, register_entries
from projections.scorecard import QuarterlyScorecard, ScoredMeasure, scorecard

READ_MODELS = ("scorecard", "review_register", "assurance_cycle")
"""The projections the report reads: catch these up before building it."""


@dataclass(frozen=True)
class EvidenceSource:
    source: str
    """The seed's name for the kind of evidence ('Our Evidence Base')."""
    summary: str
    read_model: str


@dataclass
class QuarterlyReport:
    quarter: Quarter
    as_of: date
    produced_at: datetime
    card: QuarterlyScorecard
    register: list[RegisterEntry]
    actions: list[Action]
    good_outcomes: list[RegisterEntry]
    evidence: list[EvidenceSource] = field(default_factory=list)
    meeting: date | None = None
    evidence_due: date | None = None
    cycle: CycleReport | None = None
    """The quarter's assurance cycle (seed 004's five steps): the report is its product, and
    records its dates and decisions."""

    @property
    def lights(self) -> Counter[str]:
        return Counter(m.light for m in self.card.measures)

    def by_question(self) -> list[tuple[str, list[ScoredMeasure]]]:
        return [(q, [m for m in self.card.measures if m.measure.question == q])
                for q in QUESTIONS]

    @property
    def key_learning(self) -> list[tuple[str, str, str]]:
        """(reference, kind, text) of the learning recorded in the quarter by its reviews and
        audits: findings, learning points, strengths and areas for development."""
        return [(e.reference, item.kind, item.text) for e in self.register for item in e.learning
                if item.kind != "Panel response"
                and self.quarter.start <= item.on <= self.as_of]


def build(conn: Connection[Any], quarter: Quarter, cipher: Cipher,
          policy: Policy = DEFAULT_POLICY, as_of: date | None = None,
          meeting: date | None = None, produced_at: datetime | None = None) -> QuarterlyReport:
    """The report for `quarter`, as the read tables stand (figures up to `as_of`, by default
    the quarter's end). Actions listed are those open and due by the end of the next quarter.
    The quarter's assurance cycle, when one was planned, gives the meeting and its evidence due
    date, and the dates and decisions the report records."""
    as_of = min(as_of or quarter.end, quarter.end)
    card = scorecard(conn, quarter, cipher, policy, as_of=as_of)
    register = register_entries(conn, cipher, quarter.start, quarter.end, on=as_of)
    cycle = cycle_of_quarter(conn, str(quarter), cipher)
    meeting = meeting or (cycle.sub_group_meets_on if cycle else None)
    due = (cycle.evidence_due if cycle and meeting == cycle.sub_group_meets_on
           else policy.evidence_due_before_meeting.before(meeting) if meeting else None)
    report = QuarterlyReport(
        quarter, as_of, produced_at or datetime.now().astimezone(), card, register,
        actions_due(conn, cipher, by=quarter.next().end, on=as_of),
        [e for e in register if e.good_outcome], meeting=meeting, evidence_due=due, cycle=cycle)
    report.evidence = evidence_list(conn, quarter, as_of, report)
    return report


def evidence_list(conn: Connection[Any], quarter: Quarter, as_of: date,
                  report: QuarterlyReport) -> list[EvidenceSource]:
    """What evidence the report draws on this quarter, by seed 004's sources."""
    span = (quarter.start, as_of)
    feedback = dict(conn.execute("SELECT source, count(*) FROM scorecard_feedback WHERE "
                                 "received_on BETWEEN %s AND %s GROUP BY source ORDER BY source",
                                 span).fetchall())
    rag = dict(conn.execute("SELECT rag, count(*) FROM scorecard_discussion WHERE held_on "
                            "BETWEEN %s AND %s GROUP BY rag", span).fetchall())
    support = dict(conn.execute("SELECT kind, count(*) FROM scorecard_support WHERE held_on "
                                "BETWEEN %s AND %s GROUP BY kind", span).fetchall())
    reviews = [e for e in report.register if e.kind == "review"]
    audits = [e for e in report.register if e.kind == "audit"]
    referred = sum(1 for e in reviews if quarter.start <= e.opened_on <= as_of)
    closed = sum(1 for e in report.register if e.closed_on and e.closed_on <= as_of)
    voices = ", ".join(f"{n} from {source}" for source, n in feedback.items()) or "none received"
    lights = report.lights
    return [
        EvidenceSource("Data and performance information",
                       f"Scorecard of {len(report.card.measures)} measures: {lights['green']} "
                       f"green, {lights['amber']} amber, {lights['red']} red, "
                       f"{lights['none']} with nothing to count; four quarters of trend",
                       "scorecard"),
        EvidenceSource("Case reviews", f"{len(reviews)} review(s) open in the quarter, {referred} "
                       f"referred in it; {len(report.good_outcomes)} Good Outcome Review(s)",
                       "review_register"),
        EvidenceSource("Audits", f"{len(audits)} audit(s) open in the quarter; "
                       f"{sum(len(a.deadlines) for a in audits)} agency returns requested",
                       "review_register"),
        EvidenceSource("Follow-up of recommended actions",
                       f"{closed} review(s) and audit(s) closed; {len(report.actions)} "
                       f"action(s) open and due by {quarter.next().end:%d %b %Y}",
                       "review_register"),
        EvidenceSource("Voices of children, young people and families",
                       f"Feedback on Safeguarders: {voices}", "scorecard"),
        EvidenceSource("Professional expertise: supervision",
                       f"{sum(rag.values())} supervision discussion(s) (G {rag.get('G', 0)}, "
                       f"A {rag.get('A', 0)}, R {rag.get('R', 0)})", "scorecard"),
        EvidenceSource("Safeguarders' support and monitoring",
                       f"{support.get('session', 0)} individual support sessions, "
                       f"{support.get('report', 0)} sampled reports discussed", "scorecard"),
    ]


# --- rendering ---------------------------------------------------------------------------------


def as_html(report: QuarterlyReport) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup

    from projections.reports.charts import trend_svg_described

    templates = Environment(loader=PackageLoader("projections", "reports/templates"),
                            autoescape=select_autoescape(), trim_blocks=True, lstrip_blocks=True)
    charts = {m.measure.key: Markup(trend_svg_described(m)) for m in report.card.measures}
    return templates.get_template("quarterly.html").render(report=report, charts=charts,
                                                           value=display, counted=counted)


def as_pdf(report: QuarterlyReport) -> bytes:
    from projections.reports.fetching import render_pdf

    # PDF/UA: tagged for screen readers, with its title, language and each chart's text.
    return render_pdf(as_html(report), variant="pdf/ua-1")


def display(scored: ScoredMeasure | Any, figure: Any = None) -> str:
    """A figure as the report shows it: '60%', '27.5 per 100', or 'n/a'."""
    figure = figure or scored.figure
    if figure.value is None:
        return "n/a"
    return f"{figure.value:g}{scored.measure.unit}"


def counted(figure: Figure) -> str:
    """What a figure counts: '1 of 3', or '3 of 3 on time (1 entered late)' when items on time
    were entered after their deadline had passed."""
    if figure.suppressed:
        return "suppressed"
    counts = f"{figure.numerator} of {figure.denominator}"
    if figure.entered_late:
        counts += f" on time ({figure.entered_late} entered late)"
    return counts


CSV_COLUMNS = ("quarter", "question", "measure", "title", "numerator", "denominator", "value",
               "unit", "light", "green", "amber", "higher_is_better", "trend", "lead",
               "narrative", "narrative_by", "detail", "entered_late")


# A cell a spreadsheet would run as a formula starts with one of these (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made text: a leading apostrophe
    (the spreadsheet's own "this is text" mark). Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def scorecard_csv(report: QuarterlyReport) -> str:
    """One row per measure: the quarter's figure, its light and thresholds, the trend (oldest
    first, 'quarter=value;…'), the lead and the narrative, and how many items counted on time
    were entered late. No cell is a formula (`as_text_cell`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in report.card.measures:
        t = m.measure.threshold
        trend = ";".join(f"{p.quarter}={'' if p.figure.value is None else p.figure.value:}"
                         for p in m.trend)
        row = [report.quarter, m.measure.question, m.measure.key, m.measure.title,
               m.figure.numerator, m.figure.denominator,
               "" if m.figure.value is None else m.figure.value,
               m.measure.unit.strip(), m.light, t.green, t.amber, t.higher_is_better,
               trend, m.measure.lead, m.narrative or "", m.narrative_by or "",
               m.figure.detail, m.figure.entered_late]
        writer.writerow([as_text_cell(cell) for cell in row])
    return out.getvalue()
