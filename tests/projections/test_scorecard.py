"""The quarterly scorecard for the fixture quarter 2026Q3 (1 Jul - 30 Sep), counted by hand.

The records are in quarter_fixture.py; each expected figure below is reasoned from them.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import psycopg
import pytest

from domain.application import Assured
from domain.errors import RuleBroken
from domain.scorecard import MEASURE_KEYS, ScorecardNarrative, WriteNarrative
from projections.measures import MEASURES, QUESTIONS, THRESHOLDS
from projections.quarters import Quarter
from projections.reports import quarterly
from projections.runner import Runner
from projections.scorecard import QuarterlyScorecard, Scorecard, scorecard
from tests.projections.quarter_fixture import (
    LEAD,
    on,
    record_fixture_year,
    record_late_entries,
)

Q3 = Quarter(2026, 3)


@pytest.fixture
def card(app: Assured, database_url: str) -> QuarterlyScorecard:
    record_fixture_year(app)
    Runner(app, [Scorecard()]).catch_up(Scorecard())
    with psycopg.connect(database_url, autocommit=True) as conn:
        return scorecard(conn, Q3, app.mapper.cipher)


def figures(card: QuarterlyScorecard) -> dict[str, tuple[int, int, float | None, str]]:
    return {m.measure.key: (m.figure.numerator, m.figure.denominator, m.figure.value, m.light)
            for m in card.measures}


def test_the_fixture_quarter_scores_as_counted_by_hand(card: QuarterlyScorecard) -> None:
    assert figures(card) == {
        # Sessions dated in Q3: Sam One 10 Jul, Sam Two 15 Sep, Sam Three 20 Sep = 3.
        # Serving on 30 Sep: One, Two, Three (appointed 1 Aug), Five, Six = 5 (Four resigned
        # 1 Aug). 3 x 100 / 5 = 60 per 100: green (>= 25).
        "support_sessions_held": (3, 5, 60.0, "green"),
        # Years ending in Q3: Sam One's year 1 (ends 14 Jul: a session and two reports by 11
        # Jul, on time) and Sam Two's year 1 (ends 31 Aug: one report only, late). Sam Four's
        # year 1 ends 9 Aug, after she left on 1 Aug: not counted. 1 of 2 = 50%: red (< 85).
        "support_on_time": (1, 2, 50.0, "red"),
        # Recommendations due in Q3 (three months before the term ends): Sam Five's (term ends
        # 1 Nov, due 1 Aug; made 20 Jul: on time) and Sam Six's (ends 20 Dec, due 20 Sep; made
        # 5 Oct: late). 1 of 2 = 50%: red (< 80).
        "reappointment_on_time": (1, 2, 50.0, "red"),
        # Notifications due in Q3 (5 working days from awareness): RV0 (due 3 Jul, never made,
        # breach recorded), RV1 (due 8 Jul, made 6 Jul), RV2 (due 27 Aug, made 1 Sep). RV3's is
        # due 2 Oct (Q4). 1 of 3 = 33.3%: red.
        "panel_notification_on_time": (1, 3, 33.3, "red"),
        # Rapid reviews due in Q3 (15 working days): RV0 (due 17 Jul, done 24 Jul: late), RV1
        # (due 22 Jul, done 20 Jul), RV2 (due 11 Sep, the 31 Aug bank holiday skipped; done 10
        # Sep). 2 of 3 = 66.7%: red (< 90).
        "rapid_review_on_time": (2, 3, 66.7, "red"),
        # Children in need on 30 Sep: CH-201 (discussed 15 Jul: within), CH-202 (last 10 Mar,
        # due 10 Jun: not), CH-203 (child in need since 1 Aug, last discussed 5 Jun, due 5 Sep:
        # not), CH-206 (opened 20 Jul, none yet, due 20 Oct: within). CH-204 closed 1 Sep;
        # CH-205 is child protection. 2 of 4 = 50%: red.
        "cin_supervision_in_interval": (2, 4, 50.0, "red"),
        # Returns due in Q3: AU1's three (due 15 Aug): school 10 Aug on time, health 20 Aug
        # late, police never (escalated). AU2's are due 10 Oct (Q4). 1 of 3 = 33.3%: red.
        "audit_returns_on_time": (1, 3, 33.3, "red"),
        # Recommendations due in Q3: rec-a (31 Aug, done 25 Aug), rec-b (30 Sep, done 2 Oct),
        # rec-c (15 Sep, open). rec-d is due 30 Nov. 1 of 3 = 33.3%: red.
        "recommendations_on_time": (1, 3, 33.3, "red"),
        # Cases open at some time in Q3: all six (CH-204 closed 1 Sep, inside the quarter).
        # Flagged for drift in Q3: CH-202 (5 Jul) and CH-203 (10 Sep). 2 of 6 = 33.3%: red
        # (lower is better: green <= 10, amber <= 20).
        "drift_cases": (2, 6, 33.3, "red"),
        # Concerns resolved in Q3: k1 (10 Jul, stage 1), k2 (1 Aug, stage 2), k3 (1 Jul, stage
        # 1), k5 (30 Sep, stage 3). k4 was resolved 30 Jun (Q2). 2 of 4 = 50%: amber (>= 50).
        "concerns_resolved_at_stage_1": (2, 4, 50.0, "amber"),
        # No supervision evaluations in the fixture: suppressed, no light.
        "able_to_raise_concerns": (0, 0, None, "none"),
        # No forward plan in the fixture: nothing to count.
        "forward_plan_overdue": (0, 0, None, "none"),
        # No peer mentoring programme launched: nothing to count.
        "mentors_accredited": (0, 0, None, "none"),
        # First years ending in Q3: Sam One's (to 14 Jul) and Sam Two's (to 31 Aug); Sam Four
        # resigned within hers. Neither had a mentor: 0 of 2, red.
        "first_year_mentoring": (0, 2, 0.0, "red"),
    }
    by_key = card.by_key()
    assert by_key["concerns_resolved_at_stage_1"].figure.detail == (
        "stage 1: 2, stage 2: 1, stage 3: 1")
    assert by_key["panel_notification_on_time"].figure.detail == "2 breach(es) recorded"


def test_each_measure_shows_its_last_four_quarters(card: QuarterlyScorecard) -> None:
    cin = card.by_key()["cin_supervision_in_interval"]
    # 31 Dec 2025: no cases yet. 31 Mar: CH-202 (discussed 10 Mar) and CH-204 (opened 10 Jan,
    # due 10 Apr) both within: 100%. 30 Jun: CH-201 (opened 1 May, within), CH-202 (due 10 Jun,
    # not), CH-204 (due 10 Apr, not): 1 of 3; CH-203 was child protection. 30 Sep: 2 of 4.
    assert [(str(p.quarter), p.figure.value, p.light) for p in cin.trend] == [
        ("2025Q4", None, "none"), ("2026Q1", 100.0, "green"), ("2026Q2", 33.3, "red"),
        ("2026Q3", 50.0, "red")]
    concerns = card.by_key()["concerns_resolved_at_stage_1"]
    # Q2: k4 resolved 30 Jun at stage 1: 1 of 1.
    assert [p.figure.value for p in concerns.trend] == [None, None, 100.0, 50.0]


def test_a_quarter_in_progress_counts_only_what_has_fallen_due(
    app: Assured, database_url: str
) -> None:
    record_fixture_year(app)
    Runner(app, [Scorecard()]).catch_up(Scorecard())
    with psycopg.connect(database_url, autocommit=True) as conn:
        early = scorecard(conn, Q3, app.mapper.cipher, as_of=date(2026, 7, 31))
    # By 31 Jul only RV0's (3 Jul) and RV1's (8 Jul) notifications had fallen due.
    assert figures(early)["panel_notification_on_time"] == (1, 2, 50.0, "red")


def test_the_leads_narrative_is_shown_with_its_measure_and_can_be_revised(
    app: Assured, database_url: str, card: QuarterlyScorecard
) -> None:
    narrated = card.by_key()["support_on_time"]
    assert narrated.narrative == "Two reports were sampled late; booked for October."
    assert narrated.narrative_by == LEAD
    assert card.by_key()["drift_cases"].narrative is None

    app.write_narrative(WriteNarrative(quarter="2026Q3", measure="support_on_time",
                                       text="All now sampled.", by="deputy-lead",
                                       at=on(date(2026, 10, 9))))
    Runner(app, [Scorecard()]).catch_up(Scorecard())
    with psycopg.connect(database_url, autocommit=True) as conn:
        revised = scorecard(conn, Q3, app.mapper.cipher).by_key()["support_on_time"]
    assert (revised.narrative, revised.narrative_by) == ("All now sampled.", "deputy-lead")
    versions = app.load(ScorecardNarrative.create_id("2026Q3", "support_on_time"))
    assert versions.version == 2


def test_a_narrative_names_a_quarter_and_a_measure_of_the_scorecard() -> None:
    with pytest.raises(RuleBroken, match="measure of the scorecard"):
        ScorecardNarrative.write(WriteNarrative(quarter="2026Q3", measure="happiness",
                                                text="x", by=LEAD, at=on(date(2026, 10, 1))))
    with pytest.raises(RuleBroken, match="2026Q3"):
        ScorecardNarrative.write(WriteNarrative(quarter="Q3 2026", measure="drift_cases",
                                                text="x", by=LEAD, at=on(date(2026, 10, 1))))


def test_every_measure_is_defined_with_a_threshold_and_its_source() -> None:
    assert [m.key for m in MEASURES] == list(MEASURE_KEYS)
    for measure in MEASURES:
        assert "quarter" in measure.definition, measure.key
        assert measure.question in QUESTIONS
        assert THRESHOLDS[measure.key].source, measure.key
    assert {m.question for m in MEASURES} == set(QUESTIONS)




def test_a_fact_dated_in_time_and_entered_late_counts_on_time_and_as_entered_late(
    app: Assured, database_url: str
) -> None:
    record_late_entries(app)
    runner = Runner(app)
    for name in quarterly.READ_MODELS:
        runner.catch_up(runner.projection(name))
    with psycopg.connect(database_url, autocommit=True) as conn:
        card = scorecard(conn, Q3, app.mapper.cipher)
        report = quarterly.build(conn, Q3, app.mapper.cipher)
    late = card.by_key()
    # LN2 notified on 3 Jul and entered that day; LN1 notified on 6 Jul, within its deadline
    # (8 Jul), but entered on 14 Jul, after the process had recorded the breach on 9 Jul and
    # before it withdrew it. Both on time; one entered late; the withdrawn breach stands no more.
    notification = late["panel_notification_on_time"].figure
    assert (notification.numerator, notification.denominator, notification.value) == (
        2, 2, 100.0)
    assert notification.entered_late == 1
    assert notification.detail == "0 breach(es) recorded, 1 withdrawn"
    assert late["panel_notification_on_time"].light == "green"
    # Pat's year 1 (ends 19 Jul) was met by facts entered as they happened; Kim's (ends 2 Aug)
    # by a session and two reports dated 10 Jun and entered on 20 Aug: both on time, one late.
    support = late["support_on_time"].figure
    assert (support.numerator, support.denominator, support.value) == (2, 2, 100.0)
    assert support.entered_late == 1
    assert support.detail == "3 session(s) or sampled report(s) entered after their year ended"
    # Nothing else was entered late: a figure without late entries says so by a zero.
    assert late["rapid_review_on_time"].figure.entered_late == 0
    html = quarterly.as_html(report)
    assert html.count("2 of 2 on time (1 entered late)") == 2
    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(quarterly.scorecard_csv(report)))}
    assert rows["support_on_time"]["entered_late"] == "1"
    assert rows["rapid_review_on_time"]["entered_late"] == "0"


def test_the_same_facts_entered_in_time_are_not_counted_as_entered_late(
    app: Assured, database_url: str
) -> None:
    """The fixture year enters every fact the moment it happened: nothing is entered late."""
    record_fixture_year(app)
    Runner(app, [Scorecard()]).catch_up(Scorecard())
    with psycopg.connect(database_url, autocommit=True) as conn:
        card = scorecard(conn, Q3, app.mapper.cipher)
    assert {m.measure.key: m.figure.entered_late for m in card.measures} == dict.fromkeys(
        MEASURE_KEYS, 0)
