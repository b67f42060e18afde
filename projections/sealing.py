"""Free text and personal details in read tables, sealed with the event store's key.

Read tables sit in the same database as the events, which are encrypted at rest; a summary or a
Safeguarder's name copied into a read table in plaintext would undo that. So handlers seal such
values (`page.seal(...)`, bytea columns) and the query functions open them with the store's
cipher (`app.mapper.cipher`: the bytes are in its layout, nonce + tag + ciphertext, AES-GCM on
the same key). Codes, dates, ids, counts and usernames stay plain: they are what filters use.

A rebuild must write the very bytes that following wrote (a rebuilt table is compared with the
followed one), so sealing is deterministic: the nonce is an HMAC, under a key derived from the
store's key, of where the value comes from (its context: the event's originator id, version and
field) and of the value itself. The same text in the same place seals to the same bytes;
the same text anywhere else seals to different bytes, so equal values cannot be matched up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Cipher

from domain.subjects import ERASED

Seal = Callable[..., bytes | None]
"""`seal(text, *context)`: the sealed bytes of `text` (None stays None)."""

_NONCE_LABEL = b"assured read tables: nonces v1"


class FieldCipher:
    """Seals read-table values with the store's AES key (deterministic nonces, see above)."""

    def __init__(self, key: bytes) -> None:
        self._aesgcm = AESGCM(key)
        self._nonce_key = hmac.new(key, _NONCE_LABEL, hashlib.sha256).digest()

    @classmethod
    def of(cls, app: Any) -> FieldCipher | None:
        """The cipher for `app`'s store, or None when the store is not encrypted."""
        key = getattr(getattr(app.mapper, "cipher", None), "key", None)
        return cls(key) if key else None

    def seal(self, text: str | None, *context: object) -> bytes | None:
        if text is None:
            return None
        plaintext = text.encode("utf-8")
        where = "\x1f".join(str(part) for part in context).encode("utf-8")
        nonce = hmac.digest(self._nonce_key, where + b"\x00" + plaintext, "sha256")[:12]
        sealed = self._aesgcm.encrypt(nonce, plaintext, None)
        return nonce + sealed[-16:] + sealed[:-16]  # the store's layout: nonce, tag, ciphertext

    def decrypt(self, ciphertext: bytes) -> bytes:
        nonce, tag, encrypted = ciphertext[:12], ciphertext[12:28], ciphertext[28:]
        return self._aesgcm.decrypt(nonce, encrypted + tag, None)


def refuse_to_seal(text: str | None, *context: object) -> bytes | None:
    """The seal of a store without a key: nothing free-text may reach a read table."""
    raise RuntimeError("The event store has no encryption key, so read tables cannot keep "
                       "free text or personal details (set ASSURED_ENCRYPTION_KEY)")


def sealed(page: Any, event: Any, field: str, text: Any = None) -> bytes | None:
    """The event's `field` (or `text` taken from it, e.g. one item of a list named by `field`),
    sealed on `page` in the event's own place."""
    value = getattr(event, field) if text is None else text
    if value == ERASED:  # the same bytes whether read so at first or erased later (erasure.py)
        return erased(page)
    return page.seal(value, event.originator_id, event.originator_version, field)


def erased(page: Any) -> bytes | None:
    """An erased text as a read table keeps it: one sealed value, in no event's place."""
    return page.seal(ERASED, ERASED)


def seal_json(seal: Seal, value: Any, *context: object) -> bytes | None:
    """Seal a JSON value (a contact's details, a list of findings)."""
    return seal(json.dumps(value, sort_keys=True, default=str), *context)


def unseal(cipher: Cipher | FieldCipher, data: bytes | memoryview | None) -> str | None:
    """The text sealed in `data` (None stays None)."""
    if data is None:
        return None
    return cipher.decrypt(bytes(data)).decode("utf-8")


def unseal_json(cipher: Cipher | FieldCipher, data: bytes | memoryview | None) -> Any:
    text = unseal(cipher, data)
    return None if text is None else json.loads(text)


def unseal_row(cipher: Cipher | FieldCipher, row: dict[str, Any],
               *columns: str) -> dict[str, Any]:
    """`row` with `columns` opened (in place, returned for convenience)."""
    for column in columns:
        if column in row:
            row[column] = unseal(cipher, row[column])
    return row
