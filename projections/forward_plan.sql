-- The forward plan of assurance activity (projections/forward_plan.py): codes, dates and
-- usernames only.

CREATE TABLE plan_item (
    plan_id uuid NOT NULL,
    activity text NOT NULL,
    owner text NOT NULL,
    frequency text NOT NULL,
    last_done_on date,
    next_due_on date NOT NULL,
    started_for date,
    overdue_since date,
    PRIMARY KEY (plan_id, activity)
);

CREATE TABLE plan (
    plan_id uuid PRIMARY KEY,
    name text NOT NULL,
    reviewed_on date
);
