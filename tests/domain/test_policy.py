"""Every period lives in the policy module with its source."""

from __future__ import annotations

from datetime import date

from domain.policy import DEFAULT_POLICY, Unit, add_months


def test_every_period_names_its_source_document() -> None:
    for name, period in DEFAULT_POLICY.periods().items():
        assert period.amount > 0, name
        assert any(document in period.source for document in (
            "seed", "Working Together", "UK GDPR")), name


def test_retention_periods_name_their_sources() -> None:
    p = DEFAULT_POLICY
    assert (p.safeguarder_retention.amount, p.safeguarder_retention.unit) == (6, Unit.YEARS)
    assert (p.case_retention.amount, p.case_retention.unit) == (25, Unit.YEARS)
    for period in (p.safeguarder_retention, p.case_retention):
        assert "the ICO sets no fixed period" in period.source
    assert "Looked After Children (Scotland) Regulations 2009" in p.case_retention.source
    assert "reg. 11" in p.case_retention.source and "100th" in p.case_retention.source


def test_statutory_defaults() -> None:
    p = DEFAULT_POLICY
    assert (p.panel_notification.amount, p.panel_notification.unit) == (5, Unit.WORKING_DAYS)
    assert (p.rapid_review.amount, p.rapid_review.unit) == (15, Unit.WORKING_DAYS)
    assert (p.safeguarder_term.amount, p.safeguarder_term.unit) == (3, Unit.YEARS)
    assert p.cin_supervision_interval.amount == 3
    assert p.supervision_interval["child_in_need"].amount == 3


def test_months_clamp_to_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), -6) == date(2026, 2, 28)


def test_overrides_keep_the_source() -> None:
    changed = DEFAULT_POLICY.with_overrides(safeguarder_term=5)
    assert changed.safeguarder_term.amount == 5
    assert changed.safeguarder_term.source == DEFAULT_POLICY.safeguarder_term.source
