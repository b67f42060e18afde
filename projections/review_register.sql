-- The register of case reviews and audits (projections/review_register.py; seed 004's
-- database). Free text (summaries, themes, findings, learning, recommendations, progress,
-- impact, reasons) is sealed (bytea) with the store's key; codes, dates and owners stay plain.

CREATE TABLE register_entry (
    entry_id uuid PRIMARY KEY,
    kind text NOT NULL,              -- 'review' or 'audit'
    reference text NOT NULL,
    entry_type text NOT NULL,        -- the review type or the audit type
    category text,                   -- a review's referral category
    dimension text,                  -- an audit's dimension (seed 004)
    title bytea NOT NULL,            -- a review's referral summary, an audit's theme: sealed
    status text NOT NULL,
    nation text,
    opened_on date NOT NULL,
    closed_on date,
    good_outcome boolean NOT NULL DEFAULT false,
    returns_due date,
    plan_review_due date,
    reported_to text
);
CREATE INDEX register_entry_dates ON register_entry (opened_on, closed_on);

-- A review's dated steps: the Panel notification and the rapid review (statutory), each agency
-- information request, a commissioned LCSPR. (An audit's returns are in register_return.)
CREATE TABLE register_deadline (
    entry_id uuid NOT NULL,
    deadline text NOT NULL,
    label text NOT NULL,
    due_on date,
    done_on date,
    breached boolean NOT NULL DEFAULT false,  -- done late, or recorded as missed
    breach_recorded_on date,
    reason bytea,                             -- why it was late or missed: sealed
    breach_withdrawn_on date,                 -- a missed deadline withdrawn: the step, entered
    entered_late bytea,                       -- late, was dated within it (which entry: sealed)
    PRIMARY KEY (entry_id, deadline)
);

-- Each agency's return to an audit, due on the audit's returns due date.
CREATE TABLE register_return (
    entry_id uuid NOT NULL,
    agency text NOT NULL,
    requested_on date NOT NULL,
    chased integer NOT NULL DEFAULT 0,
    submitted_on date,
    supervision_grade text,
    oversight_grade text,
    escalated_on date,
    PRIMARY KEY (entry_id, agency)
);

-- Findings and learning: a rapid review's findings and learning, the Panel's response, an
-- audit's strengths and areas for development.
CREATE TABLE register_learning (
    entry_id uuid NOT NULL,
    version integer NOT NULL,
    n integer NOT NULL,
    kind text NOT NULL,
    text bytea NOT NULL,
    recorded_on date NOT NULL,
    PRIMARY KEY (entry_id, version, n)
);

-- Recommendations (reviews) and agreed actions (audits), with their owners and due dates.
CREATE TABLE register_action (
    entry_id uuid NOT NULL,
    item_id text NOT NULL,
    kind text NOT NULL,              -- 'recommendation' or 'agreed action'
    text bytea NOT NULL,
    owner text NOT NULL,
    due_on date NOT NULL,
    made_on date NOT NULL,
    completed_on date,
    carried_over bytea,              -- the reason it stayed open when the review closed
    PRIMARY KEY (entry_id, item_id)
);
CREATE INDEX register_action_due ON register_action (due_on) WHERE completed_on IS NULL;

-- What was done on a recommendation (progress) and what difference it made (impact).
CREATE TABLE register_followup (
    entry_id uuid NOT NULL,
    version integer NOT NULL,
    item_id text NOT NULL,
    kind text NOT NULL,              -- 'progress' or 'impact'
    text bytea NOT NULL,
    recorded_on date NOT NULL,
    PRIMARY KEY (entry_id, version)
);
