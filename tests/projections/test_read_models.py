"""Every new read model, followed page by page over several rounds, equals a rebuild from zero."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from projections.caseload import SupportCaseload
from projections.evidence_pack import ReappointmentEvidence
from projections.review_register import ReviewRegister
from projections.runner import Runner
from projections.safeguarder_file import SafeguarderFile
from projections.scorecard import Scorecard
from tests.projections.conftest import read_tables
from tests.projections.stories import World

READ_MODELS = (SupportCaseload, ReappointmentEvidence, ReviewRegister, Scorecard, SafeguarderFile)


@pytest.mark.parametrize("kind", READ_MODELS, ids=lambda k: k.name)
def test_following_in_rounds_builds_the_same_tables_as_a_rebuild_from_zero(
    kind: Any, world: World, runner: Runner, conn: psycopg.Connection[Any]
) -> None:
    runner.catch_up(kind())  # built on the empty log, then kept up to date in small pages
    for _ in range(4):
        world.next_round()
        runner.catch_up(kind())
    followed = read_tables(conn, kind.name)
    assert all(followed.values()), [t for t, rows in followed.items() if not rows]
    assert Runner(world.app, [kind()], page_size=1000).rebuild(kind.name) > 0
    assert read_tables(conn, kind.name) == followed
