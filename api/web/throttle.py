"""At most so many public submissions an hour from one address (the `limits` library, moving
window, kept in this process's memory: each API replica counts its own)."""

from __future__ import annotations

from limits import RateLimitItemPerHour
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class PublicThrottle:
    def __init__(self, per_hour: int) -> None:
        self.limit = RateLimitItemPerHour(per_hour)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, address: str) -> bool:
        """Count one submission from `address`; False once the hour's allowance is used."""
        return bool(self.limiter.hit(self.limit, "public-submission", address))
