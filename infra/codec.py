"""Encryption of everything Temporal stores: workflow inputs, update arguments, results.

People's words travel through workflow updates (a concern's summary, a discussion's notes), and
Temporal keeps them in its history. The codec encrypts each payload with AES-GCM through the
same eventsourcing cipher (AES-256-GCM, `cryptography`) and key as the event store, so the
history is unreadable at rest.
Workflow ids and types stay readable; they carry record ids and codes only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from eventsourcing.cryptography import AESCipher
from eventsourcing.utils import Environment
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import (
    DataConverter,
    DefaultFailureConverterWithEncodedAttributes,
    PayloadCodec,
)

ENCODING = b"binary/encrypted"


class EncryptionCodec(PayloadCodec):
    def __init__(self, key: str) -> None:
        self.cipher = AESCipher(Environment(env={AESCipher.CIPHER_KEY: key}))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [Payload(metadata={"encoding": ENCODING},
                        data=self.cipher.encrypt(p.SerializeToString())) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        decoded = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCODING:
                decoded.append(payload)  # written before encryption was on, or by Temporal
                continue
            decoded.append(Payload.FromString(self.cipher.decrypt(payload.data)))
        return decoded


def data_converter(key: str) -> DataConverter:
    """Pydantic payloads (dates, dataclasses), encrypted with `key`."""
    return dataclasses.replace(
        pydantic_data_converter, payload_codec=EncryptionCodec(key),
        # Failure messages and stack traces are encoded as payloads, so they are encrypted too.
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes)
