"""My work, for every role: what the processes ask of the person now (api/web/my_work.py)."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from api.web.my_work import READ_MODELS, Sources, items_for
from api.web.pages.common import cipher, policy, reading
from api.web.routing import page_router
from api.web.session import Person
from api.web.templating import render, today

router = page_router()


@router.get("/app/my-work")
def my_work(request: Request, who: Person) -> Response:
    """What is asked of the signed-in person now."""
    with reading(request, READ_MODELS) as conn:
        items = items_for(who, Sources(conn, cipher(request), policy(request), today()))
    return render(request, "my_work.html", {"items": items,
                                            "overdue": sum(i.overdue for i in items)})
