-- The facts the quarterly scorecard counts (projections/scorecard.py, measures.py): dates and
-- codes only, except the leads' narratives, which are sealed (bytea) with the store's key.

CREATE TABLE scorecard_safeguarder (
    safeguarder_id uuid PRIMARY KEY,
    first_appointed_on date,
    left_on date,
    mentor_assigned_on date
);

-- Peer mentoring (seed 000): each session by appointment year; the mentors and when each was
-- accredited or withdrawn; when the programme began (its targets count from then).
CREATE TABLE scorecard_mentoring (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    year integer NOT NULL,
    held_on date NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

CREATE TABLE scorecard_mentor (
    mentor_id uuid PRIMARY KEY,
    accredited_on date,
    withdrawn_on date
);

CREATE TABLE scorecard_programme (
    programme_id uuid PRIMARY KEY,
    starts_on date NOT NULL
);

-- Supervisees' evaluations of their supervision (seed 003, Appendix I): the agency, the date
-- and the answers' codes only, comma-separated in the tool's order (no name, no free text);
-- the partnership sees counts only from five answers.
CREATE TABLE scorecard_evaluation (
    evaluation_id uuid PRIMARY KEY,
    agency text NOT NULL,
    answered_on date NOT NULL,
    answers text NOT NULL
);
CREATE INDEX scorecard_evaluation_on ON scorecard_evaluation (answered_on);

-- The forward plan's activities (seed 004): each cycle's due date, and when it was done.
CREATE TABLE scorecard_plan_due (
    plan_id uuid NOT NULL,
    activity text NOT NULL,
    cycle integer NOT NULL,
    set_on date NOT NULL,  -- when this due date was set (the item added, or last done)
    due_on date NOT NULL,
    done_on date,
    PRIMARY KEY (plan_id, activity, cycle)
);

CREATE TABLE scorecard_term (
    safeguarder_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    review_opens_on date NOT NULL,
    PRIMARY KEY (safeguarder_id, starts_on)
);

-- Individual support sessions ('session') and sampled reports ('report'), by appointment year:
-- when each was held (its date) and when it was entered (the event's timestamp).
CREATE TABLE scorecard_support (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL,
    year integer NOT NULL,
    held_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);
CREATE INDEX scorecard_support_year ON scorecard_support (safeguarder_id, year);

CREATE TABLE scorecard_recommendation (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    recommended_on date NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

CREATE TABLE scorecard_feedback (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    source text NOT NULL,
    tone text NOT NULL,
    received_on date NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

-- A serious incident's statutory steps: the Panel notification and the rapid review, when each
-- was done (its date) and entered (the event's timestamp); a missed deadline recorded, and
-- withdrawn when the step, entered late, was dated within it.
CREATE TABLE scorecard_statutory (
    review_id uuid NOT NULL,
    step text NOT NULL,
    due_on date NOT NULL,
    done_on date,
    recorded_at timestamptz,
    breach_recorded_on date,
    breach_withdrawn_on date,
    PRIMARY KEY (review_id, step)
);

CREATE TABLE scorecard_review (
    review_id uuid PRIMARY KEY,
    review_type text NOT NULL,
    referred_on date NOT NULL,
    closed_on date
);

CREATE TABLE scorecard_review_recommendation (
    review_id uuid NOT NULL,
    recommendation_id text NOT NULL,
    due_on date NOT NULL,
    completed_on date,
    PRIMARY KEY (review_id, recommendation_id)
);

CREATE TABLE scorecard_audit (
    audit_id uuid PRIMARY KEY,
    returns_due date NOT NULL,
    planned_on date NOT NULL,
    closed_on date
);

CREATE TABLE scorecard_return (
    audit_id uuid NOT NULL,
    agency text NOT NULL,
    submitted_on date,
    PRIMARY KEY (audit_id, agency)
);

CREATE TABLE scorecard_case (
    case_id uuid PRIMARY KEY,
    nation text NOT NULL,
    opened_on date NOT NULL,
    closed_on date
);

-- The legal status from each date on (the opening's, then each change).
CREATE TABLE scorecard_case_status (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    legal_status text NOT NULL,
    from_on date NOT NULL,
    PRIMARY KEY (case_id, version)
);

CREATE TABLE scorecard_discussion (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    held_on date NOT NULL,
    rag text NOT NULL,
    PRIMARY KEY (case_id, version)
);
CREATE INDEX scorecard_discussion_case ON scorecard_discussion (case_id, held_on);

CREATE TABLE scorecard_drift (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    flagged_on date NOT NULL,
    PRIMARY KEY (case_id, version)
);

-- Concerns about a case's plan (seed 003's ladder): the highest stage reached, and resolution.
CREATE TABLE scorecard_concern (
    case_id uuid NOT NULL,
    concern_id text NOT NULL,
    raised_on date NOT NULL,
    stage integer NOT NULL DEFAULT 1,
    resolved_on date,
    PRIMARY KEY (case_id, concern_id)
);

CREATE TABLE scorecard_narrative (
    narrative_id uuid PRIMARY KEY,
    quarter text NOT NULL,
    measure text NOT NULL,
    text bytea NOT NULL,
    lead text NOT NULL,
    written_on timestamptz NOT NULL,
    UNIQUE (quarter, measure)
);
