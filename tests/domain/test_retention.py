"""When a data subject's record has been kept long enough (domain/retention.py)."""

from __future__ import annotations

from datetime import date

from domain.application import Assured
from domain.case_commands import CloseCase, OpenCase
from domain.policy import DEFAULT_POLICY
from domain.safeguarder_commands import ApplyToPanel, Resign
from domain.subject_commands import PlaceLegalHold
from domain.retention import kept_until, past_retention
from tests.refusals import at


def test_a_safeguarder_is_kept_six_years_after_leaving_and_never_while_serving_or_held(
        memory_app: Assured) -> None:
    record = memory_app.apply_to_panel(ApplyToPanel(name="Ari", region="East", by="pa-1",
                                                    at=at(0))).record
    assert kept_until(record, at(0), DEFAULT_POLICY) is None  # still on the panel
    record.resign(Resign(record_id=record.id, reason="moving", by="pa-1", at=at(10)))
    assert kept_until(record, at(10), DEFAULT_POLICY) == date(2032, 1, 15)
    assert not past_retention(record, at(10), DEFAULT_POLICY, date(2032, 1, 15))
    assert past_retention(record, at(10), DEFAULT_POLICY, date(2032, 1, 16))
    shorter = DEFAULT_POLICY.with_overrides(safeguarder_retention=2)
    assert kept_until(record, at(10), shorter) == date(2028, 1, 15)
    record.place_legal_hold(PlaceLegalHold(record_id=record.id, grounds="Inquiry", by="dpo-1",
                                           at=at(11)))
    assert kept_until(record, at(10), DEFAULT_POLICY) is None


def test_a_closed_case_is_kept_25_years_and_a_scottish_looked_after_case_to_the_100th_birthday(
        memory_app: Assured) -> None:
    made = iter(range(1, 10))

    def closed(nation: str, status: str) -> object:
        case = memory_app.open_case(OpenCase(
            child_reference=f"C-{nation}-{next(made):04d}", agency="Children's social care",
            practitioner="pr-1", supervisor="su-1", legal_status=status, risk="low",
            nation=nation, by="pr-1", at=at(0))).record
        case.close(CloseCase(record_id=case.id, reason="Stepped down", by="su-1", at=at(5)))
        return case

    assert kept_until(closed("ENG", "looked_after"), at(5), DEFAULT_POLICY) == date(2051, 1, 10)
    assert kept_until(closed("SCT", "child_in_need"), at(5), DEFAULT_POLICY) == date(2051, 1, 10)
    assert kept_until(closed("SCT", "looked_after"), at(5), DEFAULT_POLICY) is None
