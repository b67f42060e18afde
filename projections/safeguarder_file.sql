-- The Safeguarder's electronic file (seed 000), from projections/safeguarder_file.py.
-- Interview, assessment, session and mentoring notes stay in the record only. Names, contact
-- details and free text are bytea sealed with the store's key (projections/sealing.py).

-- The safeguarder directory and the file's details: one row per Safeguarder. The list of
-- Safeguarders, the caseload (caseload.sql) and the evidence pack (evidence_pack.sql) read
-- name, region, status, support manager, first appointment and current term from here.
CREATE TABLE safeguarder (
    safeguarder_id uuid PRIMARY KEY,
    name bytea NOT NULL,
    contact bytea NOT NULL,
    region text NOT NULL,
    status text NOT NULL,           -- domain.safeguarder_values.status_after
    support_manager text,
    applied_on timestamptz NOT NULL,
    first_appointed_on date,
    term_starts_on date,            -- the current term's
    term_ends_on date,
    review_opens_on date,
    mentor_id uuid,
    left_on timestamptz
);
CREATE INDEX safeguarder_status ON safeguarder (status);
CREATE INDEX safeguarder_support_manager ON safeguarder (support_manager);

CREATE TABLE safeguarder_term (
    safeguarder_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    review_opens_on date NOT NULL,
    decided_on timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, starts_on)
);

CREATE TABLE safeguarder_allocation (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    manager text NOT NULL,
    reason bytea NOT NULL,
    allocated_on timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

CREATE TABLE safeguarder_support_session (
    safeguarder_id uuid NOT NULL,
    session_id text NOT NULL,
    year integer NOT NULL,
    held_on timestamptz NOT NULL,
    held_by text NOT NULL,
    PRIMARY KEY (safeguarder_id, session_id)
);

CREATE TABLE safeguarder_sampled_report (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    report_ref text NOT NULL,
    session_id text NOT NULL,
    year integer NOT NULL,
    discussed_on timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

CREATE TABLE group_session (
    session_id uuid PRIMARY KEY,
    session_ref text NOT NULL,
    facilitator text NOT NULL,
    held_on date NOT NULL
);

CREATE TABLE safeguarder_group_session (
    safeguarder_id uuid NOT NULL,
    session_id uuid NOT NULL,
    year integer NOT NULL,
    recorded_on timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, session_id)
);

CREATE TABLE safeguarder_mentoring (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL,  -- 'mentor assigned' or 'mentoring session'
    mentor_id uuid NOT NULL,
    year integer,
    occurred_on timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

CREATE TABLE safeguarder_feedback (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    source text NOT NULL,
    tone text NOT NULL,
    summary bytea NOT NULL,
    received_on timestamptz NOT NULL,
    giver_id uuid,        -- the person who gave it (a data subject of their own), if known
    PRIMARY KEY (safeguarder_id, version)
);
CREATE INDEX safeguarder_feedback_giver ON safeguarder_feedback (giver_id);

CREATE TABLE safeguarder_concern (
    safeguarder_id uuid NOT NULL,
    concern_id text NOT NULL,
    about text NOT NULL,
    summary bytea NOT NULL,
    raised_on timestamptz NOT NULL,
    resolution bytea,
    resolved_on timestamptz,
    PRIMARY KEY (safeguarder_id, concern_id)
);

CREATE TABLE safeguarder_evidence (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    standard text NOT NULL,
    evidence bytea NOT NULL,
    recorded_on timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

-- The shortfalls the appointment process recorded at a year's end, with the year's counts then.
CREATE TABLE safeguarder_shortfall (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    year integer NOT NULL,
    sessions integer NOT NULL,
    sampled_reports integer NOT NULL,
    recorded_on timestamptz NOT NULL,
    PRIMARY KEY (safeguarder_id, version)
);

-- A shortfall withdrawn: facts dated within the year, entered after it ended, met it after all.
CREATE TABLE safeguarder_shortfall_withdrawal (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    year integer NOT NULL,
    withdrawn_on timestamptz NOT NULL,
    entered_late bytea NOT NULL,    -- which late entries met the year: sealed
    PRIMARY KEY (safeguarder_id, version)
);

-- Counts per appointment year; a year with nothing recorded has no row.
CREATE TABLE safeguarder_year (
    safeguarder_id uuid NOT NULL,
    year integer NOT NULL,
    sessions integer NOT NULL DEFAULT 0,
    sampled_reports integer NOT NULL DEFAULT 0,
    group_sessions integer NOT NULL DEFAULT 0,
    mentoring_sessions integer NOT NULL DEFAULT 0,
    shortfall_recorded boolean NOT NULL DEFAULT false,
    shortfall_withdrawn boolean NOT NULL DEFAULT false,  -- the recorded shortfall no longer stands
    PRIMARY KEY (safeguarder_id, year)
);
