-- Case chronology and supervision compliance (projections/case_supervision.py).
-- No child reference and no free text of needs, risks, plans or reasons: event types, codes,
-- dates and the people acting. The case record itself keeps the rest.

CREATE TABLE case_state (
    case_id uuid PRIMARY KEY,
    agency text NOT NULL,
    practitioner text NOT NULL,
    supervisor text NOT NULL,
    legal_status text NOT NULL,
    risk text NOT NULL,
    nation text NOT NULL,
    opened_on timestamptz NOT NULL,
    opened_date date NOT NULL,
    closed_on timestamptz,
    closed_date date,
    audits integer NOT NULL DEFAULT 0  -- audits that selected the case: the sub-group may read it
);
CREATE INDEX case_state_legal_status ON case_state (legal_status) WHERE closed_date IS NULL;

CREATE TABLE case_chronology (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    event_type text NOT NULL,
    occurred timestamptz NOT NULL,
    recorded timestamptz NOT NULL,
    actor text NOT NULL,
    summary text NOT NULL,
    item_id text,  -- a supervision record's discussion id, or its action id
    PRIMARY KEY (case_id, version)
);

CREATE TABLE case_discussion (
    case_id uuid NOT NULL,
    discussion_id text NOT NULL,
    version integer NOT NULL,
    held_on timestamptz NOT NULL,
    held_date date NOT NULL,
    supervisor text NOT NULL,
    supervisee text NOT NULL,
    rag text NOT NULL,
    actions_agreed integer NOT NULL,
    next_discussion_on date NOT NULL,
    next_discussion_limit date,
    signatures integer NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, discussion_id)
);
CREATE INDEX case_discussion_order ON case_discussion (case_id, held_on, version);

CREATE TABLE case_action (
    case_id uuid NOT NULL,
    action_id text NOT NULL,
    discussion_id text NOT NULL,
    owner text NOT NULL,
    due date NOT NULL,
    agreed_on timestamptz NOT NULL,
    status text NOT NULL,
    completed_on timestamptz,
    completed_date date,
    marked_overdue_on date,
    PRIMARY KEY (case_id, action_id)
);
CREATE INDEX case_action_due ON case_action (due);

CREATE TABLE case_drift_flag (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    drift_on date NOT NULL,
    flagged_on timestamptz NOT NULL,
    reasons text[] NOT NULL,
    PRIMARY KEY (case_id, version)
);
