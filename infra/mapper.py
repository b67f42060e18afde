"""The application's mapper: each event's ciphertext bound to its place, read as fast as the
projection runner reads.

Writing is the library's way (transcode, compress, encrypt; the compressor is zlib's with its
window sized to the event, `SizedZlibCompressor`) except that the encryption is
AES-GCM with the event's place (record id, version, topic) as associated data
(`projections.decoding.place`), so a ciphertext moved to another record, version or topic, or a
changed byte, fails to open. Snapshots are bound the same way. Reading uses
`projections.decoding.EventDecoder`: one reused AES-GCM object, orjson, cached classes
(eventsourcing's mapper took most of a read's time, bench/api_load.py).

Where per-subject keys go (issue 11, erasure): a personal field is sealed with its subject's
key in `event_state` before it is transcoded (`_state_of`), and opened after `EventDecoder`
has parsed the state; the whole state is then encrypted in its place as here. The chain hashes
the outer ciphertext, so destroying a subject's key changes no stored byte.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.compressor import ZlibCompressor
from eventsourcing.domain import CanSnapshotAggregate
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from domain.errors import IntegrityCheckFailed
from infra.persistence import StoredSnapshot
from infra.subject_keys import SubjectKeys
from projections.decoding import EventCipher, EventDecoder, place

alerts = logging.getLogger("assured.integrity")


class SizedZlibCompressor(ZlibCompressor):
    """zlib, as the library's compressor, with the window sized to the data.

    `zlib.compress` sets up a 32 KiB window for every call: for an event's few hundred bytes
    that set-up is nearly all of the cost (about 15 µs on a quiet machine, several times that
    under load, against about 5 µs here). A window longer than the data by zlib's look-ahead
    (262 bytes) reaches every match the full one would, so the output is as small (equal in
    size for events from none to 100 kB, tests/integration/test_store.py), and it is the same
    format: `zlib.decompress`, and so the library's own compressor, reads it, and this one
    reads what `zlib.compress` wrote.
    """

    def compress(self, data: bytes) -> bytes:
        wbits = min(15, max(9, (len(data) + 261).bit_length()))
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, wbits)
        return compressor.compress(data) + compressor.flush()


class FastMapper(Mapper[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decode = EventDecoder(self)
        self._cipher = EventCipher(self.cipher.key) if self.cipher is not None else None  # type: ignore[attr-defined]
        self.subject_keys: SubjectKeys | None = None

    def attach_subject_keys(self, keys: SubjectKeys) -> None:
        """Seal each data subject's personal fields with their own key (infra/persistence.py)."""
        self.subject_keys = self._decode.personal = keys

    def erase_subject(self, record_id: Any) -> None:
        """Destroy the subject's key and snapshots (`Assured.erase_subject` asks)."""
        if self.subject_keys is not None:
            self.subject_keys.erase(record_id)

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        topic = get_topic(type(domain_event))
        originator_id, version, state = self._state_of(domain_event)
        if self.subject_keys is not None:
            state = self.subject_keys.seal(topic, originator_id, version, state)
        sealed = self.seal(self.transcoder.encode(state), originator_id, version, topic)
        if isinstance(domain_event, CanSnapshotAggregate):  # its time in plain, as a hint
            return StoredSnapshot(originator_id=originator_id, originator_version=version,
                                  topic=topic, state=sealed,
                                  modified_on=domain_event.state.get("_modified_on"))
        return StoredEvent(originator_id=originator_id, originator_version=version, topic=topic,
                           state=sealed)

    def seal(self, encoded: bytes, originator_id: Any, version: int, topic: str) -> bytes:
        """An encoded event state as it is stored at that place: compressed, then encrypted
        with the place as associated data."""
        if self.compressor:
            encoded = self.compressor.compress(encoded)
        if self._cipher is not None:
            encoded = self._cipher.encrypt(encoded, place(originator_id, version, topic))
        return encoded

    def open(self, stored: bytes, originator_id: Any, version: int, topic: str) -> bytes:
        """The encoded state `seal` made (ValueError if it does not open in that place)."""
        if self._cipher is not None:
            stored = self._cipher.decrypt(stored, place(originator_id, version, topic))
        return self.compressor.decompress(stored) if self.compressor else stored

    @staticmethod
    def _state_of(domain_event: Any) -> tuple[Any, int, dict[str, Any]]:
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return originator_id, version, state

    def decode_rows(self, record_id: Any, rows: Sequence[tuple[Any, ...]]) -> Iterator[Any]:
        """The domain events of the record's checked rows (`AssuredRecorder.
        select_checked_rows`), one at a time as asked: as `to_domain_event` of each
        (`EventDecoder.record_events`)."""
        try:
            yield from self._decode.record_events(record_id, rows)
        except IntegrityCheckFailed as failed:
            position = next((row[4] for row in rows if row[0] == failed.version), None)
            raised = IntegrityCheckFailed(failed.record_id, failed.reason,
                                          version=failed.version, position=position)
            alerts.error("Integrity alert: %s", raised)
            raise raised from None

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        try:
            return self._decode(stored_event.topic, stored_event.originator_id,
                                stored_event.originator_version, stored_event.state)
        except IntegrityCheckFailed as failed:
            position = getattr(stored_event, "position", None)
            raised = IntegrityCheckFailed(failed.record_id, failed.reason,
                                          version=failed.version, position=position)
            alerts.error("Integrity alert: %s", raised)
            raise raised from None
