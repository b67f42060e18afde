"""The drift list and the case's own drift flag are one definition: on any set of cases, the
cases the list shows on a day are exactly those whose `is_drifting` holds that day."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import Assured
from domain.case import Case
from domain.case_commands import ChangeLegalStatus, CloseCase, OpenCase, RecordDiscussion
from domain.case_values import LegalStatus, Rag
from projections.case_supervision import CaseSupervision, drift_list
from projections.runner import Runner
from tests.commands import Commands
from tests.refusals import at

cmd = Commands(by="dsl-1")

discussions = st.lists(st.tuples(st.integers(1, 40), st.sampled_from(list(Rag))), max_size=5)
one_case = st.fixed_dictionaries({
    "status": st.sampled_from(list(LegalStatus)),
    "changed_to": st.none() | st.sampled_from(list(LegalStatus)),
    "discussions": discussions,
    "closed_after": st.none() | st.integers(1, 300),
})


def build(spec: dict[str, Any], n: int) -> Case:
    case = Case.open(OpenCase(child_reference=f"CH-DRIFT-{n:04d}", agency="school",
                              practitioner="teacher-1", supervisor="dsl-1",
                              legal_status=spec["status"], risk="medium", nation="ENG",
                              by="dsl-1", at=at(0)))
    held = 0
    for k, (gap, rag) in enumerate(spec["discussions"]):
        held += gap
        case.record_discussion(cmd(
            RecordDiscussion, case, discussion_id=f"d{k}", supervisor="dsl-1",
            supervisee="teacher-1", needs="n", risks="r", engagement="e",
            capacity_for_change="c", plan="p", rag=rag, actions=[],
            next_discussion_on=at(held + 20).date(), at=at(held)))
    if spec["changed_to"] not in (None, case.legal_status):
        case.change_legal_status(cmd(ChangeLegalStatus, case, new_status=spec["changed_to"],
                                     at=at(held + 1)))
    if spec["closed_after"] is not None:
        case.close(cmd(CloseCase, case, reason="closed", at=at(held + spec["closed_after"])))
    return case


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(one_case, min_size=1, max_size=6), on_day=st.integers(0, 400))
def test_the_drift_list_shows_exactly_the_cases_whose_own_flag_says_they_drift(
    app: Assured, database_url: str, specs: list[dict[str, Any]], on_day: int,
) -> None:
    cases = [build(spec, n) for n, spec in enumerate(specs)]
    for case in cases:
        app.record(case)
    Runner(app, [CaseSupervision()]).catch_up(CaseSupervision())
    on: date = at(on_day).date()
    mine = {case.id for case in cases}
    with psycopg.connect(database_url, autocommit=True) as conn:
        listed = {d.case_id: d.reasons for d in drift_list(conn, on) if d.case_id in mine}
    expected = {case.id: case.drift_reasons(on) for case in cases if case.is_drifting(on)}
    assert listed == expected
