"""TLS to a Temporal cluster (infra/temporal.py::tls_config): off without any TLS setting; the
system's CAs with `ASSURED_TEMPORAL_TLS` alone; the files' bytes for a private CA and mutual
TLS; a client certificate without its key refused when the settings are read. (The Temporal
dev server has no TLS, so the handshake itself is not exercised here.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from temporalio.service import TLSConfig

from infra.settings import Settings
from infra.temporal import tls_config


def test_plain_connection_without_any_tls_setting() -> None:
    assert tls_config(Settings()) is False


def test_tls_alone_trusts_the_system_s_certificate_authorities() -> None:
    assert tls_config(Settings(temporal_tls=True)) == TLSConfig()


def test_mutual_tls_reads_the_ca_the_certificate_and_the_key(tmp_path: Path) -> None:
    for name in ("ca", "cert", "key"):
        (tmp_path / f"{name}.pem").write_bytes(f"-----{name}-----\n".encode())
    settings = Settings(temporal_tls_ca=tmp_path / "ca.pem", temporal_tls_cert=tmp_path / "cert.pem",
                        temporal_tls_key=tmp_path / "key.pem",
                        temporal_tls_server_name="temporal-frontend")
    assert tls_config(settings) == TLSConfig(
        server_root_ca_cert=b"-----ca-----\n", client_cert=b"-----cert-----\n",
        client_private_key=b"-----key-----\n", domain="temporal-frontend")


def test_a_client_certificate_without_its_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="ASSURED_TEMPORAL_TLS_KEY"):
        Settings(temporal_tls_cert=tmp_path / "cert.pem")
