"""Group commit of the access log: the reads that arrive together are recorded in one save.

Every read of a record is an event of its own (`View`), recorded before the read is answered.
One save per read would make every read wait for a commit of its own, each behind the
writers' lock; here a read hands its `RecordView` to the writer of its application and waits
until it is saved, and the writer saves what has gathered meanwhile (up to `BATCH`) in one
transaction. Nothing is answered before its read is on record.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Future
from weakref import WeakKeyDictionary

from domain.accounts import RecordView, View
from domain.application import Assured

BATCH = 500
WAIT_SECONDS = 30.0

_WRITERS: WeakKeyDictionary[Assured, ViewWriter] = WeakKeyDictionary()
_LOCK = threading.Lock()


class ViewWriter:
    def __init__(self, app: Assured) -> None:
        self.app = app
        self.pending: queue.SimpleQueue[tuple[View, Future[None]]] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._write, name="access-log", daemon=True)
        self.thread.start()

    def record(self, c: RecordView) -> None:
        """Record the read; returns once it is saved (raises if it could not be)."""
        self._handed(c).result(timeout=WAIT_SECONDS)

    async def record_async(self, c: RecordView) -> None:
        """`record`, for a coroutine: the event loop goes on meanwhile."""
        await asyncio.wait_for(asyncio.wrap_future(self._handed(c)), WAIT_SECONDS)

    def _handed(self, c: RecordView) -> Future[None]:
        done: Future[None] = Future()
        self.pending.put((View.record(c), done))
        return done

    def _write(self) -> None:
        while True:
            batch = [self.pending.get()]
            while len(batch) < BATCH:
                try:
                    batch.append(self.pending.get_nowait())
                except queue.Empty:
                    break
            try:
                self.app.record(*(view for view, _ in batch))
            except Exception as failure:  # noqa: BLE001 (each waiting read is told)
                for _, done in batch:
                    done.set_exception(failure)
            else:
                for _, done in batch:
                    done.set_result(None)


def writer_for(app: Assured) -> ViewWriter:
    with _LOCK:
        writer = _WRITERS.get(app)
        if writer is None:
            writer = _WRITERS[app] = ViewWriter(app)
        return writer
