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

from datetime import timedelta
from typing import Any

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.problems import Problem
from domain.commands import Command
from workflows.acting import Acted
from workflows.routing import Route, start_for

UPDATE_TIMEOUT = timedelta(seconds=15)


async def send(client: Client, goal: Route, c: Command) -> Acted | None:
    """The process's answer; None when no such process is running. A refusal is a 409 that
    names the rule."""
    handle = client.get_workflow_handle(goal.workflow_id)
    try:
        acted: Acted = await handle.execute_update(goal.update, c, rpc_timeout=UPDATE_TIMEOUT)
    except WorkflowUpdateFailedError as refused:
        rule = str(refused.cause.message if refused.cause else refused)
        raise Problem(409, "Rule broken", rule, rule=rule, workflow=goal.workflow_id) from None
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
