"""Every page's router, in the order they are tried."""

from __future__ import annotations

from api.web.pages import (
    group_sessions,
    my_work,
    public,
    records,
    safeguarder_forms,
    safeguarders,
    sign_in,
    submissions,
)

PAGE_ROUTERS = [sign_in.router, my_work.router, safeguarders.router, safeguarder_forms.router,
                group_sessions.router, records.router, public.router,
                submissions.router]

# The practice review sub-group, supervision, operations and agencies (web-journeys).
from api.web.pages import agency, audits, cases, processes, reviews, scorecard  # noqa: E402

PAGE_ROUTERS += [reviews.router, audits.router, scorecard.router, agency.router, cases.router,
                 processes.router]

# Issue 12's processes: supervision arrangements, the partnership's assurance, leaders'
# self-evaluations (web-seed).
from api.web.pages import (  # noqa: E402
    arrangements,
    assurance,
    evaluations,
    mentoring,
    self_evaluations,
)

PAGE_ROUTERS += [arrangements.router, assurance.router, self_evaluations.router,
                 evaluations.router, mentoring.router]
