"""Forged, stale and misdirected tokens are 401 with a problem body, in both sign-in modes.

OIDC mode: an RSA key, its JWKS served over HTTP on the loopback by a tiny file server in a
thread, and the app built by `create_app` with OIDC settings; the forgeries here are made by
hand. A real provider's tokens, key rotation and a hanging provider: tests/api/test_oidc.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from jwt.algorithms import RSAAlgorithm

from api.app import create_app
from api.auth import (
    LOCAL_AUDIENCE,
    LOCAL_ISSUER,
    WITH_SECOND_FACTOR,
    Principal,
    issue_token,
    token_secret,
)
from infra.settings import Settings
from domain.accounts import Role
from domain.application import Assured
from tests.accounts import account_for, signed_in

ISSUER = "https://idp.example.test/realms/assured"
AUDIENCE = "assured-api"
KID = "assured-signing-1"
NEW_SAFEGUARDER = {"name": "Sam", "contact": {}, "region": "East"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _handmade(header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]
              ) -> str:
    """A JWT put together by hand, for signatures no library will make."""
    def encoded(part: dict[str, Any]) -> str:
        return _b64(json.dumps(part, default=lambda d: int(d.timestamp())).encode())

    signing_input = f"{encoded(header)}.{encoded(claims)}".encode()
    return f"{signing_input.decode()}.{_b64(sign(signing_input))}"


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _unauthorised(answer: Any) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == 401 and problem["title"]
    assert answer.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert "Traceback" not in answer.text


# --- an identity provider on the loopback ---------------------------------------------


@dataclass
class Provider:
    key: rsa.RSAPrivateKey
    url: str
    fetches: list[str] = field(default_factory=list)

    @property
    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(serialization.Encoding.PEM,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)

    def claims(self, **changes: Any) -> dict[str, Any]:
        now = datetime.now(UTC)
        claims = {"sub": "alex@example.test", "iss": ISSUER, "aud": AUDIENCE, "iat": now,
                  "exp": now + timedelta(minutes=5), "roles": ["panel_admin"],
                  "amr": ["pwd", "otp"]}
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    def token(self, key: Any = None, algorithm: str = "RS256", kid: str | None = KID,
              extra_headers: dict[str, Any] | None = None, **changes: Any) -> str:
        headers = {"kid": kid} if kid is not None else {}
        headers.update(extra_headers or {})
        return jwt.encode(self.claims(**changes), key if key is not None else self.key,
                          algorithm=algorithm, headers=headers)


@pytest.fixture
def provider() -> Iterator[Provider]:
    key = _new_key()
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid=KID, alg="RS256", use="sig")
    document = json.dumps({"keys": [jwk]}).encode()
    fetches: list[str] = []

    class JWKS(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches.append(self.path)
            if self.path != "/jwks.json":
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), JWKS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Provider(key, f"http://127.0.0.1:{server.server_port}/jwks.json", fetches)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def oidc_settings(provider: Provider, database_url: str, cipher_key: str, tmp_path: Path,
                  temporal: dict[str, object]) -> Settings:
    return Settings(database_url=database_url, encryption_key=cipher_key, data_dir=tmp_path,
                    auth_mode="oidc", oidc_issuer=ISSUER, oidc_audience=AUDIENCE,
                    oidc_jwks_url=provider.url, **temporal)  # type: ignore[arg-type]


@pytest.fixture
def oidc_client(oidc_settings: Settings, app: Assured) -> Iterator[TestClient]:
    with TestClient(create_app(oidc_settings, app), raise_server_exceptions=False) as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_signed_by_the_provider_gets_through(oidc_client: TestClient,
                                                     provider: Provider) -> None:
    made = oidc_client.post("/safeguarders", json=NEW_SAFEGUARDER,
                            headers=_bearer(provider.token()))
    assert made.status_code == 201, made.text
    assert provider.fetches == ["/jwks.json"], "the key must come from the provider's JWKS"
    read = oidc_client.get(f"/safeguarders/{made.json()['id']}",
                           headers=_bearer(provider.token()))
    assert read.status_code == 200 and read.json()["name"] == "Sam"
    assert read.json()["created_on"]


def test_the_role_and_region_come_from_the_claims(oidc_client: TestClient,
                                                  provider: Provider) -> None:
    made = oidc_client.post("/safeguarders", json=NEW_SAFEGUARDER,
                            headers=_bearer(provider.token()))
    assert made.status_code == 201, made.text
    manager = provider.token(roles=["support_manager"], region="East")
    assert oidc_client.get(f"/safeguarders/{made.json()['id']}",
                           headers=_bearer(manager)).status_code == 200
    elsewhere = provider.token(roles=["support_manager"], region="West")
    assert oidc_client.get(f"/safeguarders/{made.json()['id']}",
                           headers=_bearer(elsewhere)).status_code == 404
    # A bare string claim is one role; a role the organisation made up is not a role here.
    single = provider.token(roles="panel_admin")
    assert oidc_client.post("/safeguarders", json=NEW_SAFEGUARDER,
                            headers=_bearer(single)).status_code == 201
    assert oidc_client.post("/safeguarders", json=NEW_SAFEGUARDER,
                            headers=_bearer(provider.token(roles=["practitioner"]))
                            ).status_code == 403


def _hs_with_public_pem(provider: Provider) -> str:
    return _handmade({"alg": "HS256", "typ": "JWT", "kid": KID}, provider.claims(),
                     lambda data: hmac.new(provider.public_pem, data, hashlib.sha256).digest())


def _alg_none(provider: Provider) -> str:
    return _handmade({"alg": "none", "typ": "JWT", "kid": KID}, provider.claims(),
                     lambda data: b"")


def _embedded_jwk(provider: Provider) -> str:
    """The attacker's own key, offered in the header, with the real key's id."""
    attacker = _new_key()
    jwk = json.loads(RSAAlgorithm.to_jwk(attacker.public_key()))
    return provider.token(key=attacker, extra_headers={"jwk": jwk})


OIDC_ATTACKS: dict[str, Callable[[Provider], str]] = {
    "alg none": _alg_none,
    "alg none, no signature part": lambda p: _alg_none(p).rsplit(".", 1)[0] + ".",
    "HS256 signed with the RSA public key's PEM": _hs_with_public_pem,
    "signed by another key under the provider's key id": lambda p: p.token(key=_new_key()),
    "another key offered in the header": _embedded_jwk,
    "expired": lambda p: p.token(exp=datetime.now(UTC) - timedelta(minutes=1),
                                 iat=datetime.now(UTC) - timedelta(minutes=20)),
    "wrong audience": lambda p: p.token(aud="someone-else"),
    "wrong issuer": lambda p: p.token(iss="https://evil.example.test/"),
    "unknown key id": lambda p: p.token(kid="no-such-key"),
    "no key id, signed by another key": lambda p: p.token(key=_new_key(), kid=None),
    "a panel admin without a second factor": lambda p: p.token(amr=["pwd"]),
    "no expiry": lambda p: p.token(exp=None),
    "no subject": lambda p: p.token(sub=None),
    "no Assured role": lambda p: p.token(roles=["admin", "root"]),
    "no roles claim": lambda p: p.token(roles=None),
    "a claim of the wrong type": lambda p: p.token(roles=[{"role": "panel_admin"}]),
    "tampered payload": lambda p: _tampered(p.token(roles=["practitioner"])),
    "a local token": lambda p: jwt.encode(
        {**p.claims(), "iss": LOCAL_ISSUER, "aud": LOCAL_AUDIENCE, "role": "panel_admin"},
        "x" * 48, algorithm="HS256"),
    "garbage": lambda p: "not.a.token",
}


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["panel_admin"]
    return ".".join([header, _b64(json.dumps(claims).encode()), signature])


@pytest.mark.parametrize("attack", list(OIDC_ATTACKS))
def test_an_oidc_attack_is_401(attack: str, oidc_client: TestClient, provider: Provider
                               ) -> None:
    token = OIDC_ATTACKS[attack](provider)
    for method, path, body in (("POST", "/safeguarders", NEW_SAFEGUARDER),
                               ("GET", "/safeguarders/00000000-0000-0000-0000-000000000001",
                                None)):
        _unauthorised(oidc_client.request(method, path, json=body, headers=_bearer(token)))
    # The same app lets the genuine article through: the 401 was the token's doing.
    assert oidc_client.post("/safeguarders", json=NEW_SAFEGUARDER,
                            headers=_bearer(provider.token())).status_code == 201


def test_local_sign_in_is_off_in_oidc_mode(oidc_client: TestClient) -> None:
    answer = oidc_client.post("/auth/token", data={"username": "alex", "password": "x"})
    assert answer.status_code in (400, 401, 404)
    assert "access_token" not in answer.text


# --- local mode ----------------------------------------------------------------------------


def _local_claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims = {"sub": "alex", "role": "panel_admin", "region": None, "iss": LOCAL_ISSUER,
              "aud": LOCAL_AUDIENCE, "iat": now, "exp": now + timedelta(minutes=5)}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None or k == "region"}


LOCAL_ATTACKS: dict[str, Callable[[Settings], str]] = {
    "alg none": lambda s: _handmade({"alg": "none", "typ": "JWT"}, _local_claims(),
                                    lambda data: b""),
    "wrong secret": lambda s: jwt.encode(_local_claims(), "not-the-secret" * 4, "HS256"),
    "HS512 with the right secret": lambda s: jwt.encode(_local_claims(), token_secret(s),
                                                        "HS512"),
    "expired": lambda s: jwt.encode(
        _local_claims(exp=datetime.now(UTC) - timedelta(seconds=30),
                      iat=datetime.now(UTC) - timedelta(minutes=16)), token_secret(s), "HS256"),
    "RS256 token": lambda s: jwt.encode(_local_claims(), _new_key(), "RS256"),
    "wrong audience": lambda s: jwt.encode(_local_claims(aud="other"), token_secret(s), "HS256"),
    "wrong issuer": lambda s: jwt.encode(_local_claims(iss="other"), token_secret(s), "HS256"),
    "no expiry": lambda s: jwt.encode(_local_claims(exp=None), token_secret(s), "HS256"),
    "unknown role": lambda s: jwt.encode(_local_claims(role="superuser"), token_secret(s),
                                         "HS256"),
    "no role": lambda s: jwt.encode(_local_claims(role=None), token_secret(s), "HS256"),
    "tampered payload": lambda s: _tampered_local(issue_token(
        Principal("alex", Role.PRACTITIONER), s)),
    "empty bearer": lambda s: "",
}


def _tampered_local(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "panel_admin"
    return ".".join([header, _b64(json.dumps(claims).encode()), signature])


@pytest.mark.parametrize("attack", list(LOCAL_ATTACKS))
def test_a_local_attack_is_401(attack: str, client: TestClient, settings: Settings,
                               app: Assured) -> None:
    account_for(app, Principal("alex", Role.PANEL_ADMIN))  # the forgeries' name is real
    token = LOCAL_ATTACKS[attack](settings)
    for method, path, body in (("POST", "/safeguarders", NEW_SAFEGUARDER),
                               ("GET", "/safeguarders/00000000-0000-0000-0000-000000000001",
                                None)):
        _unauthorised(client.request(method, path, json=body, headers=_bearer(token)))
        # The same forgery as the web UI's cookie.
        client.cookies.set("assured_session", token)
        _unauthorised(client.request(method, path, json=body))
        client.cookies.clear()
    assert client.post("/safeguarders", json=NEW_SAFEGUARDER, headers=signed_in(
        app, settings, Principal("alex", Role.PANEL_ADMIN))).status_code == 201


def test_a_token_from_another_deployment_is_401(client: TestClient, settings: Settings,
                                                tmp_path: Path, app: Assured) -> None:
    account_for(app, Principal("alex", Role.PANEL_ADMIN))
    other = Settings(database_url=settings.database_url, encryption_key=settings.encryption_key,
                     data_dir=tmp_path / "elsewhere", temporal_address="127.0.0.1:1")
    token = issue_token(Principal("alex", Role.PANEL_ADMIN), other, amr=WITH_SECOND_FACTOR)
    _unauthorised(client.post("/safeguarders", json=NEW_SAFEGUARDER, headers=_bearer(token)))
