"""Group commit of the access log: the reads that arrive together are recorded in one save.

Every read of a record is an event of its own (`View`), recorded before the read is answered.
One save per read would make every read wait for a commit of its own, each behind the
writers' lock; here a read hands its `RecordView` to the writer of its application and waits
until it is saved, and the writer saves what has gathered meanwhile (up to `BATCH`) in one
transaction. Nothing is answered before its read is on record. The writer stops with the web
application that started it (`stop_writer_for`, from its lifespan), after saving what was
handed to it.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from concurrent.futures import Future
from typing import Any
from weakref import WeakKeyDictionary

from domain.accounts import RecordView, View
from domain.application import Assured

BATCH = 500
WAIT_SECONDS = 30.0

_STOP: Any = object()
"""Handed to a writer to end it (`ViewWriter.stop`)."""
_WRITERS: WeakKeyDictionary[Assured, ViewWriter] = WeakKeyDictionary()
_LOCK = threading.Lock()


class ViewWriter:
    def __init__(self, app: Assured) -> None:
        self.app = app
        self.pending: queue.SimpleQueue[Any] = queue.SimpleQueue()
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

    def stop(self) -> None:
        """Save what was handed over so far, then end the thread."""
        self.pending.put(_STOP)
        self.thread.join(timeout=WAIT_SECONDS)

    def _write(self) -> None:
        stopping = False
        while not stopping:
            batch = []
            for item in (self.pending.get(), *_waiting(self.pending, BATCH - 1)):
                if item is _STOP:
                    stopping = True
                else:
                    batch.append(item)
            if not batch:
                continue
            try:
                self.app.record(*(view for view, _ in batch))
            except Exception as failure:  # noqa: BLE001 (each waiting read is told)
                for _, done in batch:
                    done.set_exception(failure)
            else:
                for _, done in batch:
                    done.set_result(None)


def _waiting(pending: queue.SimpleQueue[Any], most: int) -> list[Any]:
    """Up to `most` items already in the queue, without waiting for more."""
    found = []
    while len(found) < most:
        try:
            found.append(pending.get_nowait())
        except queue.Empty:
            break
    return found


def writer_for(app: Assured) -> ViewWriter:
    with _LOCK:
        writer = _WRITERS.get(app)
        if writer is None:
            writer = _WRITERS[app] = ViewWriter(app)
        return writer


def stop_writer_for(app: Assured) -> None:
    """Stop the application's writer, if it has one (a later read starts another)."""
    with _LOCK:
        writer = _WRITERS.pop(app, None)
    if writer is not None:
        writer.stop()
