"""Records recently loaded or saved, kept in memory so a request need not replay a history.

An entry is a record exactly as it was saved or loaded, and nothing changes it once it is put:
a reader may use it as it is, from any thread, while a writer works on its own copy. Bringing
an entry up to date makes a new entry; it never mutates the old one. (eventsourcing's own cache
fast-forwards the shared object in place, so a reader could see half an event applied.)
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from typing import Any
from uuid import UUID


class RecordCache:
    """At most `size` records, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[UUID, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, record_id: UUID) -> Any | None:
        with self._lock:
            record = self._entries.get(record_id)
            if record is not None:
                self._entries.move_to_end(record_id)
            return record

    def put(self, record: Any) -> None:
        """Keep `record` unless a later version of it is kept already."""
        with self._lock:
            kept = self._entries.get(record.id)
            if kept is not None and kept.version >= record.version:
                return
            self._entries[record.id] = record
            self._entries.move_to_end(record.id)
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def update(self, record: Any) -> None:
        """Keep `record` if an earlier version of it is kept: a save keeps what was loaded
        up to date, without filling the cache with records nobody reads (each read's View)."""
        with self._lock:
            kept = self._entries.get(record.id)
            if kept is None or kept.version >= record.version:
                return
            self._entries[record.id] = record

    def drop(self, record_id: UUID) -> None:
        with self._lock:
            self._entries.pop(record_id, None)


def private_copy(record: Any) -> Any:
    """A copy the caller may change (a pickle round trip takes under half deepcopy's time)."""
    return pickle.loads(pickle.dumps(record, pickle.HIGHEST_PROTOCOL))
