"""A fixed-rate load generator, run by bench/api_load.py in a process of its own.

`open_loop.py URL command|read TOKEN IDS RATE SECONDS` sends RATE requests a second for SECONDS,
each at its due time whether or not earlier ones have been answered, and prints the achieved
rate, p50 and p99 in milliseconds, as JSON. Each latency counts from when the request was due,
so a stalled server shows in the figures (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time

import httpx


async def run(url: str, kind: str, token: str, ids: list[str], rate: int,
              seconds: int) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30,
                                 limits=limits) as client:
        async def one(n: int, due: float) -> None:
            nonlocal failures
            record = ids[n % len(ids)]
            if kind == "command":
                answer = await client.post(f"/safeguarders/{record}/record-performance-evidence",
                                           json={"standard": "PS-3", "evidence": "sampled"})
            else:
                answer = await client.get(f"/safeguarders/{record}")
            latencies.append(time.perf_counter() - due)
            failures += answer.status_code >= 300

        began, tasks = time.perf_counter(), []
        for n in range(rate * seconds):
            due = began + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(n, due)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"{failures} requests failed")
    cut = statistics.quantiles(latencies, n=100)
    return {"rate": len(latencies) / elapsed, "p50": cut[49] * 1000, "p99": cut[98] * 1000}


if __name__ == "__main__":
    url, kind, token, ids, rate, seconds = sys.argv[1:7]
    print(json.dumps(asyncio.run(run(url, kind, token, ids.split(","), int(rate),
                                     int(seconds)))))
