"""Operations staff's pages: the processes by type and state, with their overdue deadlines and
failing steps; one process in detail with a link into the Temporal UI; and retry, cancel or
terminate with a reason (recorded as an intervention).

The pages ask the API's own operations code (`api.routes.ops`): the same listing, the same
policy (only operations staff), the same interventions and the same refusals (a healthy process
is not retried; an ended one is not cancelled). Nothing personal is shown: workflow ids carry
record ids only.
"""

from __future__ import annotations

from typing import Any

from fastapi import Query, Request
from starlette.responses import RedirectResponse, Response

from api.problems import Problem
from api.routes import ops
from api.web import forms
from api.web.forms import Field, Filled
from api.web.pages.common import application
from api.web.routing import page_router
from api.web.session import Person
from api.web.templating import render, today

router = page_router()
TYPES = (("AppointmentWorkflow", "Safeguarder appointments"),
         ("SupervisionCadenceWorkflow", "Case supervision"),
         ("EscalationWorkflow", "Escalations"), ("RapidReviewWorkflow", "Rapid reviews"),
         ("AuditCycleWorkflow", "Audit cycles"), ("YearlyAuditWorkflow", "Yearly audit plans"))
STATES = (("running", "Running"), ("failed", "Failed"), ("completed", "Completed"),
          ("terminated", "Terminated"), ("canceled", "Cancelled"), ("timed_out", "Timed out"),
          ("continued_as_new", "Continued as new"))
ACTIONS = (("retry", "Retry what is failing"),
           ("cancel", "Cancel (the process may tidy up first)"),
           ("terminate", "Terminate at once"))
INTERVENE = {"retry": ops.retry, "cancel": ops.cancel, "terminate": ops.terminate}
DONE = {"retry": "The retry was made and recorded.",
        "cancel": "Cancellation was asked for and recorded.",
        "terminate": "The process was terminated, and the reason recorded."}
INTERVENTION = (
    Field("action", "What do you want to do?", kind="radios", options=ACTIONS,
          missing="Select what you want to do"),
    Field("reason", "Why?", kind="textarea", hint="The reason is recorded with the "
          "intervention. Do not include anyone's name.", missing="Enter why"),
)


@router.get("/app/processes")
async def processes(request: Request, who: Person, kind: str = Query("", alias="type"),
                    state: str = "", attention: str = "") -> Response:
    """Processes by type and state; optionally only those with something overdue or failing."""
    chosen_type = kind if kind in dict(TYPES) else ""
    chosen_state = state if state in dict(STATES) else ""
    lines = await ops.list_workflows(request, who, workflow_type=chosen_type or None,
                                     status=ops.State(chosen_state) if chosen_state else None,
                                     limit=200)
    needs = [line for line in lines if line.overdue or line.failing_activities
             or line.status == "failed"]
    shown = needs if attention == "yes" else lines
    return render(request, "processes.html", {
        "lines": shown, "types": TYPES, "states": STATES, "type_words": dict(TYPES),
        "state_words": dict(STATES), "chosen_type": chosen_type, "chosen_state": chosen_state,
        "attention": attention == "yes",
        "counts": {"overdue": sum(1 for line in lines if line.overdue),
                   "failing": sum(1 for line in lines if line.failing_activities
                                  or line.status == "failed")}}, block="results")


def _page(request: Request, detail: Any, filled: Filled, status: int = 200,
          done: str | None = None) -> Response:
    return render(request, "process.html", {
        "p": detail, "filled": filled, "type_words": dict(TYPES), "state_words": dict(STATES),
        "errors": bool(filled.errors), "banner": DONE.get(done or "")}, status=status)


@router.get("/app/processes/{workflow_id}")
async def process(request: Request, workflow_id: str, who: Person,
                  done: str | None = None) -> Response:
    """One process: its state, pending and failing steps, and a link into the Temporal UI."""
    detail = await ops.describe_workflow(request, workflow_id, who)
    return _page(request, detail, forms.blank(INTERVENTION), done=done)


@router.post("/app/processes/{workflow_id}")
async def intervene(request: Request, workflow_id: str, who: Person) -> Response:
    """Retry, cancel or terminate the process, with a reason."""
    detail = await ops.describe_workflow(request, workflow_id, who)
    filled = forms.read(INTERVENTION, await request.form(), today())
    if not filled.errors:
        body = ops.InterventionRequest(reason=filled.values["reason"])
        try:
            act = INTERVENE[filled.values["action"]]
            await act(request, workflow_id, body, application(request), who)
        except Problem as refused:
            if refused.status != 409:
                raise
            filled.refuse("action", refused.detail or refused.title)
        else:
            return RedirectResponse(f"/app/processes/{workflow_id}?done="
                                    f"{filled.values['action']}", 303)
    return _page(request, detail, filled, status=422)
