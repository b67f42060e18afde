"""How the API answers a process's failed update (`api.processes.update_failed`): a rule's
refusal is a 409 that names the rule; anything else is the process's fault, a 500 that names
no rule, logged by kind without the failure's words."""

from __future__ import annotations

import logging

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from api.processes import update_failed

WORKFLOW = "assurance-cycle-0000"


@pytest.mark.parametrize("kind", ["ValueError", "RuleBroken", "InputRefused", "RecordNotFound"])
def test_a_refusal_names_its_rule(kind: str) -> None:
    problem = update_failed(WorkflowUpdateFailedError(ApplicationError(
        "A published cycle takes no further changes", type=kind)), WORKFLOW)
    assert (problem.status, problem.title) == (409, "Rule broken")
    assert problem.extra == {"rule": "A published cycle takes no further changes",
                             "workflow": WORKFLOW}


@pytest.mark.parametrize("cause", [ApplicationError("Application error", type="AssertionError"),
                                   ApplicationError("Child C-1 of 12 Acacia Road", type="KeyError"),
                                   RuntimeError("Child C-1 of 12 Acacia Road")])
def test_any_other_failure_is_the_processs_fault_and_names_no_rule(
        cause: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="assured.processes"):
        problem = update_failed(WorkflowUpdateFailedError(cause), WORKFLOW)
    assert (problem.status, problem.title) == (500, "Process failed")
    assert "rule" not in problem.extra and "Acacia" not in problem.detail
    [logged] = caplog.records
    assert WORKFLOW in logged.getMessage() and "Acacia" not in logged.getMessage()
