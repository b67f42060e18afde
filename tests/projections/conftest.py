"""Runners on the test's own database, and a way to read every read table whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from domain.application import Assured
from projections.runner import Runner
from tests.projections.stories import World

SMALL_PAGE = 7
"""Small enough that rows written in one page are changed in the next."""


@pytest.fixture
def runner(app: Assured) -> Runner:
    return Runner(app, page_size=SMALL_PAGE)


@pytest.fixture
def world(app: Assured) -> World:
    return World(app)


@pytest.fixture
def conn(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        yield connection


def read_tables(conn: psycopg.Connection[Any], name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of projection `name` (its tracking table aside), sorted."""
    row = conn.execute("SELECT tables FROM projection_registry WHERE name = %s",
                       (name,)).fetchone()
    assert row is not None, f"{name} was never built"
    contents = {}
    for table in row[0]:
        if table.endswith("_tracking"):
            continue
        rows = conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))).fetchall()
        contents[table] = sorted(rows, key=repr)
    return contents


def position(conn: psycopg.Connection[Any], name: str) -> int:
    row = conn.execute(sql.SQL("SELECT notification_id FROM {}").format(
        sql.Identifier(f"{name}_tracking"))).fetchone()
    assert row is not None
    return int(row[0])
