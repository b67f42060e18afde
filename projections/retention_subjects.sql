-- Each Safeguarder's and child's case's record, with what the retention rule needs of it
-- (domain/retention.py::kept_until_of), so the monthly listing reads one table instead of
-- replaying every record.
CREATE TABLE retention_subject (
    subject_id uuid PRIMARY KEY,
    kind text NOT NULL,                  -- 'safeguarder' or 'case'
    nation text,                         -- a case's
    legal_status text,                   -- a case's, as it now stands
    closed boolean NOT NULL DEFAULT false,
    last_fact_on timestamptz NOT NULL,   -- when the record's latest fact happened (not a
                                         -- process step or a hold): its closing fact, once closed
    held boolean NOT NULL DEFAULT false  -- under legal hold
);
CREATE INDEX retention_subject_closed ON retention_subject (subject_id) WHERE closed AND NOT held;
