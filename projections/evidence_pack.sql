-- The re-appointment evidence pack (projections/evidence_pack.py). Names and free text are
-- sealed (bytea) with the store's key; codes, dates and counts stay plain. Who the Safeguarder
-- is (name, region, status, support manager, term) is in the safeguarder directory
-- (safeguarder_file.sql).

CREATE TABLE evidence_safeguarder (
    safeguarder_id uuid PRIMARY KEY,
    review_opened_on date,
    reviews integer NOT NULL DEFAULT 0,     -- re-appointment reviews opened so far
    mentor_assigned_on date,
    reappoint boolean,                       -- the recommendation of the latest review
    rationale bytea,
    exception_reason bytea,
    unmet_years integer[],
    recommended_on date,
    recommended_by text
);

-- Each piece of evidence in the file, with the appointment year it belongs to when the event
-- says (sessions, reports, group sessions, mentoring, shortfalls); the others are placed by date.
CREATE TABLE evidence_item (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL,
    year integer,
    occurred_on date NOT NULL,
    code text,            -- a reference, source and tone, or standard: plain
    detail bytea,         -- the free text: sealed
    giver_id uuid,        -- feedback: the person who gave it (a data subject of their own)
    PRIMARY KEY (safeguarder_id, version)
);
CREATE INDEX evidence_item_giver ON evidence_item (giver_id);

CREATE TABLE evidence_concern (
    safeguarder_id uuid NOT NULL,
    concern_id text NOT NULL,
    about text NOT NULL,
    raised_on date NOT NULL,
    summary bytea NOT NULL,
    resolved_on date,
    resolution bytea,
    PRIMARY KEY (safeguarder_id, concern_id)
);
