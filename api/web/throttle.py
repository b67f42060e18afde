"""At most so many public submissions an hour from one address (the `limits` library, moving
window, kept in this process's memory: each API replica counts its own). The address is the
connection's: behind a proxy, run uvicorn with --proxy-headers so it is the sender's."""

from __future__ import annotations

from limits import RateLimitItemPerHour
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class PublicThrottle:
    def __init__(self, per_hour: int) -> None:
        self.limit = RateLimitItemPerHour(per_hour)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, address: str) -> bool:
        """Whether `address` may send one more submission this hour."""
        return bool(self.limiter.test(self.limit, "public-submission", address))

    def count(self, address: str) -> None:
        """Count a submission recorded from `address` (a refused form, put right and sent
        again, is not counted twice)."""
        self.limiter.hit(self.limit, "public-submission", address)
