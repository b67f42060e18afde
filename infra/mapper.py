"""The application's mapper, reading stored events as fast as the projection runner does.

Loading a record decodes each of its events; eventsourcing's mapper took most of a read's time
(bench/api_load.py). This one writes exactly as the library's does and reads with
`projections.decoding.EventDecoder`: one reused AES-GCM object, orjson, cached classes.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Mapper, MapperDeserialisationError, StoredEvent

from projections.decoding import EventDecoder


class FastMapper(Mapper[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decode = EventDecoder(self)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        try:
            return self._decode(stored_event.topic, stored_event.originator_id,
                                stored_event.originator_version, stored_event.state)
        except ValueError as damaged:  # a damaged or foreign ciphertext
            raise MapperDeserialisationError(
                f"Failed to deserialise stored event {stored_event.originator_id} "
                f"v{stored_event.originator_version}: {damaged}") from damaged
