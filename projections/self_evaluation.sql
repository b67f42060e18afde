-- Leaders' self-evaluations (projections/self_evaluation.py): ratings plain, answers and
-- evidence notes sealed.

CREATE TABLE self_evaluation (
    evaluation_id uuid PRIMARY KEY,
    leader text NOT NULL,
    audience text NOT NULL,
    year integer NOT NULL,
    started_on date NOT NULL,
    completed_on date
);

CREATE TABLE self_evaluation_answer (
    evaluation_id uuid NOT NULL,
    question_id text NOT NULL,
    theme text NOT NULL,
    rating text NOT NULL,
    answered_on date NOT NULL,
    answer bytea NOT NULL,
    evidence bytea NOT NULL,  -- the links: records by kind and id, and notes (JSON, sealed)
    PRIMARY KEY (evaluation_id, question_id)
);
