"""Sign-in throttling, shared by every replica (rows in PostgreSQL).

A sign-in is refused (429, before the password is checked) when, within the window
(`ASSURED_SIGN_IN_WINDOW_SECONDS`), the name has failed `ASSURED_SIGN_IN_ATTEMPTS` times from
anywhere, or the address has failed `ASSURED_SIGN_IN_ADDRESS_ATTEMPTS` times across any names.
A locked name unlocks by itself when its failures leave the window; the panel team can unlock
it sooner (`POST /accounts/{username}/unlock`, `assured users unlock`). A success clears the
failures of that name from that address only: an attacker's failures elsewhere still count.

The address is the peer's, unless the peer is one of `ASSURED_TRUSTED_PROXIES`: then it is the
nearest `X-Forwarded-For` hop that is not a trusted proxy. A client's own `X-Forwarded-For` is
ignored. Names and addresses are stored and logged as hashes only (a name typed at sign-in may
be someone's password).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from collections.abc import Sequence

from fastapi import Request

from domain.application import Assured
from infra.settings import Settings

log = logging.getLogger("assured.auth")

DDL = """
CREATE TABLE IF NOT EXISTS api_sign_in_failure (
    name_ref text NOT NULL,
    address_ref text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS api_sign_in_failure_name ON api_sign_in_failure (name_ref, failed_at);
CREATE INDEX IF NOT EXISTS api_sign_in_failure_address
    ON api_sign_in_failure (address_ref, failed_at);
"""


def ref(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


class Networks:
    def __init__(self, trusted: Sequence[str]) -> None:
        self.networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def trusts(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


def client_address(request: Request, proxies: Networks) -> str:
    """Who is signing in: the peer, or behind a trusted proxy the hop it forwarded for."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if not forwarded or not proxies.trusts(peer):
        return peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not proxies.trusts(hop):
            return hop
    return hops[0] if hops else peer


class SignInThrottle:
    def __init__(self, app: Assured, settings: Settings) -> None:
        self.app = app
        self.per_name, self.per_address = (settings.sign_in_attempts,
                                           settings.sign_in_address_attempts)
        self.window = settings.sign_in_window_seconds
        self.proxies = Networks(settings.trusted_proxies)
        with self._cursor() as curs:
            curs.execute(DDL)

    def _cursor(self):  # type: ignore[no-untyped-def]
        return self.app.recorder.datastore.transaction(commit=True)  # type: ignore[attr-defined]

    def address(self, request: Request) -> str:
        return client_address(request, self.proxies)

    def blocked(self, username: str, address: str) -> str | None:
        """Why a sign-in is refused now ("name" or "address"), or None."""
        with self._cursor() as curs:
            curs.execute(
                "SELECT count(*) FILTER (WHERE name_ref = %(name)s) AS by_name, "
                "count(*) FILTER (WHERE address_ref = %(address)s) AS by_address "
                "FROM api_sign_in_failure "
                "WHERE failed_at > now() - make_interval(secs => %(window)s) "
                "AND (name_ref = %(name)s OR address_ref = %(address)s)",
                {"name": ref(username), "address": ref(address), "window": self.window})
            counts = curs.fetchone()  # the store's cursors answer dictionaries
        if counts["by_address"] >= self.per_address:
            return "address"
        return "name" if counts["by_name"] >= self.per_name else None

    def failed(self, username: str, address: str) -> None:
        name_ref = ref(username)
        with self._cursor() as curs:
            curs.execute("DELETE FROM api_sign_in_failure "
                         "WHERE failed_at < now() - make_interval(secs => %s)", (self.window,))
            curs.execute("INSERT INTO api_sign_in_failure (name_ref, address_ref) VALUES (%s, %s)",
                         (name_ref, ref(address)))
        log.warning("Failed sign-in (name ref %s, address ref %s)", name_ref[:16],
                    ref(address)[:16])

    def succeeded(self, username: str, address: str) -> None:
        with self._cursor() as curs:
            curs.execute("DELETE FROM api_sign_in_failure WHERE name_ref = %s AND address_ref = %s",
                         (ref(username), ref(address)))

    def unlock(self, username: str, by: str) -> None:  # by: the role that unlocked it
        """Forget the name's failures: its owner may sign in again at once."""
        with self._cursor() as curs:
            curs.execute("DELETE FROM api_sign_in_failure WHERE name_ref = %s", (ref(username),))
        log.warning("Sign-in unlocked (name ref %s) by a %s", ref(username)[:16], by)
