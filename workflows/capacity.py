"""How much the worker takes on at once (settings `ASSURED_WORKER_*`, README's table).

Most of Assured's workflows spend months asleep between two steps: an appointment waits years
for its next stage, a cadence months for its next visit. Keeping a sleeping workflow in the
worker's sticky cache saves nothing but one replay of its (short) history when it next wakes,
and costs about a third of a MiB each, so the cache is sized for the workflows that are busy at
one time, not for every open one (the SDK's default is 1,000, which the soak filled in ten
minutes: docs/benchmarks.md, Soak).

A workflow task has 10 s from the moment the worker takes it; one the worker has taken but not
run in that time times out, and a workflow task that keeps timing out is retried by the server
with a backoff that grows to 10 minutes. Tasks still on the server's queue have no such
deadline, so the worker takes only what it can run promptly (the SDK's default is 100 at once,
with 100 activities on 8 threads): the rest wait on the server (docs/benchmarks.md, Workflows).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capacity:
    cached_workflows: int = 100
    """Workflows kept in memory between their tasks; the least recently used is evicted (and
    replayed from its history at its next task)."""
    workflow_tasks: int = 16
    """Workflow tasks the worker holds at once (at most `cached_workflows`)."""
    workflow_polls: int = 10
    """Polls for workflow tasks open at once, half on the task queue (where new workflows' first
    tasks come) and half on the worker's sticky queue (the SDK's default, 5 with a fifth on the
    task queue, left new workflows' tasks waiting seconds for its one poller)."""
    activities: int = 8
    """Threads for activities, and the most activities (and local activities) taken at once."""

    def __post_init__(self) -> None:
        if self.cached_workflows and not 2 <= self.workflow_tasks <= self.cached_workflows:
            raise ValueError("the worker's workflow tasks at once must be at least 2 and at "
                             "most its cached workflows")
        if self.workflow_polls < 2:
            raise ValueError("the worker needs at least two workflow task polls")
        if self.activities < 1:
            raise ValueError("the worker needs at least one activity thread")
