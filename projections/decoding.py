"""Decoding stored events fast enough to keep up: the expensive part of a catch-up.

Each stored event's ciphertext is bound to its place: AES-GCM with the event's record id,
version and topic as associated data (`place`). A ciphertext copied to another record, version
or topic fails to open there, as does a changed byte: `IntegrityCheckFailed`.

Measured on these machines, per event, the application's own mapper took about 180 µs with
eventsourcing's pycryptodome cipher (the store now uses its `cryptography` cipher, which reads and
writes the same layout). `EventDecoder` does what `Mapper.to_domain_event` does, faster:

- it decrypts with one reused `cryptography` AES-GCM object (nonce + tag + ciphertext, the
  library's layout), on the store's key, with the event's place as associated data;
- it parses JSON with orjson and revives the transcoder's `{"_type_", "_data_"}` objects with the
  transcoder's own registered transcodings, falling back to the transcoder for anything orjson
  refuses;
- it skips the per-event `Notification` and the mapper's lookups, caching them per class, and
  builds each event's place from its record's start, kept while the record's events follow
  one another (a long record's replay, bench/history_at.py).

Writers are unchanged.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.compressor import ZlibCompressor
from eventsourcing.persistence import (
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    find_id_convertor,
    pass_through_convertor,
)
from eventsourcing.utils import resolve_topic

from domain.errors import IntegrityCheckFailed

_PLACE = b"assured stored event v1\x00"
NOT_IN_PLACE = "the ciphertext does not open in its place"


def place(originator_id: Any, originator_version: int, topic: str) -> bytes:
    """Where a stored event belongs, as its ciphertext's associated data: record id (16
    bytes), version (8 bytes, big-endian) and topic, after a label naming this layout."""
    return (_record_place(originator_id) + originator_version.to_bytes(8, "big")
            + topic.encode())


def _record_place(originator_id: Any) -> bytes:
    """The start of `place`: the label and the record id."""
    record = originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))
    return _PLACE + record.bytes


class EventCipher:
    """AES-GCM bound to a place, in the library's layout: nonce (12) + tag (16) + ciphertext.

    The store's key is shared with the read tables' sealing, which uses no associated data, so
    neither can be opened as the other.
    """

    def __init__(self, key: bytes) -> None:  # not the library's env-based constructor
        self.aesgcm = AESGCM(key)
        """The AES-GCM object itself, whose `decrypt` takes the ciphertext then the tag."""

    def encrypt(self, plaintext: bytes, where: bytes) -> bytes:
        nonce = os.urandom(12)
        sealed = self.aesgcm.encrypt(nonce, plaintext, where)
        return nonce + sealed[-16:] + sealed[:-16]

    def decrypt(self, ciphertext: bytes, where: bytes) -> bytes:
        """The plaintext; ValueError if the ciphertext was changed or belongs elsewhere."""
        nonce, tag, encrypted = ciphertext[:12], ciphertext[12:28], ciphertext[28:]
        try:
            return self.aesgcm.decrypt(nonce, encrypted + tag, where)
        except (InvalidTag, ValueError):
            raise ValueError(NOT_IN_PLACE) from None


class PersonalFields(Protocol):
    """What opens a data subject's personal fields (infra.subject_keys.SubjectKeys)."""

    def open(self, topic: str, originator_id: UUID, version: int, state: dict[str, Any],
             parse: Callable[[bytes], dict[str, Any]]) -> None: ...

    def forget(self, subject_id: UUID) -> None: ...

    def prefetch(self, subject_ids: Iterable[UUID]) -> None: ...


