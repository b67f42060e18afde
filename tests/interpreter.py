"""A guard for a CPython race that the suite's threads can hit on this machine's Python.

CPython 3.11.0–3.11.7 and 3.12.0–3.12.1 keep the AST converter's recursion depth in state
shared by every thread. A garbage collection inside one thread's `ast.parse` can hand the GIL
to another thread that parses too, and the first then fails with `SystemError: AST constructor
recursion depth mismatch` (python/cpython#106905, fixed in 3.11.8 and 3.12.2). In the suite,
Hypothesis parses source files to describe strategies while a Temporal worker's or the web
app's thread formats a traceback, which in 3.11 parses the failing line for its carets.

The guard lets one thread at a time into `ast.parse`: the callers that meet here (Hypothesis,
`traceback`, `inspect`) all go through it. It is installed only on an affected Python.
"""

from __future__ import annotations

import ast
import sys
import threading
from typing import Any

AST_PARSE_LOCK = threading.RLock()
"""Held for the whole of each guarded parse. Reentrant, so a parse that a finalizer starts on
the same thread cannot deadlock it."""


FIXED_IN = {(3, 11): (3, 11, 8), (3, 12): (3, 12, 2)}
"""The first release of each affected line with the fix (3.10 and older have no such check)."""


def affected(version: tuple[int, int, int] = sys.version_info[:3]) -> bool:
    fixed = FIXED_IN.get(version[:2])
    return fixed is not None and version < fixed


def guard_ast_parse() -> None:
    """Wrap `ast.parse` in `AST_PARSE_LOCK`, once, on an affected Python."""
    if not affected() or getattr(ast.parse, "_guarded", False):
        return
    unguarded = ast.parse

    def parse(*args: Any, **kwargs: Any) -> ast.AST:
        with AST_PARSE_LOCK:
            return unguarded(*args, **kwargs)

    parse._guarded = True  # type: ignore[attr-defined]
    parse.__doc__ = unguarded.__doc__
    ast.parse = parse
