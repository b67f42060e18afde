-- School term calendars (projections/term_calendar.py): names, nations and dates only.

CREATE TABLE term_calendar (
    calendar_id uuid PRIMARY KEY,
    name text NOT NULL,
    nation text NOT NULL,
    set_up_on date NOT NULL
);

-- Each academic year whose half terms are set, with its last teaching day.
CREATE TABLE term_calendar_year (
    calendar_id uuid NOT NULL,
    academic_year text NOT NULL,
    last_day_on date,
    PRIMARY KEY (calendar_id, academic_year)
);
