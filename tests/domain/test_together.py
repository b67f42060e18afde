"""Several commands saved as one (`Assured.together`, what `assured import` gives a row): all of
them are recorded, or none; a dry run checks every rule and records nothing. And an account's
address for reminders is one plain address."""

from __future__ import annotations

import pytest

from domain.accounts import Account, CreateAccount, SetAccountEmail
from domain.application import Assured
from domain.errors import RecordNotFound, RuleBroken
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import ApplyToPanel, RecordAssessment, RecordInterview
from tests.refusals import at


def apply(app: Assured) -> Safeguarder:
    return app.apply_to_panel(ApplyToPanel(name="Isla Reid", region="East", by="pa-1",
                                           at=at(0))).record


def notifications(app: Assured) -> int:
    return len(app.recorder.select_notifications(1, 1000))


def test_commands_given_together_are_recorded_in_one_save(memory_app: Assured) -> None:
    with memory_app.together():
        record = apply(memory_app)
        memory_app.record_interview(RecordInterview(record_id=record.id, passed=True,
                                                    by="pa-1", at=at(1)), on=record)
        assert notifications(memory_app) == 0  # held until the block ends
    assert [type(e).__name__ for e in memory_app.stored_events(record.id)] == [
        "Applied", "Interviewed"]


def test_a_refusal_among_commands_given_together_records_none_of_them(
        memory_app: Assured) -> None:
    with pytest.raises(RuleBroken, match="A fact cannot be dated before its record was opened"), \
            memory_app.together():
        record = apply(memory_app)
        memory_app.record_interview(RecordInterview(record_id=record.id, passed=True,
                                                    by="pa-1", at=at(-1)), on=record)
    assert notifications(memory_app) == 0
    with pytest.raises(RecordNotFound):
        memory_app.load(record.id)


def test_a_dry_run_checks_each_rule_and_records_nothing(memory_app: Assured) -> None:
    with memory_app.together(save=False):
        record = apply(memory_app)
        memory_app.record_interview(RecordInterview(record_id=record.id, passed=True,
                                                    by="pa-1", at=at(1)), on=record)
    with pytest.raises(RuleBroken, match="The pre-appointment assessment follows a passed interview"), \
            memory_app.together(save=False):
        record = apply(memory_app)
        memory_app.record_assessment(RecordAssessment(record_id=record.id, passed=True,
                                                      by="pa-1", at=at(1)), on=record)
    assert notifications(memory_app) == 0


@pytest.mark.parametrize("address", ["Pat <pat@example.org>", "pat@example.org, x@example.org",
                                     "pat", "pat@example"])
def test_an_accounts_reminder_address_is_one_plain_address(memory_app: Assured,
                                                            address: str) -> None:
    made = memory_app.create_account(CreateAccount(
        username="pr-1", role="practitioner", password_hash="$argon2id$x", by="pa-1",
        at=at(0)))
    with pytest.raises(RuleBroken, match="one plain address"):
        memory_app.set_account_email(SetAccountEmail(record_id=made.aggregate_id,
                                                     email=address, by="pa-1", at=at(1)))
    assert [type(e).__name__ for e in memory_app.stored_events(Account.create_id("pr-1"))] == [
        "Created"]
