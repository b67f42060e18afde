"""Stored histories of every workflow replay against today's code.

A non-deterministic change to a workflow fails here. Record new histories with
`ASSURED_RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows` and commit them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from tests.workflows.conftest import CONVERTER
from workflows.worker import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_every_workflow_has_a_stored_history() -> None:
    stored = {path.stem.split("-")[0] for path in HISTORIES}
    expected = {w.__name__ for w in WORKFLOWS}
    assert expected <= stored, f"no stored history for {expected - stored}"


@pytest.mark.parametrize("path", HISTORIES, ids=lambda p: p.stem)
async def test_stored_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=WORKFLOWS, data_converter=CONVERTER)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
    assert result.replay_failure is None
