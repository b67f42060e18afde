"""A person's command, sent to the process that must hear of it; and the process a new record
starts.

`workflows.routing` says which running workflow takes a command. The route sends the command
itself as that workflow's update; the workflow's answer carries the saved record's receipt, so
the route answers without reloading anything. A workflow that has ended (or never ran) takes no
update: the command then runs directly. While Temporal is unreachable, such commands answer 503:
going round a running process would leave it not knowing.
"""

from __future__ import annotations

import contextlib
import logging

from datetime import timedelta
from typing import Any

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.problems import Problem
from domain.commands import Command
from workflows.acting import REFUSALS, Acted
from workflows.routing import Route, start_for

UPDATE_TIMEOUT = timedelta(seconds=15)
REFUSED = frozenset({"ValueError", *REFUSALS})
"""How a process refuses a command: a validator's rule (`workflows.common.require`) or the
record's, carried from its activity (`workflows.acting.refusal_of`)."""

faults = logging.getLogger("assured.processes")


def update_failed(failed: WorkflowUpdateFailedError, workflow_id: str) -> Problem:
    """A refusal by a rule is a 409 that names it. Anything else is the process's own fault, a
    500: it is logged by kind (the message may quote a record) and the person is told their
    action was not taken, never that they broke a rule with no name."""
    cause = failed.cause
    if isinstance(cause, ApplicationError) and cause.type in REFUSED:
        return Problem(409, "Rule broken", cause.message, rule=cause.message,
                       workflow=workflow_id)
    kind = cause.type if isinstance(cause, ApplicationError) else type(cause).__name__
    faults.error("The process %s failed to take an action: %s", workflow_id, kind)
    return Problem(500, "Process failed", "The record's process could not take the action. "
                   "Check the record before trying again.", workflow=workflow_id)


async def send(client: Client, goal: Route, c: Command) -> Acted | None:
    """The process's answer; None when no such process is running. A refusal is a 409 that
    names the rule."""
    handle = client.get_workflow_handle(goal.workflow_id)
    try:
        acted: Acted = await handle.execute_update(goal.update, c, rpc_timeout=UPDATE_TIMEOUT)
    except WorkflowUpdateFailedError as failed:
        raise update_failed(failed, goal.workflow_id) from None
    except RPCError as failed:
        if failed.status == RPCStatusCode.NOT_FOUND:
            return None  # ended, or never started: the command runs directly
        if failed.status == RPCStatusCode.RESOURCE_EXHAUSTED:
            raise Problem(409, "Concurrent change", "The record's process is taking other "
                          "changes at this moment; nothing was recorded: try again.",
                          workflow=goal.workflow_id) from None
        raise Problem(503, "Process not answering",
                      "The process did not take the action in time (is the worker running?); "
                      "nothing was recorded by this request.", workflow=goal.workflow_id) from None
    return acted


async def start(client: Client, kind: str, record: Any, task_queue: str) -> str | None:
    """Start the process of a record just made; its workflow id, or None if it has none."""
    found = start_for(kind, record)
    if found is None:
        return None
    # The id is the record's: if it is taken, this record's process runs already (a retry).
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await client.start_workflow(found.run, found.argument, id=found.workflow_id,
                                    task_queue=task_queue)
    return found.workflow_id
