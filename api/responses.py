"""JSON answers written with orjson: FastAPI's generic encoder was a tenth of a read's cost."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


def _other(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


class FastJSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_other, option=orjson.OPT_NON_STR_KEYS)
