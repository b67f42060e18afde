"""Signed checkpoints of the chain's head, kept where the database cannot write.

A checkpoint follows RFC 9162's signed tree head: the log it is of, its size (the position of
the head), when it was made, and the head's hash, signed with Ed25519. The signed bytes are:

    assured event log checkpoint v1
    <log id>
    <size>
    <timestamp: milliseconds since 1970-01-01 UTC>
    <head hash, base64>

each line ending in a newline. Checkpoints are appended, one JSON object a line, to
`checkpoints.jsonl` in the checkpoint folder (`ASSURED_CHECKPOINT_DIR`; `<data folder>/checkpoints`
by default): outside the database, so no database role, the owner's included, can rewrite them
along with the log. Each names the key that signed it (`key_id`: the first 8 bytes of the
SHA-256 of the raw public key, hex), so keys can be rotated (README, "Integrity").
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from base64 import b64decode, b64encode
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PrivateFormat, PublicFormat
from cryptography.hazmat.primitives.serialization import NoEncryption

from infra.settings import Mode, Settings

log = logging.getLogger(__name__)

LOG_FILE = "checkpoints.jsonl"
KEY_FILE = "checkpoint.key"
_HEADER = "assured event log checkpoint v1"


@dataclass(frozen=True)
class Checkpoint:
    log_id: UUID
    size: int
    timestamp: datetime
    head: bytes
    key_id: str
    signature: bytes

    @staticmethod
    def message(log_id: UUID, size: int, timestamp: datetime, head: bytes) -> bytes:
        millis = round(timestamp.timestamp() * 1000)
        return (f"{_HEADER}\n{log_id}\n{size}\n{millis}\n"
                f"{b64encode(head).decode()}\n").encode()

    @classmethod
    def signed(cls, key: Ed25519PrivateKey, log_id: UUID, size: int, head: bytes,
               at: datetime) -> Checkpoint:
        at = datetime.fromtimestamp(round(at.timestamp() * 1000) / 1000, UTC)  # as it is kept
        return cls(log_id, size, at, head, key_id(key.public_key()),
                   key.sign(cls.message(log_id, size, at, head)))

    def verified_by(self, trusted: dict[str, Ed25519PublicKey]) -> bool:
        key = trusted.get(self.key_id)
        if key is None:
            return False
        try:
            key.verify(self.signature, self.message(self.log_id, self.size, self.timestamp,
                                                    self.head))
        except InvalidSignature:
            return False
        return True

    def as_json(self) -> str:
        return json.dumps({"log_id": str(self.log_id), "tree_size": self.size,
                           "timestamp": round(self.timestamp.timestamp() * 1000),
                           "head_hash": b64encode(self.head).decode(), "key_id": self.key_id,
                           "signature": b64encode(self.signature).decode()}, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Checkpoint:
        found = json.loads(line)
        return cls(UUID(found["log_id"]), int(found["tree_size"]),
                   datetime.fromtimestamp(found["timestamp"] / 1000, UTC),
                   b64decode(found["head_hash"]), str(found["key_id"]),
                   b64decode(found["signature"]))


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def new_key() -> tuple[str, str]:
    """A new signing key and its public key, each as base64 of its 32 raw bytes."""
    key = Ed25519PrivateKey.generate()
    return _private_text(key), public_text(key.public_key())


def public_text(key: Ed25519PublicKey) -> str:
    return b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def _private_text(key: Ed25519PrivateKey) -> str:
    return b64encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode()


def checkpoint_dir(settings: Settings) -> Path:
    return settings.checkpoint_dir or settings.data_dir / "checkpoints"


def signing_key(settings: Settings) -> Ed25519PrivateKey | None:
    """The key that signs checkpoints: `ASSURED_CHECKPOINT_KEY`, or on the embedded default
    one made under the data folder on first use. None in production without the setting
    (that process verifies but does not sign)."""
    if settings.checkpoint_key is not None:
        return Ed25519PrivateKey.from_private_bytes(
            b64decode(settings.checkpoint_key.get_secret_value()))
    if settings.mode == Mode.PRODUCTION:
        return None
    path = settings.data_dir / KEY_FILE
    if not path.exists():
        _private_folder(settings.data_dir)
        log.warning("Created a new checkpoint signing key at %s. Production sets "
                    "ASSURED_CHECKPOINT_KEY and publishes its public key to the auditors.", path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as key_file:
            key_file.write(new_key()[0])
    return Ed25519PrivateKey.from_private_bytes(b64decode(path.read_text().strip()))


def trusted_keys(settings: Settings) -> dict[str, Ed25519PublicKey]:
    """The public keys a checkpoint may be signed by: `ASSURED_CHECKPOINT_PUBLIC_KEYS`, and the
    signing key's own."""
    keys = [Ed25519PublicKey.from_public_bytes(b64decode(k))
            for k in settings.checkpoint_public_keys]
    signer = signing_key(settings)
    if signer is not None:
        keys.append(signer.public_key())
    return {key_id(k): k for k in keys}


class CheckpointLog:
    """The append-only file of checkpoints in one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOG_FILE

    def latest(self) -> Checkpoint | None:
        """The last checkpoint written (a torn last line, from a crash, is passed over)."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as kept:
            kept.seek(0, os.SEEK_END)
            kept.seek(max(0, kept.tell() - 8192))
            lines = kept.read().decode("utf-8", "replace").splitlines()
        for line in reversed(lines):
            try:
                return Checkpoint.from_json(line)
            except (ValueError, KeyError, TypeError):
                continue
        return None

    def append(self, checkpoint: Checkpoint) -> None:
        _private_folder(self.folder)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as kept:
            kept.write(checkpoint.as_json() + "\n")
            kept.flush()
            os.fsync(kept.fileno())


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
