"""The store's infrastructure factory: eventsourcing's PostgreSQL one, whose mapper also seals
each data subject's personal fields with the subject's own key (infra/subject_keys.py).

`SUBJECT_KEYS=off` in the application's environment leaves personal fields under the master
key alone (bench/append.py measures the difference); the default is on.
"""

from __future__ import annotations

from base64 import b64decode
from typing import Any

from eventsourcing.persistence import Mapper, Transcoder
from eventsourcing.postgres import PostgresFactory

from infra.subject_keys import SubjectKeys

SUBJECT_KEYS = "SUBJECT_KEYS"


class Factory(PostgresFactory):
    def mapper(self, transcoder: Transcoder | None = None,
               mapper_class: type[Mapper[Any]] | None = None) -> Mapper[Any]:
        mapper = super().mapper(transcoder=transcoder, mapper_class=mapper_class)
        key = self.env.get("CIPHER_KEY")
        attach = getattr(mapper, "attach_subject_keys", None)
        if key and attach is not None and self.env.get(SUBJECT_KEYS, "on") != "off":
            attach(SubjectKeys(self.datastore, b64decode(key),
                               f"{self.env.name.lower()}_snapshots", mapper.transcoder))
        return mapper
