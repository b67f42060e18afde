"""The OpenID Connect provider's signing keys, kept fresh off the request path.

PyJWT's `PyJWKClient` fetched on the request's own thread, behind a lock, with a 30 s timeout,
for every `kid` it did not know (so forged tokens with random kids stalled every request while
the provider hung), and kept a key it had once seen for the life of the process (so a key the
provider removed stayed valid). Here instead:

- one thread of its own fetches the JWKS: at start, every half of `max_age`, and when a token
  names a kid the set does not hold (at most once per `min_refresh`); each fetch has a short
  `timeout`, and there is never more than one in flight;
- a request never waits on the provider: a known key answers from memory, an unknown kid is
  refused at once (its refresh is asked for, rate-limited, and runs on that thread);
- the whole set is replaced by each successful fetch, and a set older than `max_age` (no
  successful fetch since) is not used: a key removed from the provider's JWKS stops working
  within that bound, and while the provider is unreachable for longer, sign-in fails closed;
- a token without a kid is accepted only while the set holds exactly one signing key of its
  algorithm's type (OpenID Connect Core 1.0, section 10.1).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import jwt

log = logging.getLogger("assured.auth")

KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}
LARGEST_JWKS = 1024 * 1024


class UnknownKey(Exception):
    """No fresh key of the provider's answers for this token."""


def key_type(algorithm: str) -> str:
    return KEY_TYPES.get(algorithm[:2], "")


@dataclass(frozen=True)
class KeySet:
    by_kid: dict[str, jwt.PyJWK] = field(default_factory=dict)
    unnamed: tuple[jwt.PyJWK, ...] = ()
    fetched_at: float = float("-inf")  # time.monotonic() of the fetch

    @classmethod
    def parse(cls, document: dict[str, Any], fetched_at: float) -> KeySet:
        by_kid: dict[str, jwt.PyJWK] = {}
        unnamed = []
        for entry in document.get("keys", []):
            if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
                continue
            try:
                key = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                continue  # a key of a type or algorithm this server cannot use
            if key.key_id:
                by_kid[key.key_id] = key
            else:
                unnamed.append(key)
        return cls(by_kid, tuple(unnamed), fetched_at)

    def signing_keys(self, algorithm: str) -> list[jwt.PyJWK]:
        wanted = key_type(algorithm)
        return [k for k in (*self.by_kid.values(), *self.unnamed) if k.key_type == wanted]


class ProviderKeys:
    """The provider's current keys, refreshed by a thread of their own (`start`, `stop`)."""

    def __init__(self, url: str, *, timeout: float, max_age: float,
                 min_refresh: float) -> None:
        self.url, self.timeout = url, timeout
        self.max_age, self.min_refresh = max_age, min_refresh
        self.keys = KeySet()
        self.fetched = threading.Event()  # set once a fetch has succeeded
        self.attempts = 0  # fetches begun (what a flood of unknown kids may not multiply)
        self._wake, self._stop = threading.Event(), threading.Event()
        self._last_asked = float("-inf")
        self._asking = threading.Lock()
        self._thread: threading.Thread | None = None

    # --- what a request asks ----------------------------------------------------------------

    def key_for(self, kid: str | None, algorithm: str) -> Any:
        """The public key that should have signed a token with this header; UnknownKey if no
        fresh key answers (an unknown kid also asks, rate-limited, for a refresh)."""
        keys = self.keys
        if time.monotonic() - keys.fetched_at > self.max_age:
            self.refresh_soon()
            raise UnknownKey("the provider's keys are too old")
        if kid is None:
            candidates = keys.signing_keys(algorithm)
            if len(candidates) != 1:
                raise UnknownKey("a token without a kid, and not exactly one key")
            return candidates[0].key
        found = keys.by_kid.get(kid)
        if found is None or found.key_type != key_type(algorithm):
            self.refresh_soon()
            raise UnknownKey("unknown kid")
        return found.key

    def holds(self, kid: str | None, algorithm: str) -> bool:
        """Whether the key that checked a token is still current (for remembered tokens)."""
        try:
            self.key_for(kid, algorithm)
        except UnknownKey:
            return False
        return True

    def refresh_soon(self) -> None:
        """Ask the fetching thread for a refresh, at most once per `min_refresh` seconds."""
        with self._asking:
            now = time.monotonic()
            if now - self._last_asked < self.min_refresh:
                return
            self._last_asked = now
        self._wake.set()

    # --- the fetching thread ----------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="oidc-jwks", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(self.timeout + 1)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self.fetch()
            self._wake.wait(self.max_age / 2)

    def fetch(self) -> bool:
        """One fetch of the JWKS; the set is replaced only by a successful one."""
        self.attempts += 1
        try:
            request = urllib.request.Request(self.url, headers={"Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                document = json.loads(answer.read(LARGEST_JWKS))
            self.keys = KeySet.parse(document, time.monotonic())
        except Exception as failure:  # noqa: BLE001 (any failure: keep the old set, log it)
            log.warning("Fetching the provider's keys failed: %s", type(failure).__name__)
            return False
        self.fetched.set()
        return True
