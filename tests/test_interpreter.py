"""The suite's guard for CPython's shared AST depth counter (tests/interpreter.py)."""

from __future__ import annotations

import ast
import threading

import pytest

from tests.interpreter import AST_PARSE_LOCK, affected


@pytest.mark.parametrize(("version", "expected"), [
    ((3, 11, 0), True), ((3, 11, 7), True), ((3, 11, 8), False), ((3, 12, 1), True),
    ((3, 12, 2), False), ((3, 13, 0), False), ((3, 10, 13), False)])
def test_the_guard_is_for_the_releases_without_the_fix(version: tuple[int, int, int],
                                                       expected: bool) -> None:
    assert affected(version) is expected


@pytest.mark.skipif(not affected(), reason="this Python has CPython's own fix")
def test_a_second_thread_waits_to_parse_while_one_is_inside() -> None:
    parsed = threading.Event()

    def parse() -> None:
        ast.parse("x = [1, 2, 3]")
        parsed.set()

    with AST_PARSE_LOCK:  # as a thread inside a guarded parse holds it
        other = threading.Thread(target=parse)
        other.start()
        assert not parsed.wait(0.3), "a second thread parsed while the first was inside"
    assert parsed.wait(10)
    other.join()
    assert isinstance(ast.parse("y = 1"), ast.Module)
