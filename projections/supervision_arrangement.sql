-- Supervision arrangements (projections/supervision_arrangement.py): who, when, what is due
-- or owed. Codes, dates and usernames only: no agenda, no issue, no evaluation answer.

CREATE TABLE arrangement (
    arrangement_id uuid PRIMARY KEY,
    agency text NOT NULL,
    supervisor text NOT NULL,
    supervisee text NOT NULL,
    line_manager text NOT NULL,
    safeguarding_lead text NOT NULL,
    nation text NOT NULL,  -- whose working days its deadlines are counted in
    contact text NOT NULL,
    frequency text NOT NULL,
    made_on date NOT NULL,
    review_on date NOT NULL,
    review_overdue_since date,
    signatures integer NOT NULL DEFAULT 0,
    sessions integer NOT NULL DEFAULT 0,
    last_session_on date,
    ended_on date
);

CREATE TABLE arrangement_missed (
    arrangement_id uuid NOT NULL,
    period_ends_on date NOT NULL,
    requirement text NOT NULL,
    escalated_to text NOT NULL,
    PRIMARY KEY (arrangement_id, period_ends_on)
);

-- Required actions a confidentiality marking opened (seed 002): level 1 (report, due within a
-- working day, escalated if not reported) and level 2 (the line manager's).
CREATE TABLE arrangement_action (
    arrangement_id uuid NOT NULL,
    marking_id text NOT NULL,
    level text NOT NULL,
    owner text NOT NULL,
    marked_on date NOT NULL,
    due_on date,
    done_on date,
    escalated_on date,
    escalated_to text,
    PRIMARY KEY (arrangement_id, marking_id)
);
