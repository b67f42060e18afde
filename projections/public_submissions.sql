-- Submissions from the public and their triage (projections/public_submissions.py). The
-- person's words, the name they gave and how to reach them are bytea sealed with the store's
-- key (projections/sealing.py).

CREATE TABLE public_submission (
    submission_id uuid PRIMARY KEY,
    received_at timestamptz NOT NULL,
    triage_due_on date NOT NULL,
    about text NOT NULL,
    submitter text NOT NULL,
    safeguarder_named bytea NOT NULL,
    what_happened bytea NOT NULL,
    reply_to bytea NOT NULL,
    status text NOT NULL,
    safeguarder_id uuid,
    attached_as text,
    triaged_at timestamptz,
    triaged_by text
);
CREATE INDEX public_submission_waiting ON public_submission (status, triage_due_on);
