"""What a projection writes for one page of events, sent to PostgreSQL in bulk.

A handler never touches the database: it describes rows, and the runner writes the page inside
the page's transaction, just before the tracking position (while it decodes the next page).

- `insert(table, **row)`: a new row, sent with binary COPY (column types from the catalog).
- `append(table, columns, values)`: as insert, for a row that no change of the page touches
  (a chronology entry), kept as a tuple.
- `update(table, key, **values)` / `add(...)`: changes to one row, merged by key in memory (an
  update of a row inserted in the same page changes the pending row; counters start at 0),
  then sent with one `executemany` per statement shape.
- `upsert(table, key, ...)`: as update, creating the row when it does not exist.
- `advance(table, key, (column, moment), **values)`: as update, unless the row already holds
  a later moment in `column` (a late entry never hides a later fact).
- `insert_if_exists(table, (other, columns), **row)`: a new row, kept only when `other` has a
  row with the same values in `columns`; one `INSERT … SELECT FROM unnest(…)` per page.
- `forget(tables, column, value)`: remove every row whose `column` is `value` from each of
  `tables` (an erased data subject's rows: projections/erasure.py), after everything else.
- anything else belongs in the projection's `end_page(cursor)`, which runs after the flush.
- `seal(text, *context)`: free text and personal details go into bytea columns sealed with the
  store's key (sealing.py); the runner gives each page the seal of its store.

Flush order: inserts, then row changes and advances (so a change always finds its row), then
conditional inserts (so their condition sees the page's rows), then what is forgotten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from psycopg import Cursor, sql

from projections.sealing import Seal, refuse_to_seal

Key = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Columns:
    """A table's columns, as the catalog has them."""

    oids: dict[str, int]
    names: dict[str, str]
    """Each column's type as SQL spells it (`format_type`)."""


ColumnTypes = Callable[[str], Columns]


@dataclass
class _Change:
    upsert: bool
    values: dict[str, Any] = field(default_factory=dict)
    increments: dict[str, Any] = field(default_factory=dict)


