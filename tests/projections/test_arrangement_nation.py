"""A supervision arrangement's deadlines are counted in its own nation's working days on My
work, as a case's and a review's are: the read table keeps the arrangement's nation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import psycopg

from api.web import wording
from api.web.my_work import _nations
from domain.application import Assured
from domain.arrangement_commands import MakeArrangement
from projections.case_supervision import CaseSupervision
from projections.review_register import ReviewRegister
from projections.runner import Runner
from projections.supervision_arrangement import SupervisionArrangements


def test_my_work_counts_an_arrangements_deadline_in_its_own_nations_working_days(
        app: Assured, database_url: str) -> None:
    made = app.make_arrangement(MakeArrangement(
        supervisor="se-su-ni", supervisee="se-se-ni", agency="Health visiting",
        contact="direct", frequency="monthly", duration_minutes=60,
        supervisor_responsibilities="Keep notes", supervisee_responsibilities="Bring cases",
        changes_notice="A week", agenda_setting="At the start", workload_escalation="Manager",
        differences_of_opinion="In the session", line_manager="se-lm-ni",
        safeguarding_lead="se-dsl-ni", supervisee_started_on=date(2024, 9, 2),
        review_on=date(2027, 3, 31), nation="NIR", by="se-su-ni",
        at=datetime(2026, 3, 2, 10, tzinfo=UTC)))
    models = [CaseSupervision(), ReviewRegister(), SupervisionArrangements()]
    runner = Runner(app, models)
    for model in models:
        runner.catch_up(model)
    with psycopg.connect(database_url, autocommit=True) as conn:
        nation = _nations(conn, [made.aggregate_id]).get(made.aggregate_id)
    assert nation == "NIR"
    # 17 March is a bank holiday in Northern Ireland only: a matter due on the 18th, seen on
    # the 16th, is one working day away there and two in Scotland, the panel's default.
    today, due_on = date(2026, 3, 16), date(2026, 3, 18)
    assert wording.due(due_on, today, nation).startswith("due in 1 working day")
    assert wording.due(due_on, today, "SCT").startswith("due in 2 working days")
