"""The store's transcoder writes every event state as the library's JSON transcoder does, byte
for byte, and hands what orjson would write differently to the library's own encoder."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import IntEnum, StrEnum
from uuid import UUID

import pytest
from eventsourcing.persistence import JSONTranscoder, TranscodingNotRegisteredError

from domain.application import Assured
from domain.text import Narrative
from infra.transcoder import FastTranscoder
from tests.projections.stories import World

HOSTILE = ["<script>alert(1)</script>", "Ō'Brien \"quoted\" \\ back", "tab\tnew\nline\r\x01\x1f",
           "\u202eevil\u202c", "emoji 🧒🏽 and \u2028 \u2029 \ufeff", "NUL \x00 inside", "x" * 1_000_000,
           ""]


def library(app: Assured) -> JSONTranscoder:
    transcoder = JSONTranscoder()
    app.register_transcodings(transcoder)
    return transcoder


def test_every_stored_event_state_is_written_as_the_library_writes_it(
    app: Assured, world: World
) -> None:
    for _ in range(3):
        world.next_round()
    ours = app.mapper.transcoder
    assert isinstance(ours, FastTranscoder)
    theirs = library(app)
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    assert len({n.topic for n in notifications}) > 40
    for n in notifications:
        _, _, state = app.mapper._state_of(app.mapper.to_domain_event(n))  # type: ignore[attr-defined]
        assert ours.encode(state) == theirs.encode(state), n.topic


class Level(StrEnum):
    HIGH = "high"


class Count(IntEnum):
    TWO = 2


class Rows(list[int]):
    pass


@pytest.mark.parametrize("state", [
    {"texts": HOSTILE, "nested": [{"at": datetime(2026, 1, 5, 9, 0, 0, 1, tzinfo=UTC)},
                                  (date(2025, 12, 31), UUID(int=7), None, True, -3)]},
    {"score": 1e-07},  # orjson writes 1e-7
    {"big": 2**70},  # beyond orjson's 64 bits
    {"keys": {1: "one", None: "none"}},  # keys json converts to text
    {"level": Level.HIGH, "words": Narrative("A bounded <b>text</b>"), "n": Count.TWO},
    {"rows": Rows([1, 2])},  # a list subclass
    {"lone surrogate": "\ud800"},  # neither can write it as UTF-8
    {"unregistered": object()},
])
def test_anything_orjson_writes_otherwise_is_the_library_encoders(
    app: Assured, state: dict[str, object]
) -> None:
    ours, theirs = app.mapper.transcoder, library(app)
    try:
        expected: bytes | type[Exception] = theirs.encode(state)
    except (TranscodingNotRegisteredError, UnicodeEncodeError) as refused:
        with pytest.raises(type(refused)):
            ours.encode(state)
        return
    assert ours.encode(state) == expected
    assert ours.decode(ours.encode(state)) == theirs.decode(expected)
