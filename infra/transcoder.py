"""The store's transcoder: eventsourcing's JSON transcoder, writing the same bytes with orjson.

The library's `JSONTranscoder` runs the standard library's encoder, which calls back into
Python for every value it cannot write itself (each datetime, date and UUID of an event) and
then encodes the text again as UTF-8: about 5 µs of a 15–30 µs mapping per event, paid for
every event of every save (bench/append.py). Here the values the transcodings handle are
replaced first, in one pass over the state, by the `{"_type_": …, "_data_": …}` objects the
library's encoder would write for them, and orjson writes the rest: the same bytes (tested in
tests/projections/test_transcoder.py against the library's encoder, hostile text included), read
by the library's decoder and by `projections.decoding.EventDecoder` alike.

Anything orjson would write differently from the standard library goes to the library's own
encoder, whole: floats (`1e-07` against `1e-7`), integers beyond 64 bits, dictionary keys that
are not strings, subclasses of list, tuple and dict, types no transcoding is registered for (the
library's error names them). Subclasses of str and int (the domain's bounded texts, enumerations)
are written as their base type, as the library's encoder writes them. Decoding is the
library's.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

_AS_IS = (str, int, bool, type(None))


class _NotPlain(Exception):
    """A value the library's encoder must write itself."""


class FastTranscoder(JSONTranscoder):
    def encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(self._plain(obj))
        except (_NotPlain, orjson.JSONEncodeError):
            return super().encode(obj)

    def _plain(self, value: Any) -> Any:
        """`value` with every transcoded value replaced by what the library writes for it."""
        kind = type(value)
        if kind in _AS_IS:
            return value
        if kind is dict:
            plain = self._plain
            out = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _NotPlain
                out[key] = item if type(item) is str else plain(item)
            return out
        if kind is list or kind is tuple:  # (the library's encoder writes a tuple as a list)
            return [self._plain(item) for item in value]
        if isinstance(value, (str, int)):  # subclasses (the domain's bounded texts, enums):
            return value  # json writes them as their base type, as orjson does, never transcoded
        transcoding = self.types.get(kind)
        if transcoding is None:
            raise _NotPlain
        return {"_type_": transcoding.name, "_data_": self._plain(transcoding.encode(value))}
