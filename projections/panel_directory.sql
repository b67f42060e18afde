-- The panel's small records, to list them (projections/panel_directory.py): its regions with
-- their support managers, and its peer mentors. A mentor's name is sealed (bytea).

CREATE TABLE panel_region (
    region_id uuid PRIMARY KEY,
    region text NOT NULL UNIQUE,
    established_on timestamptz NOT NULL
);

-- A support manager of a region: `current` until removed (a manager added again is current
-- again).
CREATE TABLE panel_region_manager (
    region_id uuid NOT NULL,
    manager text NOT NULL,
    current boolean NOT NULL DEFAULT true,
    added_on timestamptz,
    PRIMARY KEY (region_id, manager)
);

CREATE TABLE panel_mentor (
    mentor_id uuid PRIMARY KEY,
    name bytea NOT NULL,
    stage text NOT NULL,
    recruited_on timestamptz NOT NULL,
    stage_on timestamptz NOT NULL
);
