"""Each data subject's own data key, and the personal fields it seals.

The key hierarchy:

    master key (ASSURED_ENCRYPTION_KEY)
      ├── seals every stored event and snapshot in its place (infra/mapper.py)
      ├── seals free text in the read tables (projections/sealing.py)
      └── wraps each data subject's data key (table `subject_keys`)
            └── a subject's data key seals that subject's personal fields inside their events
                (and inside another record's events that hold their words: the feedback a
                person gave, on the Safeguarder's record)

A data subject is a record of a `domain.subjects.DataSubject` kind (a Safeguarder, a child's
case, a person who gave feedback); its id is the record's id. An event may also hold another
subject's personal data: `DataSubject.personal_of` names, per event, the field that holds that
subject's record id and the fields that are theirs; those are sealed with that subject's key,
under `"_personal_of_": [their id, kinds, sealed]`, which is sealed again with the record's own
key: erasing that person alone makes those fields read "[erased]" while the record they sit on
is otherwise unchanged, and erasing the record erases them with it. A personal field may be a part of
each item of a list (`actions[].description`). Writing one of its events, the mapper hands the event's state
to `SubjectKeys.seal`: the fields the record kind declares `personal` are taken out, encoded,
and sealed with the subject's key (AES-256-GCM, the event's place as associated data), leaving
`{"_personal_": [kinds, sealed]}` in their stead; the whole state is then sealed with the
master key as before. Reading reverses it (`open`); once the subject's key is destroyed
(`erase`), each personal field reads as `domain.subjects.ERASED` (or an empty list or
mapping), and every other field as it was. No stored event byte changes, so the hash chain,
which is over the stored ciphertext, still verifies.

A subject's key is made on its first personal write, in one statement that returns the key
already stored if another writer made it first, and kept in memory (`ttl` seconds: another
process's erasure holds here within that time; an erasure this process reads holds at once).
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Transcoder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import resolve_topic
from psycopg import sql

from domain.subjects import DataSubject, erased_value
from projections.decoding import place

TABLE = "subject_keys"
SEALED = "_personal_"
SEALED_OF = "_personal_of_"
"""Where another subject's fields are sealed: [their record id, kinds, sealed]."""
_WRAP = b"assured subject key v1\x00"
_SNAPSHOT_TOPIC = "eventsourcing.domain:Snapshot"

DDL = """
CREATE TABLE IF NOT EXISTS {schema}.subject_keys (
    subject_id uuid PRIMARY KEY,
    wrapped bytea,                       -- the data key wrapped by the master key; NULL: erased
    made_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz
)"""


class SubjectErased(RuntimeError):
    """A write of personal data for a subject whose key was destroyed (the domain refuses any
    change to an erased record first; this is the store's own refusal)."""


_EACH = "[]."
"""A personal field inside each item of a list field: `actions[].description` is the
description of every agreed action, while the rest of each action (its id, owner, due date)
stays as it is, so a replayed record still knows its actions once the texts are erased."""
_ITEMS = "items"
_ERASED_ITEMS = object()
_ERASED_OTHERS = object()


def _take(state: dict[str, Any], field: str) -> Any:
    """Remove `field` (or each item's part, for `list[].part`) from `state`, returning it."""
    if _EACH not in field:
        return state.pop(field)
    outer, part = field.split(_EACH)
    items = state[outer] = [dict(item) for item in state[outer] or ()]  # copies: the event keeps its own
    return [item.pop(part, None) for item in items]


def _put(state: dict[str, Any], field: str, value: Any) -> None:
    """Put `field` (as `_take` took it) back into `state`; `_ERASED_ITEMS` marks each erased."""
    if _EACH not in field:
        state[field] = value
        return
    outer, part = field.split(_EACH)
    for index, item in enumerate(state.get(outer) or ()):
        item[part] = erased_value("str") if value is _ERASED_ITEMS else value[index]


def _kind(value: Any) -> str:
    return "str" if isinstance(value, str) else "dict" if isinstance(value, dict) else (
        "list" if isinstance(value, (list, tuple)) else "other")


