-- The quarterly assurance cycles (projections/assurance_cycle.py): their dates, evidence,
-- discussion, queries, spotlights, decisions and actions. Free text is sealed (bytea).

CREATE TABLE cycle (
    cycle_id uuid PRIMARY KEY,
    quarter text NOT NULL UNIQUE,
    planned_on date NOT NULL,
    evidence_due date NOT NULL,
    sub_group_meets_on date NOT NULL,
    partnership_meets_on date NOT NULL,
    stage text NOT NULL,
    discussed_on date,
    summary bytea,
    decided_on date,
    published_on date,
    audiences text
);

CREATE TABLE cycle_evidence (
    cycle_id uuid NOT NULL,
    item text NOT NULL,
    kind text NOT NULL,
    lead text NOT NULL,
    submitted_on date,
    late boolean,
    chased_on date,
    escalated_on date,
    escalated_to text,
    PRIMARY KEY (cycle_id, item)
);

-- Actions agreed by the sub-group ('agreed') and set for the next period ('next period').
CREATE TABLE cycle_action (
    cycle_id uuid NOT NULL,
    phase text NOT NULL,
    action_id text NOT NULL,
    action bytea NOT NULL,
    owner text NOT NULL,
    due_on date NOT NULL,
    PRIMARY KEY (cycle_id, phase, action_id)
);

CREATE TABLE cycle_recommendation (
    cycle_id uuid NOT NULL,
    recommendation_id text NOT NULL,
    position integer NOT NULL,
    text bytea NOT NULL,
    decision text,
    note bytea,
    PRIMARY KEY (cycle_id, recommendation_id)
);

CREATE TABLE cycle_query (
    cycle_id uuid NOT NULL,
    query_id text NOT NULL,
    to_whom text NOT NULL,
    raised_on date NOT NULL,
    due_on date NOT NULL,
    answered_on date,
    chased_on date,
    PRIMARY KEY (cycle_id, query_id)
);

CREATE TABLE cycle_spotlight (
    cycle_id uuid NOT NULL,
    spotlight_id text NOT NULL,
    title bytea NOT NULL,
    finalised_on date NOT NULL,
    PRIMARY KEY (cycle_id, spotlight_id)
);