class EventDecoder:
    """Turns a stored row (topic, originator id, version, state) into its domain event."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        if mapper.cipher is not None and not getattr(mapper.cipher, "key", None):
            raise TypeError("The store's cipher must be the library's AES-GCM cipher")
        self._cipher = EventCipher(mapper.cipher.key) if mapper.cipher is not None else None
        self._decompress = (None if not mapper.compressor else zlib.decompress
                            if type(mapper.compressor).decompress is ZlibCompressor.decompress
                            else mapper.compressor.decompress)  # (zlib's own, without a call)
        transcoder = mapper.transcoder
        self._transcoder = transcoder
        # The fast path reads what JSONTranscoder wrote; any other transcoder decodes itself.
        self._revivers: dict[str, Callable[[Any], Any]] | None = None
        if (isinstance(transcoder, JSONTranscoder)
                and type(transcoder).decode is JSONTranscoder.decode):
            self._revivers = {name: t.decode for name, t in transcoder.names.items()}
            if isinstance(transcoder.names.get("datetime_iso"), DatetimeAsISO):
                self._revivers["datetime_iso"] = datetime.fromisoformat  # the same, unwrapped
        self._classes: dict[str, tuple[type, int, Callable[[Any], Any], bytes, bool]] = {}
        self._record: tuple[Any, bytes] = (None, b"")
        """The last record decoded and the start of its events' places (`place`)."""
        self.personal: PersonalFields | None = getattr(mapper, "subject_keys", None)
        """Opens a data subject's personal fields, sealed with their own key (the store's
        mapper supplies it: infra/subject_keys.py)."""

    def __call__(self, topic: str, originator_id: Any, originator_version: int,
                 state: bytes) -> Any:
        known = self._classes.get(topic)
        if known is None:
            known = self._classes[topic] = self._learn(topic, originator_id)
        cls, class_version, to_id, topic_bytes, erased = known
        if self._cipher:
            record = self._record  # (one tuple: threads share the decoder)
            if record[0] is not originator_id and record[0] != originator_id:
                # (A record's events come together, usually with the one id object.)
                record = self._record = (originator_id, _record_place(originator_id))
            try:
                state = self._cipher.decrypt(state, record[1]
                                             + originator_version.to_bytes(8, "big")
                                             + topic_bytes)
            except ValueError as damaged:
                raise IntegrityCheckFailed(originator_id, str(damaged),
                                           version=originator_version) from None
        if self._decompress:
            state = self._decompress(state)
        event_state = self._parse(state)
        if "_personal_" in event_state or "_personal_of_" in event_state:
            self._open_personal(topic, originator_id, originator_version, event_state)
        elif erased and self.personal is not None:
            self.personal.forget(to_id(originator_id))  # read from now on as erased
        event_state["originator_id"] = (originator_id if to_id is pass_through_convertor
                                        else to_id(originator_id))
        event_state["originator_version"] = originator_version
        if class_version > 1:
            self._upcast(cls, class_version, event_state)
        else:
            event_state.pop("class_version", None)
        event: Any = object.__new__(cls)
        object.__setattr__(event, "__dict__", event_state)
        return event

    def record_events(self, originator_id: Any, rows: Iterable[Sequence[Any]]) -> Iterator[Any]:
        """The domain events of one record's rows, each row (version, topic, state, …), one at a
        time as asked: as `self(topic, originator_id, version, state)` of each
        (tests/projections/test_decoding.py checks they are equal).

        One loop for a record's whole history (bench/history_at.py replays 10,000 events):
        the record's place is built once, and the common steps are written out here, without
        a call of their own per event: decrypting in place, zlib, orjson, reviving the
        state's own transcoded values (a datetime's, mostly) and making the event. Anything
        else (personal fields, upcasting, a value orjson refuses, a store without the
        cipher or zlib) goes the way `__call__` goes.
        """
        cipher, revivers = self._cipher, self._revivers
        if cipher is None or self._decompress is None or revivers is None:
            for row in rows:
                yield self(row[1], originator_id, row[0], row[2])
            return
        decrypt, decompress, loads = cipher.aesgcm.decrypt, self._decompress, orjson.loads
        revive, classes, start = self._revive, self._classes, _record_place(originator_id)
        new, set_attribute = object.__new__, object.__setattr__
        for row in rows:
            version, topic, state = row[0], row[1], row[2]
            known = classes.get(topic)
            if known is None:
                known = classes[topic] = self._learn(topic, originator_id)
            cls, class_version, to_id, topic_bytes, erased = known
            try:
                plain = decrypt(state[:12], state[28:] + state[12:28],
                                start + version.to_bytes(8, "big") + topic_bytes)
            except (InvalidTag, ValueError):
                raise IntegrityCheckFailed(originator_id, NOT_IN_PLACE, version=version) from None
            plain = decompress(plain)
            try:
                event_state = loads(plain)
                if type(event_state) is not dict:  # (never an event's; as `_revive` would)
                    event_state = revive(event_state)
                for key, item in event_state.items():
                    kind = type(item)
                    if kind is dict:
                        if (len(item) == 2 and type(item.get("_data_")) is str
                                and "_type_" in item):
                            event_state[key] = revivers[item["_type_"]](item["_data_"])
                        else:
                            event_state[key] = revive(item)
                    elif kind is list:
                        event_state[key] = revive(item)
                if len(event_state) == 2 and "_type_" in event_state and "_data_" in event_state:
                    event_state = revivers[event_state["_type_"]](event_state["_data_"])
            except (orjson.JSONDecodeError, KeyError):
                event_state = self._transcoder.decode(plain)  # (as `_parse`)
            if "_personal_" in event_state or "_personal_of_" in event_state:
                self._open_personal(topic, originator_id, version, event_state)
            elif erased and self.personal is not None:
                self.personal.forget(to_id(originator_id))
            event_state["originator_id"] = (originator_id if to_id is pass_through_convertor
                                            else to_id(originator_id))
            event_state["originator_version"] = version
            if class_version > 1:
                self._upcast(cls, class_version, event_state)
            elif "class_version" in event_state:
                del event_state["class_version"]
            event = new(cls)
            set_attribute(event, "__dict__", event_state)
            yield event

    def prefetch(self, originator_ids: Iterable[Any]) -> None:
        """Before decoding a page: fetch its records' subject keys in one round trip."""
        if self.personal is not None:
            self.personal.prefetch(i if isinstance(i, UUID) else UUID(str(i))
                                   for i in originator_ids)

    def _open_personal(self, topic: str, originator_id: Any, version: int,
                       event_state: dict[str, Any]) -> None:
        if self.personal is None:
            raise IntegrityCheckFailed(originator_id, "its personal fields are sealed with a "
                                       "data subject's key, and this reader has none",
                                       version=version)
        try:
            self.personal.open(topic, originator_id if isinstance(originator_id, UUID)
                               else UUID(str(originator_id)), version, event_state, self._parse)
        except ValueError as damaged:
            raise IntegrityCheckFailed(originator_id, str(damaged), version=version) from None

    @staticmethod
    def _upcast(cls: type, class_version: int, event_state: dict[str, Any]) -> None:
        """An older event's state brought up to its class's version, one step at a time."""
        from_version = event_state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
            from_version += 1

    @staticmethod
    def _learn(topic: str, originator_id: Any
               ) -> tuple[type, int, Callable[[Any], Any], bytes, bool]:
        cls = resolve_topic(topic)
        id_type: Any = type(originator_id)
        return (cls, getattr(cls, "class_version", 1), find_id_convertor(cls, id_type),
                topic.encode(), topic.endswith(".Erased"))

    def _parse(self, data: bytes) -> dict[str, Any]:
        if self._revivers is None:
            return self._transcoder.decode(data)  # type: ignore[no-any-return]
        try:
            return self._revive(orjson.loads(data))  # type: ignore[no-any-return]
        except (orjson.JSONDecodeError, KeyError):
            # NaN or huge integers (json reads them, orjson not), or an unknown transcoding
            # (the transcoder names it in its error).
            return self._transcoder.decode(data)  # type: ignore[no-any-return]

    def _revive(self, value: Any) -> Any:
        """What json's object hook would have made of `value`: inner objects first.

        (A transcoded value whose data is a plain string, a datetime's, is revived here
        without a call of its own: most of an event's state is that.)
        """
        if type(value) is dict:
            revivers = self._revivers
            for key, item in value.items():
                kind = type(item)
                if kind is dict:
                    if (len(item) == 2 and type(item.get("_data_")) is str
                            and "_type_" in item):
                        value[key] = revivers[item["_type_"]](item["_data_"])  # type: ignore[index]
                    else:
                        value[key] = self._revive(item)
                elif kind is list:
                    value[key] = self._revive(item)
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                return revivers[value["_type_"]](value["_data_"])  # type: ignore[index]
            return value
        if type(value) is list:
            return [self._revive(item) if type(item) is dict or type(item) is list else item
                    for item in value]
        return value