class SubjectKeys:
    """The subjects' data keys on one store, and sealing and opening personal fields."""

    def __init__(self, datastore: PostgresDatastore, master_key: bytes, snapshots_table: str,
                 transcoder: Transcoder, ttl: float = 60.0) -> None:
        self._datastore, self._master = datastore, AESGCM(master_key)
        self._transcoder, self._ttl = transcoder, ttl
        self._keys: dict[UUID, tuple[AESGCM | None, float]] = {}
        self._lock = threading.Lock()
        self._fields: dict[str, frozenset[str]] = {}
        self._others: dict[str, tuple[str, frozenset[str]] | None] = {}
        table = sql.Identifier(datastore.schema, TABLE)
        self._get_or_make = sql.SQL(
            "INSERT INTO {t} (subject_id, wrapped) VALUES (%s, %s) ON CONFLICT (subject_id) "
            "DO UPDATE SET subject_id = EXCLUDED.subject_id RETURNING wrapped").format(
            t=table).as_string(None)
        self._get = sql.SQL("SELECT wrapped FROM {t} WHERE subject_id = %s").format(
            t=table).as_string(None)
        self._get_many = sql.SQL(
            "SELECT subject_id, wrapped FROM {t} WHERE subject_id = ANY(%s)").format(
            t=table).as_string(None)
        self._destroy = sql.SQL(
            "INSERT INTO {t} (subject_id, wrapped, erased_at) VALUES (%s, NULL, now()) "
            "ON CONFLICT (subject_id) DO UPDATE SET wrapped = NULL, "
            "erased_at = coalesce({t}.erased_at, now())").format(t=table).as_string(None)
        self._drop_snapshots = sql.SQL("DELETE FROM {s} WHERE originator_id = %s").format(
            s=sql.Identifier(datastore.schema, snapshots_table)).as_string(None)

    # --- which fields are personal --------------------------------------------------------------

    def personal_fields(self, topic: str, state: dict[str, Any]) -> frozenset[str]:
        """The personal fields an event of `topic` holds (for a snapshot: its whole state)."""
        if topic == _SNAPSHOT_TOPIC:
            kind = resolve_topic(state["topic"])
            return frozenset({"state"}) if _is_subject(kind) else frozenset()
        known = self._fields.get(topic)
        if known is None:
            kind = resolve_topic(topic.rsplit(".", 1)[0]) if "." in topic else None
            known = self._fields[topic] = (kind.personal if _is_subject(kind)  # type: ignore[union-attr]
                                           else frozenset())
        return known

    # --- sealing and opening --------------------------------------------------------------------

    def others(self, topic: str) -> tuple[str, frozenset[str]] | None:
        """For an event of `topic` whose fields are another subject's personal data: the field
        naming that subject's record, and those fields (`DataSubject.personal_of`)."""
        if topic not in self._others:
            kind = resolve_topic(topic.rsplit(".", 1)[0]) if "." in topic else None
            name = topic.rsplit(".", 1)[-1]
            self._others[topic] = (kind.personal_of.get(name)  # type: ignore[union-attr]
                                   if _is_subject(kind) else None)
        return self._others[topic]

    def seal(self, topic: str, originator_id: UUID, version: int,
             state: dict[str, Any]) -> dict[str, Any]:
        """`state` with its personal fields sealed under the subject's key (and another
        subject's fields, such as the words of the person who gave feedback, under theirs)."""
        other = self.others(topic) if topic != _SNAPSHOT_TOPIC else None
        fields = self.personal_fields(topic, state)
        if not fields and other is None:  # most events: nothing personal (nothing to pay)
            return state
        where = place(originator_id, version, topic)
        if other is not None and state.get(other[0]) is not None:
            subject = state[other[0]]
            subject = subject if isinstance(subject, UUID) else UUID(str(subject))
            theirs = {f: state.pop(f) for f in other[1] if f in state}
            if theirs:
                state[SEALED_OF] = [str(subject), *self._seal_with(subject, theirs, where)]
        present = [f for f in fields if f.split(_EACH)[0] in state]
        if SEALED_OF in state:  # sealed again with this record's key: either erasure erases it
            present.append(SEALED_OF)
        if present:
            state[SEALED] = self._seal_with(originator_id, {f: _take(state, f) for f in present},
                                            where)
        return state

    def _seal_with(self, subject_id: UUID, personal: dict[str, Any],
                   where: bytes) -> list[Any]:
        key = self.key(subject_id, make=True)
        if key is None:
            raise SubjectErased(f"Record {subject_id} was erased: no personal data is "
                                "written for it")
        kinds = {f: _ITEMS if _EACH in f else _kind(v) for f, v in personal.items()}
        nonce = os.urandom(12)
        sealed = key.encrypt(nonce, self._transcoder.encode(personal), where)
        return [kinds, base64.b64encode(nonce + sealed).decode()]

    def open(self, topic: str, originator_id: UUID, version: int, state: dict[str, Any],
             parse: Callable[[bytes], dict[str, Any]]) -> None:
        """Put the personal fields back into `state` (erased placeholders once erased)."""
        where = place(originator_id, version, topic)
        if SEALED in state:
            self._open_with(originator_id, *state.pop(SEALED), where, state, parse)
        if state.get(SEALED_OF) is _ERASED_OTHERS:  # this record was erased: theirs went too
            del state[SEALED_OF]
            other = self.others(topic)
            state.update({f: erased_value("str") for f in (other[1] if other else ())})
        if SEALED_OF in state:
            subject, kinds, sealed = state.pop(SEALED_OF)
            self._open_with(UUID(subject), kinds, sealed, where, state, parse)

    def _open_with(self, subject_id: UUID, kinds: dict[str, str], sealed: str, where: bytes,
                   state: dict[str, Any], parse: Callable[[bytes], dict[str, Any]]) -> None:
        key = self.key(subject_id)
        if key is None:
            for f, k in kinds.items():
                _put(state, f, _ERASED_ITEMS if k == _ITEMS else _ERASED_OTHERS
                     if f == SEALED_OF else erased_value(k))
            return
        raw = base64.b64decode(sealed)
        try:
            plain = key.decrypt(raw[:12], raw[12:], where)
        except InvalidTag:
            raise ValueError("its personal fields do not open in their place") from None
        for f, value in parse(plain).items():
            _put(state, f, value)

    # --- the keys -------------------------------------------------------------------------------

    def key(self, subject_id: UUID, *, make: bool = False) -> AESGCM | None:
        """The subject's data key; None once erased (or, unless `make`, never made)."""
        now = time.monotonic()
        with self._lock:
            cached = self._keys.get(subject_id)
        if cached is not None and now - cached[1] < self._ttl and (cached[0] or not make):
            return cached[0]
        wrapped = self._fetch(subject_id, make)
        key = AESGCM(self._unwrap(subject_id, wrapped)) if wrapped is not None else None
        with self._lock:
            self._keys[subject_id] = (key, now)
        return key

    def prefetch(self, subject_ids: Iterable[UUID]) -> None:
        """Fetch the keys of many subjects in one round trip and keep them (as `key` would
        one by one): a reader of a page of events asks before decoding it, instead of once per
        subject it has not met yet (bench/projection_catchup.py)."""
        now = time.monotonic()
        with self._lock:
            wanted = [s for s in set(subject_ids)
                      if (c := self._keys.get(s)) is None or now - c[1] >= self._ttl]
        if not wanted:
            return
        with self._datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self._get_many, (wanted,), prepare=True)
            rows = curs.fetchall()
        found = {}
        for row in rows:
            subject, wrapped = ((row["subject_id"], row["wrapped"]) if isinstance(row, dict)
                                else (row[0], row[1]))
            found[subject] = (AESGCM(self._unwrap(subject, bytes(wrapped)))
                              if wrapped is not None else None)
        with self._lock:
            for subject in wanted:  # (none made yet: None, as `key` keeps it)
                self._keys[subject] = (found.get(subject), now)

    def _fetch(self, subject_id: UUID, make: bool) -> bytes | None:
        with self._datastore.get_connection() as conn, conn.cursor() as curs:
            if make:
                fresh = self._wrap(subject_id, AESGCM.generate_key(bit_length=256))
                curs.execute(self._get_or_make, (subject_id, fresh), prepare=True)
            else:
                curs.execute(self._get, (subject_id,), prepare=True)
            row = curs.fetchone()
        if row is None:
            return None
        wrapped = row["wrapped"] if isinstance(row, dict) else row[0]
        return bytes(wrapped) if wrapped is not None else None

    def _wrap(self, subject_id: UUID, key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._master.encrypt(nonce, key, _WRAP + subject_id.bytes)

    def _unwrap(self, subject_id: UUID, wrapped: bytes) -> bytes:
        return self._master.decrypt(wrapped[:12], wrapped[12:], _WRAP + subject_id.bytes)

    def erase(self, subject_id: UUID) -> None:
        """Destroy the subject's key and remove their snapshots, in one transaction."""
        with self._datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            curs.execute(self._drop_snapshots, (subject_id,))
            curs.execute(self._destroy, (subject_id,))
        self.forget(subject_id)

    def forget(self, subject_id: UUID) -> None:
        """Drop the cached key: the next use asks the store (an erasure read in the log)."""
        with self._lock:
            self._keys.pop(subject_id, None)


def _is_subject(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, DataSubject) and bool(
        kind.personal or kind.personal_of)