class Page:
    """The buffered writes of one page; `flush` sends them, once."""

    def __init__(self, seal: Seal = refuse_to_seal) -> None:
        self.seal: Seal = seal
        """`seal(text, *context)`: `text` encrypted for a bytea column. The context names where
        the text comes from (the event's originator id and version, and the field), so a
        rebuild writes the same bytes."""
        self._inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # table -> key columns -> key values -> pending inserted row, built when first needed
        self._indexes: dict[str, dict[tuple[str, ...], dict[tuple[Any, ...], dict[str, Any]]]] = {}
        self._changes: dict[tuple[str, Key], _Change] = {}
        # (table, columns, other table, its key columns) -> rows
        self._conditional: dict[tuple[str, tuple[str, ...], str, tuple[str, ...]],
                                list[tuple[Any, ...]]] = defaultdict(list)
        # (table, key, moment column) -> the latest (moment, values) of the page
        self._advances: dict[tuple[str, Key, str], tuple[Any, dict[str, Any]]] = {}
        self._forget: dict[tuple[str, str], list[Any]] = defaultdict(list)
        # (table, columns) -> rows appended as tuples of those columns' values
        self._appended: dict[tuple[str, tuple[str, ...]], list[tuple[Any, ...]]] = (
            defaultdict(list))

    # --- what handlers call -------------------------------------------------------------------

    def insert(self, table: str, **row: Any) -> None:
        self._inserts[table].append(row)
        indexes = self._indexes.get(table)
        if indexes:
            for columns, index in indexes.items():
                index[tuple(row[c] for c in columns)] = row

    def append(self, table: str, columns: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """A new row, as the tuple of `columns`' values, that no change of the same page
        touches (an entry of a log, like a case's chronology): cheaper than `insert`, which
        keeps every row at hand for the page's changes to merge into."""
        self._appended[(table, columns)].append(values)

    def update(self, table: str, key: Mapping[str, Any], **values: Any) -> None:
        """Set columns of the existing row `key`."""
        self._change(table, key, values, {}, upsert=False)

    def add(self, table: str, key: Mapping[str, Any], **increments: Any) -> None:
        """Add to numeric columns of the existing row `key`."""
        self._change(table, key, {}, increments, upsert=False)

    def upsert(self, table: str, key: Mapping[str, Any], values: Mapping[str, Any] | None = None,
               increments: Mapping[str, Any] | None = None) -> None:
        """Set and add to columns of row `key`, creating it (other columns at their defaults).

        The table needs a unique constraint on exactly the key's columns.
        """
        self._change(table, key, dict(values or {}), dict(increments or {}), upsert=True)

    def insert_if_exists(self, table: str, exists: tuple[str, tuple[str, ...]],
                         **row: Any) -> None:
        """Insert `row` if table `exists[0]` has a row matching it on columns `exists[1]`.

        For events that several kinds of record share. Scalar columns only.
        """
        other, columns = exists
        self._conditional[(table, tuple(row), other, columns)].append(tuple(row.values()))

    def advance(self, table: str, key: Mapping[str, Any], moment: tuple[str, Any],
                **values: Any) -> None:
        """Set columns of the existing row `key` with the moment they hold at (column, value),
        unless the row already holds a later moment: events arrive in the order they were
        recorded, and a fact entered late must not hide a later one."""
        column, at = moment
        row = self._pending_row(table, key)
        if row is not None:
            if row.get(column) is None or row[column] <= at:
                row.update(values, **{column: at})
            return
        slot = (table, tuple(key.items()), column)
        held = self._advances.get(slot)
        if held is None or held[0] <= at:
            self._advances[slot] = (at, values)

    def forget(self, tables: tuple[str, ...], column: str, value: Any) -> None:
        """Remove the rows whose `column` is `value` from each of `tables`, once the page's
        other writes are done."""
        for table in tables:
            self._forget[(table, column)].append(value)

    # --- merging ------------------------------------------------------------------------------

    def _pending_row(self, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
        if table not in self._inserts:
            return None
        columns = tuple(key)
        indexes = self._indexes.setdefault(table, {})
        index = indexes.get(columns)
        if index is None:
            index = indexes[columns] = {tuple(row[c] for c in columns): row
                                        for row in self._inserts[table]}
        return index.get(tuple(key.values()))

    def _change(self, table: str, key: Mapping[str, Any], values: dict[str, Any],
                increments: dict[str, Any], *, upsert: bool) -> None:
        row = self._pending_row(table, key)
        if row is not None:
            row.update(values)
            for column, amount in increments.items():
                row[column] = (row.get(column) or 0) + amount
            return
        slot = (table, tuple(key.items()))
        change = self._changes.get(slot)
        if change is None:
            change = self._changes[slot] = _Change(upsert)
        change.upsert = change.upsert or upsert
        change.values.update(values)
        for column, amount in increments.items():
            change.increments[column] = change.increments.get(column, 0) + amount

    # --- sending ------------------------------------------------------------------------------

    def flush(self, cursor: Cursor[Any], column_types: ColumnTypes) -> int:
        """Send everything buffered on `cursor`: inserts by COPY, then row changes grouped by
        shape, then conditional inserts. Returns the rows written."""
        return (self.flush_inserts(cursor, column_types)
                + self.flush_changes(cursor, column_types))

    def flush_inserts(self, cursor: Cursor[Any], column_types: ColumnTypes) -> int:
        """The first part of `flush`: the new rows, by COPY.

        (Sending a table's few new rows in the pipeline instead, as one `INSERT … SELECT FROM
        unnest(…)`, saves a COPY's round trip but costs more Python, dumping the arrays, than
        it saves: measured, docs/benchmarks.md.)"""
        written = 0
        for table, rows in self._inserts.items():
            written += _copy(cursor, table, rows, column_types(table))
        for (table, columns), tuples in self._appended.items():
            written += _copy_rows(cursor, table, columns, tuples, column_types(table))
        return written

    def flush_changes(self, cursor: Cursor[Any], column_types: ColumnTypes) -> int:
        """The rest of `flush`, after the inserts: changes, advances, conditional inserts and
        what is forgotten. (No COPY: it can go in a pipeline.)"""
        written = 0
        shapes: dict[tuple[Any, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for (table, key), change in self._changes.items():
            shape = (table, change.upsert, tuple(k for k, _ in key), tuple(change.values),
                     tuple(change.increments))
            shapes[shape].append(
                (*change.values.values(), *change.increments.values(), *(v for _, v in key)))
        for shape, params in shapes.items():
            cursor.executemany(_change_statement(*shape), params)
            written += len(params)
        for (table, key, column), (at, values) in self._advances.items():
            cursor.execute(_advance_statement(table, tuple(k for k, _ in key), column,
                                              tuple(values)),
                           (*values.values(), at, *(v for _, v in key), at))
            written += 1
        for (table, columns, other, keys), values in self._conditional.items():
            cursor.execute(_insert_if_exists(table, columns, other, keys, column_types(table)),
                           [list(column) for column in zip(*values, strict=True)])
            written += len(values)
        for (table, column), forgotten in self._forget.items():
            cursor.execute(sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
                sql.Identifier(table), sql.Identifier(column)), (forgotten,))
            written += len(forgotten)
        return written


def _by_columns(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[tuple[Any, ...]]]:
    """Rows of one table may name different columns (a merged change adds one): group them."""
    by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_columns[tuple(row)].append(tuple(row.values()))
    return by_columns


def _copy(cursor: Cursor[Any], table: str, rows: list[dict[str, Any]], types: Columns) -> int:
    for columns, group in _by_columns(rows).items():
        _copy_rows(cursor, table, columns, group, types)
    return len(rows)


def _copy_rows(cursor: Cursor[Any], table: str, columns: tuple[str, ...],
               rows: list[tuple[Any, ...]], types: Columns) -> int:
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)))
    with cursor.copy(statement) as copy:
        copy.set_types([types.oids[column] for column in columns])
        for row in rows:
            copy.write_row(row)
    return len(rows)


