"""Stored histories of every workflow replay against today's code, and keep people's words
encrypted.

A non-deterministic change to a workflow fails here. Record new histories with
`rm tests/workflows/histories/*.json; ASSURED_RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows`
and commit them; the replays are collected from the files there before a run, so run the tests
once more to replay what was just recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.workflows.conftest import CONVERTER
from workflows.worker import WORKFLOWS

HISTORY_DIR = Path(__file__).parent / "histories"
HISTORIES = sorted(HISTORY_DIR.glob("*.json"))

# Words typed by people in the scenarios, each sent in an update (or an input) of the named
# stored history.
TYPED = {
    "AppointmentWorkflow-concern-then-resignation": "late to hearings",  # a concern's summary
    "AppointmentWorkflow-shortfall-withdrawn-by-a-late-entry": "reflective discussion",  # notes
    "SupervisionCadenceWorkflow-discussion-rated-worse": "plan kept",  # a discussion's notes
    "AuditCycleWorkflow-non-compliant-agency-escalated": "grades agreed at moderation",
    "YearlyAuditWorkflow-plans-and-starts-a-cycle": "supervision and management oversight",
    "RapidReviewWorkflow-breached-then-lcspr": "the referral reached us after the holiday",
    "RapidReviewWorkflow-breach-withdrawn-by-a-late-entry": "the chronologies came late",
    "EscalationWorkflow-resolved-at-stage-2": "manager agreed a new plan",  # an outcome
    "AssuranceCycleWorkflow-late-lead-chased-then-published": "Police evidence missing",
    "AssuranceCycleWorkflow-steps-raced-by-people": "some of it late",  # a discussion's summary
    "EscalationWorkflow-disagreement-escalated-by-hand":  # a reason for escalating
        "the manager could not agree the plan with the school",
}


def test_every_workflow_has_a_stored_history() -> None:
    stored = {path.stem.split("-")[0] for path in HISTORY_DIR.glob("*.json")}
    expected = {w.__name__ for w in WORKFLOWS}
    assert expected <= stored, f"no stored history for {expected - stored}"


@pytest.mark.parametrize("path", HISTORIES, ids=lambda p: p.stem)
async def test_stored_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=WORKFLOWS, data_converter=CONVERTER)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None


def payloads(node: Any) -> Iterator[Payload]:
    """Every payload in a history's JSON, wherever it sits (inputs, update arguments...)."""
    if isinstance(node, dict):
        if "metadata" in node and "data" in node:
            yield json_format.ParseDict(node, Payload())
        for value in node.values():
            yield from payloads(value)
    elif isinstance(node, list):
        for value in node:
            yield from payloads(value)


@pytest.mark.parametrize(("name", "typed"), TYPED.items(), ids=list(TYPED))
async def test_words_people_typed_are_stored_encrypted(name: str, typed: str) -> None:
    text = (HISTORY_DIR / f"{name}.json").read_text()
    stored = list(payloads(json.loads(text)))
    assert typed not in text
    assert not [p for p in stored if typed.encode() in p.data], "stored in plain text"
    decrypted = await CONVERTER.payload_codec.decode(stored)  # type: ignore[union-attr]
    assert [p for p in decrypted if typed.encode() in p.data], "not in this history at all"
