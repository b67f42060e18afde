-- Who read which record or list (with which filters), through which route, and when
-- (projections/access_log.py).
CREATE TABLE access_log (
    view_id uuid PRIMARY KEY,
    record_id uuid NOT NULL,
    viewer text NOT NULL,
    route text NOT NULL,
    filters text NOT NULL,
    viewed_at timestamptz NOT NULL
);
CREATE INDEX access_log_record ON access_log (record_id, viewed_at);