def _insert_if_exists(table: str, columns: tuple[str, ...], other: str, keys: tuple[str, ...],
                      types: Columns) -> sql.Composed:
    """INSERT … SELECT FROM unnest(one array per column) … WHERE EXISTS (a match in other)."""
    if any(types.names[c].endswith("]") for c in columns):
        raise TypeError(f"insert_if_exists takes scalar columns; {table} has arrays")
    ident = sql.Identifier
    return sql.SQL(
        "INSERT INTO {table} ({columns}) SELECT {columns} FROM unnest({arrays}) AS u "
        "({columns}) WHERE EXISTS (SELECT 1 FROM {other} o WHERE {match})"
    ).format(
        table=ident(table), columns=sql.SQL(", ").join(map(ident, columns)),
        arrays=sql.SQL(", ").join(sql.SQL("%b::{}[]").format(sql.SQL(types.names[c]))
                                  for c in columns),
        other=ident(other),
        match=sql.SQL(" AND ").join(sql.SQL("o.{0} = u.{0}").format(ident(k)) for k in keys))


def _advance_statement(table: str, key: tuple[str, ...], column: str,
                       values: tuple[str, ...]) -> sql.Composed:
    ident = sql.Identifier
    sets = [sql.SQL("{} = %s").format(ident(c)) for c in (*values, column)]
    where = sql.SQL(" AND ").join(sql.SQL("{} = %s").format(ident(c)) for c in key)
    return sql.SQL("UPDATE {} SET {} WHERE {} AND ({} IS NULL OR {} <= %s)").format(
        ident(table), sql.SQL(", ").join(sets), where, ident(column), ident(column))


def _change_statement(table: str, upsert: bool, key: tuple[str, ...], values: tuple[str, ...],
                      increments: tuple[str, ...]) -> sql.Composed:
    """UPDATE (or INSERT … ON CONFLICT) taking values, then increments, then key as parameters."""
    t = sql.Identifier(table)
    ident = sql.Identifier
    if not upsert:
        sets = [sql.SQL("{} = %s").format(ident(c)) for c in values]
        sets += [sql.SQL("{0} = {0} + %s").format(ident(c)) for c in increments]
        where = sql.SQL(" AND ").join(sql.SQL("{} = %s").format(ident(c)) for c in key)
        return sql.SQL("UPDATE {} SET {} WHERE {}").format(t, sql.SQL(", ").join(sets), where)
    # Key last in the parameters, so the column list follows the same order.
    columns = [*values, *increments, *key]
    sets = [sql.SQL("{0} = EXCLUDED.{0}").format(ident(c)) for c in values]
    sets += [sql.SQL("{0} = {1}.{0} + EXCLUDED.{0}").format(ident(c), t) for c in increments]
    conflict = (sql.SQL("DO UPDATE SET {}").format(sql.SQL(", ").join(sets)) if sets
                else sql.SQL("DO NOTHING"))
    return sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) {}").format(
        t, sql.SQL(", ").join(map(ident, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
        sql.SQL(", ").join(map(ident, key)), conflict)
