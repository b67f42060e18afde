"""Free text and personal details sit in the read tables sealed, never in plaintext."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg

from domain.application import Assured
from domain.panel import PanelRegion
from domain.panel_commands import AddSupportManager, EstablishRegion
from domain.review import Review
from domain.review_commands import AddRecommendation, Refer, UpdateRecommendation
from domain.safeguarder import Safeguarder
from domain.safeguarder_commands import (
    Allocate,
    ApplyToPanel,
    Appoint,
    RaiseSafeguarderConcern,
    RecordAssessment,
    RecordFeedback,
    RecordInterview,
    RecordPerformanceEvidence,
    ResolveSafeguarderConcern,
)
from domain.scorecard import WriteNarrative
from projections.runner import Runner
from projections.sealing import FieldCipher, unseal
from tests.commands import Commands
from tests.integration.test_store import database_files_contain
from tests.projections.conftest import read_tables
from tests.refusals import at

cmd = Commands(by="lead")


def test_a_canary_in_free_text_never_reaches_the_database_files_in_plaintext(
    app: Assured, postgres: tuple[str, Path], database_url: str
) -> None:
    canary = f"Canary-{uuid4().hex}"
    control = f"sm-{uuid4().hex[:12]}"  # a username: read tables keep it plain
    region = PanelRegion.establish(EstablishRegion(region="East", by="lead", at=at(0)))
    region.add_support_manager(cmd(AddSupportManager, region, manager=control, at=at(0)))
    app.record(region)
    s = Safeguarder.apply_to_panel(ApplyToPanel(
        name=f"{canary} name", contact={"email": f"{canary}@x.org"}, region="East", by="lead",
        at=at(0)))
    s.record_interview(cmd(RecordInterview, s, passed=True, notes="ok", at=at(1)))
    s.record_assessment(cmd(RecordAssessment, s, passed=True, notes="ok", at=at(1)))
    s.appoint(cmd(Appoint, s, term_starts_on=at(2).date(), by="ministers", at=at(2)))
    s.allocate(cmd(Allocate, s, manager=control, reason=f"{canary} reason", at=at(3)), region)
    s.record_feedback(cmd(RecordFeedback, s, source="family", tone="positive",
                          summary=f"{canary} feedback", at=at(4)))
    s.raise_concern(cmd(RaiseSafeguarderConcern, s, concern_id="c1", about="work",
                        summary=f"{canary} concern", at=at(4)))
    s.resolve_concern(cmd(ResolveSafeguarderConcern, s, concern_id="c1",
                          resolution=f"{canary} resolution", at=at(5)))
    s.record_performance_evidence(cmd(RecordPerformanceEvidence, s, standard="PS1",
                                      evidence=f"{canary} evidence", at=at(5)))
    review = Review.refer(Refer(reference="R-canary", referrer="school",
                                category="practice_concern", summary=f"{canary} summary",
                                nation="ENG", review_type="thematic", by="chair", at=at(1)))
    chair = Commands(by="chair")
    review.add_recommendation(chair(AddRecommendation, review, recommendation_id="rec-1",
                                    text=f"{canary} recommendation", owner_agency="health",
                                    due_on=at(30).date(), at=at(2)))
    review.update_recommendation(chair(UpdateRecommendation, review, recommendation_id="rec-1",
                                       progress=f"{canary} progress", at=at(3)))
    app.record(s, review)
    app.write_narrative(WriteNarrative(quarter="2026Q1", measure="drift_cases",
                                       text=f"{canary} narrative", by="chair", at=at(6)))

    runner = Runner(app)
    for projection in runner.projections:
        runner.catch_up(projection)

    admin_url, pgdata = postgres
    assert database_files_contain(pgdata, admin_url, control)
    assert not database_files_contain(pgdata, admin_url, canary)


def test_sealing_is_the_same_for_the_same_text_in_the_same_place_only(app: Assured) -> None:
    cipher = FieldCipher.of(app)
    assert cipher is not None
    once = cipher.seal("Late to a hearing", "id-1", 3, "summary")
    assert cipher.seal("Late to a hearing", "id-1", 3, "summary") == once
    assert cipher.seal("Late to a hearing", "id-2", 3, "summary") != once
    assert b"Late" not in once
    # The store's own cipher opens what the read tables hold.
    assert unseal(app.mapper.cipher, once) == "Late to a hearing"
    assert cipher.seal(None, "id-1") is None


def test_names_and_free_text_in_the_safeguarder_file_are_bytes_on_disk(
    app: Assured, database_url: str
) -> None:
    s = Safeguarder.apply_to_panel(ApplyToPanel(name="Alex Morgan", contact={"phone": "0131"},
                                                region="East", by="lead", at=at(0)))
    app.record(s)
    runner = Runner(app)
    runner.catch_up(runner.projection("safeguarder_file"))
    with psycopg.connect(database_url, autocommit=True) as conn:
        tables: dict[str, Any] = read_tables(conn, "safeguarder_file")
    (row,) = tables["safeguarder"]
    assert "Alex Morgan" not in repr(row) and "0131" not in repr(row)
