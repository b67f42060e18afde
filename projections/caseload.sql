-- The support manager's caseload (projections/caseload.py): per Safeguarder, the dates the
-- appointment workflow set and what has been done against them. Who the Safeguarder is (name,
-- region, status, support manager, term) is in the safeguarder directory (safeguarder_file.sql).

CREATE TABLE caseload_safeguarder (
    safeguarder_id uuid PRIMARY KEY,
    review_opened_on date,
    allocation_due date,          -- step 'allocation requested' (its reminder date), or its reminder
    recommendation_due date,      -- step 're-appointment review opened', its reminder, escalation
    recommended_on date,
    mentoring_due date[],         -- step 'peer mentoring due dates set'
    mentoring_sessions integer NOT NULL DEFAULT 0,  -- in the first appointment year
    open_concerns integer NOT NULL DEFAULT 0,
    stage text,                   -- the latest step of the appointment workflow
    stage_on date
);

-- Each appointment year: its due dates (step 'support due dates set') and what was recorded.
CREATE TABLE caseload_year (
    safeguarder_id uuid NOT NULL,
    year integer NOT NULL,
    due_on date,                  -- the support session's
    reports_due_on date,          -- the sampled reports'
    reminded_on date,
    sessions integer NOT NULL DEFAULT 0,
    sampled_reports integer NOT NULL DEFAULT 0,
    outcome text,                 -- 'met' or 'shortfall recorded' when the year closed;
                                  -- 'shortfall withdrawn' once late entries met it
    escalated_on date,
    PRIMARY KEY (safeguarder_id, year)
);

-- Every workflow step on a Safeguarder's record: the step's name and the date it set, if any.
CREATE TABLE caseload_step (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    process text NOT NULL,
    step text NOT NULL,
    occurred_on timestamptz NOT NULL,
    due_on date,
    PRIMARY KEY (safeguarder_id, version)
);
