-- Each Safeguarder's and child's case's record, with what the retention rule needs of it
-- (domain/retention.py::kept_until_of), so the monthly listing reads one table instead of
-- replaying every record.
CREATE TABLE retention_subject (
    subject_id uuid PRIMARY KEY,
    kind text NOT NULL,                  -- 'safeguarder' or 'case'
    nation text,                         -- a case's
    legal_status text,                   -- a case's, as it now stands
    closed boolean NOT NULL DEFAULT false,
    closed_on timestamptz,               -- once closed: when its last fact happened (its
                                         -- closing fact, or an audit's selection after it)
    held boolean NOT NULL DEFAULT false  -- under legal hold
);
CREATE INDEX retention_subject_closed ON retention_subject (subject_id) WHERE closed AND NOT held;
