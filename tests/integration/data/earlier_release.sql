-- Written by make_earlier_release.py from commit d710bb67a7e5f2df425b185d5fd11af137092e0d: do not edit.
--
-- PostgreSQL database dump
--


-- Dumped from database version 18.6
-- Dumped by pg_dump version 18.6

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: stored_event_uuid; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.stored_event_uuid AS (
	originator_id uuid,
	originator_version bigint,
	topic text,
	state bytea
);


ALTER TYPE public.stored_event_uuid OWNER TO postgres;

--
-- Name: assured_insert_events(uuid[], bigint[], text[], bytea[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.assured_insert_events(ids uuid[], versions bigint[], topics text[], states bytea[]) RETURNS SETOF bigint
    LANGUAGE plpgsql
    AS $$ BEGIN   SET LOCAL lock_timeout = '0s';   LOCK TABLE "public"."assured_events" IN EXCLUSIVE MODE;   NOTIFY "assured_events";   RETURN QUERY INSERT INTO "public"."assured_events"     (originator_id, originator_version, topic, state)     SELECT * FROM unnest(ids, versions, topics, states)     RETURNING notification_id; END; $$;


ALTER FUNCTION public.assured_insert_events(ids uuid[], versions bigint[], topics text[], states bytea[]) OWNER TO postgres;

--
-- Name: es_insert_events_uuid(public.stored_event_uuid[]); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.es_insert_events_uuid(events public.stored_event_uuid[]) RETURNS SETOF bigint
    LANGUAGE plpgsql
    AS $$BEGIN    SET LOCAL lock_timeout = '0s';    NOTIFY "assured_events";    RETURN QUERY    INSERT INTO "public"."assured_events" AS t (    originator_id, originator_version, topic, state)    SELECT originator_id, originator_version, topic, state    FROM unnest(events)    RETURNING notification_id;END;$$;


ALTER FUNCTION public.es_insert_events_uuid(events public.stored_event_uuid[]) OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_log; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.access_log (
    view_id uuid NOT NULL,
    record_id uuid NOT NULL,
    viewer text NOT NULL,
    route text NOT NULL,
    viewed_at timestamp with time zone NOT NULL
);


ALTER TABLE public.access_log OWNER TO postgres;

--
-- Name: access_log_tracking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.access_log_tracking (
    application_name text NOT NULL,
    notification_id bigint
);


ALTER TABLE public.access_log_tracking OWNER TO postgres;

--
-- Name: api_idempotency; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.api_idempotency (
    caller text NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    answer jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.api_idempotency OWNER TO postgres;

--
-- Name: assured_events; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.assured_events (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea,
    notification_id bigint NOT NULL
)
WITH (autovacuum_enabled='true', autovacuum_vacuum_threshold='100000000', autovacuum_vacuum_scale_factor='0.5', autovacuum_analyze_threshold='1000', autovacuum_analyze_scale_factor='0.01');


ALTER TABLE public.assured_events OWNER TO postgres;

--
-- Name: assured_events_notification_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.assured_events_notification_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER SEQUENCE public.assured_events_notification_id_seq OWNER TO postgres;

--
-- Name: assured_events_notification_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.assured_events_notification_id_seq OWNED BY public.assured_events.notification_id;


--
-- Name: assured_snapshots; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.assured_snapshots (
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    topic text,
    state bytea
)
WITH (autovacuum_enabled='true', autovacuum_vacuum_threshold='100000000', autovacuum_vacuum_scale_factor='0.5', autovacuum_analyze_threshold='1000', autovacuum_analyze_scale_factor='0.01');


ALTER TABLE public.assured_snapshots OWNER TO postgres;

--
-- Name: case_action; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.case_action (
    case_id uuid NOT NULL,
    action_id text NOT NULL,
    discussion_id text NOT NULL,
    owner text NOT NULL,
    due date NOT NULL,
    agreed_on timestamp with time zone NOT NULL,
    status text NOT NULL,
    completed_on timestamp with time zone,
    completed_date date,
    marked_overdue_on date
);


ALTER TABLE public.case_action OWNER TO postgres;

--
-- Name: case_chronology; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.case_chronology (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    event_type text NOT NULL,
    occurred timestamp with time zone NOT NULL,
    recorded timestamp with time zone NOT NULL,
    actor text NOT NULL,
    summary text NOT NULL,
    item_id text
);


ALTER TABLE public.case_chronology OWNER TO postgres;

--
-- Name: case_discussion; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.case_discussion (
    case_id uuid NOT NULL,
    discussion_id text NOT NULL,
    version integer NOT NULL,
    held_on timestamp with time zone NOT NULL,
    held_date date NOT NULL,
    supervisor text NOT NULL,
    supervisee text NOT NULL,
    rag text NOT NULL,
    actions_agreed integer NOT NULL,
    next_discussion_on date NOT NULL,
    next_discussion_limit date,
    signatures integer DEFAULT 0 NOT NULL
);


ALTER TABLE public.case_discussion OWNER TO postgres;

--
-- Name: case_drift_flag; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.case_drift_flag (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    drift_on date NOT NULL,
    flagged_on timestamp with time zone NOT NULL,
    reasons text[] NOT NULL
);


ALTER TABLE public.case_drift_flag OWNER TO postgres;

--
-- Name: case_state; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.case_state (
    case_id uuid NOT NULL,
    agency text NOT NULL,
    practitioner text NOT NULL,
    supervisor text NOT NULL,
    legal_status text NOT NULL,
    risk text NOT NULL,
    nation text NOT NULL,
    opened_on timestamp with time zone NOT NULL,
    opened_date date NOT NULL,
    closed_on timestamp with time zone,
    closed_date date,
    audits integer DEFAULT 0 NOT NULL
);


ALTER TABLE public.case_state OWNER TO postgres;

--
-- Name: case_supervision_tracking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.case_supervision_tracking (
    application_name text NOT NULL,
    notification_id bigint
);


ALTER TABLE public.case_supervision_tracking OWNER TO postgres;

--
-- Name: caseload_safeguarder; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.caseload_safeguarder (
    safeguarder_id uuid NOT NULL,
    name bytea NOT NULL,
    region text NOT NULL,
    status text NOT NULL,
    support_manager text,
    first_appointed_on date,
    term_starts_on date,
    term_ends_on date,
    review_opens_on date,
    review_opened_on date,
    allocation_due date,
    recommendation_due date,
    recommended_on date,
    mentoring_due date[],
    mentoring_sessions integer DEFAULT 0 NOT NULL,
    open_concerns integer DEFAULT 0 NOT NULL,
    stage text,
    stage_on date,
    left_on date
);


ALTER TABLE public.caseload_safeguarder OWNER TO postgres;

--
-- Name: caseload_step; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.caseload_step (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    process text NOT NULL,
    step text NOT NULL,
    occurred_on timestamp with time zone NOT NULL,
    due_on date
);


ALTER TABLE public.caseload_step OWNER TO postgres;

--
-- Name: caseload_year; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.caseload_year (
    safeguarder_id uuid NOT NULL,
    year integer NOT NULL,
    due_on date,
    reports_due_on date,
    reminded_on date,
    sessions integer DEFAULT 0 NOT NULL,
    sampled_reports integer DEFAULT 0 NOT NULL,
    outcome text,
    escalated_on date
);


ALTER TABLE public.caseload_year OWNER TO postgres;

--
-- Name: evidence_concern; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.evidence_concern (
    safeguarder_id uuid NOT NULL,
    concern_id text NOT NULL,
    about text NOT NULL,
    raised_on date NOT NULL,
    summary bytea NOT NULL,
    resolved_on date,
    resolution bytea
);


ALTER TABLE public.evidence_concern OWNER TO postgres;

--
-- Name: evidence_item; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.evidence_item (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL,
    year integer,
    occurred_on date NOT NULL,
    code text,
    detail bytea
);


ALTER TABLE public.evidence_item OWNER TO postgres;

--
-- Name: evidence_safeguarder; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.evidence_safeguarder (
    safeguarder_id uuid NOT NULL,
    name bytea NOT NULL,
    region text NOT NULL,
    status text NOT NULL,
    support_manager text,
    first_appointed_on date,
    term_starts_on date,
    term_ends_on date,
    review_opened_on date,
    reviews integer DEFAULT 0 NOT NULL,
    mentor_assigned_on date,
    reappoint boolean,
    rationale bytea,
    exception_reason bytea,
    unmet_years integer[],
    recommended_on date,
    recommended_by text
);


ALTER TABLE public.evidence_safeguarder OWNER TO postgres;

--
-- Name: group_session; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.group_session (
    session_id uuid NOT NULL,
    session_ref text NOT NULL,
    facilitator text NOT NULL,
    held_on date NOT NULL
);


ALTER TABLE public.group_session OWNER TO postgres;

--
-- Name: projection_fault; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.projection_fault (
    name text NOT NULL,
    notification_id bigint NOT NULL,
    error text NOT NULL,
    stopped_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.projection_fault OWNER TO postgres;

--
-- Name: projection_registry; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.projection_registry (
    name text NOT NULL,
    version integer NOT NULL,
    tables text[] NOT NULL,
    built_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.projection_registry OWNER TO postgres;

--
-- Name: reappointment_evidence_tracking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.reappointment_evidence_tracking (
    application_name text NOT NULL,
    notification_id bigint
);


ALTER TABLE public.reappointment_evidence_tracking OWNER TO postgres;

--
-- Name: register_action; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.register_action (
    entry_id uuid NOT NULL,
    item_id text NOT NULL,
    kind text NOT NULL,
    text bytea NOT NULL,
    owner text NOT NULL,
    due_on date NOT NULL,
    made_on date NOT NULL,
    completed_on date,
    carried_over bytea
);


ALTER TABLE public.register_action OWNER TO postgres;

--
-- Name: register_deadline; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.register_deadline (
    entry_id uuid NOT NULL,
    deadline text NOT NULL,
    label text NOT NULL,
    due_on date,
    done_on date,
    breached boolean DEFAULT false NOT NULL,
    breach_recorded_on date,
    reason bytea,
    breach_withdrawn_on date,
    entered_late bytea
);


ALTER TABLE public.register_deadline OWNER TO postgres;

--
-- Name: register_entry; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.register_entry (
    entry_id uuid NOT NULL,
    kind text NOT NULL,
    reference text NOT NULL,
    entry_type text NOT NULL,
    category text,
    dimension text,
    title bytea NOT NULL,
    status text NOT NULL,
    nation text,
    opened_on date NOT NULL,
    closed_on date,
    good_outcome boolean DEFAULT false NOT NULL,
    returns_due date,
    plan_review_due date,
    reported_to text
);


ALTER TABLE public.register_entry OWNER TO postgres;

--
-- Name: register_followup; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.register_followup (
    entry_id uuid NOT NULL,
    version integer NOT NULL,
    item_id text NOT NULL,
    kind text NOT NULL,
    text bytea NOT NULL,
    recorded_on date NOT NULL
);


ALTER TABLE public.register_followup OWNER TO postgres;

--
-- Name: register_learning; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.register_learning (
    entry_id uuid NOT NULL,
    version integer NOT NULL,
    n integer NOT NULL,
    kind text NOT NULL,
    text bytea NOT NULL,
    recorded_on date NOT NULL
);


ALTER TABLE public.register_learning OWNER TO postgres;

--
-- Name: register_return; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.register_return (
    entry_id uuid NOT NULL,
    agency text NOT NULL,
    requested_on date NOT NULL,
    chased integer DEFAULT 0 NOT NULL,
    submitted_on date,
    supervision_grade text,
    oversight_grade text,
    escalated_on date
);


ALTER TABLE public.register_return OWNER TO postgres;

--
-- Name: review_register_tracking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.review_register_tracking (
    application_name text NOT NULL,
    notification_id bigint
);


ALTER TABLE public.review_register_tracking OWNER TO postgres;

--
-- Name: safeguarder; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder (
    safeguarder_id uuid NOT NULL,
    name bytea NOT NULL,
    contact bytea NOT NULL,
    region text NOT NULL,
    status text NOT NULL,
    support_manager text,
    applied_on timestamp with time zone NOT NULL,
    first_appointed_on date,
    mentor_id uuid,
    left_on timestamp with time zone
);


ALTER TABLE public.safeguarder OWNER TO postgres;

--
-- Name: safeguarder_allocation; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_allocation (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    manager text NOT NULL,
    reason bytea NOT NULL,
    allocated_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_allocation OWNER TO postgres;

--
-- Name: safeguarder_concern; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_concern (
    safeguarder_id uuid NOT NULL,
    concern_id text NOT NULL,
    about text NOT NULL,
    summary bytea NOT NULL,
    raised_on timestamp with time zone NOT NULL,
    resolution bytea,
    resolved_on timestamp with time zone
);


ALTER TABLE public.safeguarder_concern OWNER TO postgres;

--
-- Name: safeguarder_evidence; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_evidence (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    standard text NOT NULL,
    evidence bytea NOT NULL,
    recorded_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_evidence OWNER TO postgres;

--
-- Name: safeguarder_feedback; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_feedback (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    source text NOT NULL,
    tone text NOT NULL,
    summary bytea NOT NULL,
    received_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_feedback OWNER TO postgres;

--
-- Name: safeguarder_file_tracking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_file_tracking (
    application_name text NOT NULL,
    notification_id bigint
);


ALTER TABLE public.safeguarder_file_tracking OWNER TO postgres;

--
-- Name: safeguarder_group_session; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_group_session (
    safeguarder_id uuid NOT NULL,
    session_id uuid NOT NULL,
    year integer NOT NULL,
    recorded_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_group_session OWNER TO postgres;

--
-- Name: safeguarder_mentoring; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_mentoring (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL,
    mentor_id uuid NOT NULL,
    year integer,
    occurred_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_mentoring OWNER TO postgres;

--
-- Name: safeguarder_sampled_report; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_sampled_report (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    report_ref text NOT NULL,
    session_id text NOT NULL,
    year integer NOT NULL,
    discussed_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_sampled_report OWNER TO postgres;

--
-- Name: safeguarder_shortfall; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_shortfall (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    year integer NOT NULL,
    sessions integer NOT NULL,
    sampled_reports integer NOT NULL,
    recorded_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_shortfall OWNER TO postgres;

--
-- Name: safeguarder_shortfall_withdrawal; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_shortfall_withdrawal (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    year integer NOT NULL,
    withdrawn_on timestamp with time zone NOT NULL,
    entered_late bytea NOT NULL
);


ALTER TABLE public.safeguarder_shortfall_withdrawal OWNER TO postgres;

--
-- Name: safeguarder_support_session; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_support_session (
    safeguarder_id uuid NOT NULL,
    session_id text NOT NULL,
    year integer NOT NULL,
    held_on timestamp with time zone NOT NULL,
    held_by text NOT NULL
);


ALTER TABLE public.safeguarder_support_session OWNER TO postgres;

--
-- Name: safeguarder_term; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_term (
    safeguarder_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    review_opens_on date NOT NULL,
    decided_on timestamp with time zone NOT NULL
);


ALTER TABLE public.safeguarder_term OWNER TO postgres;

--
-- Name: safeguarder_year; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.safeguarder_year (
    safeguarder_id uuid NOT NULL,
    year integer NOT NULL,
    sessions integer DEFAULT 0 NOT NULL,
    sampled_reports integer DEFAULT 0 NOT NULL,
    group_sessions integer DEFAULT 0 NOT NULL,
    mentoring_sessions integer DEFAULT 0 NOT NULL,
    shortfall_recorded boolean DEFAULT false NOT NULL,
    shortfall_withdrawn boolean DEFAULT false NOT NULL
);


ALTER TABLE public.safeguarder_year OWNER TO postgres;

--
-- Name: scorecard_audit; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_audit (
    audit_id uuid NOT NULL,
    returns_due date NOT NULL,
    planned_on date NOT NULL,
    closed_on date
);


ALTER TABLE public.scorecard_audit OWNER TO postgres;

--
-- Name: scorecard_case; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_case (
    case_id uuid NOT NULL,
    nation text NOT NULL,
    opened_on date NOT NULL,
    closed_on date
);


ALTER TABLE public.scorecard_case OWNER TO postgres;

--
-- Name: scorecard_case_status; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_case_status (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    legal_status text NOT NULL,
    from_on date NOT NULL
);


ALTER TABLE public.scorecard_case_status OWNER TO postgres;

--
-- Name: scorecard_concern; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_concern (
    case_id uuid NOT NULL,
    concern_id text NOT NULL,
    raised_on date NOT NULL,
    stage integer DEFAULT 1 NOT NULL,
    resolved_on date
);


ALTER TABLE public.scorecard_concern OWNER TO postgres;

--
-- Name: scorecard_discussion; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_discussion (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    held_on date NOT NULL,
    rag text NOT NULL
);


ALTER TABLE public.scorecard_discussion OWNER TO postgres;

--
-- Name: scorecard_drift; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_drift (
    case_id uuid NOT NULL,
    version integer NOT NULL,
    flagged_on date NOT NULL
);


ALTER TABLE public.scorecard_drift OWNER TO postgres;

--
-- Name: scorecard_feedback; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_feedback (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    source text NOT NULL,
    tone text NOT NULL,
    received_on date NOT NULL
);


ALTER TABLE public.scorecard_feedback OWNER TO postgres;

--
-- Name: scorecard_narrative; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_narrative (
    narrative_id uuid NOT NULL,
    quarter text NOT NULL,
    measure text NOT NULL,
    text bytea NOT NULL,
    lead text NOT NULL,
    written_on timestamp with time zone NOT NULL
);


ALTER TABLE public.scorecard_narrative OWNER TO postgres;

--
-- Name: scorecard_recommendation; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_recommendation (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    recommended_on date NOT NULL
);


ALTER TABLE public.scorecard_recommendation OWNER TO postgres;

--
-- Name: scorecard_return; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_return (
    audit_id uuid NOT NULL,
    agency text NOT NULL,
    submitted_on date
);


ALTER TABLE public.scorecard_return OWNER TO postgres;

--
-- Name: scorecard_review; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_review (
    review_id uuid NOT NULL,
    review_type text NOT NULL,
    referred_on date NOT NULL,
    closed_on date
);


ALTER TABLE public.scorecard_review OWNER TO postgres;

--
-- Name: scorecard_review_recommendation; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_review_recommendation (
    review_id uuid NOT NULL,
    recommendation_id text NOT NULL,
    due_on date NOT NULL,
    completed_on date
);


ALTER TABLE public.scorecard_review_recommendation OWNER TO postgres;

--
-- Name: scorecard_safeguarder; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_safeguarder (
    safeguarder_id uuid NOT NULL,
    first_appointed_on date,
    left_on date
);


ALTER TABLE public.scorecard_safeguarder OWNER TO postgres;

--
-- Name: scorecard_statutory; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_statutory (
    review_id uuid NOT NULL,
    step text NOT NULL,
    due_on date NOT NULL,
    done_on date,
    recorded_at timestamp with time zone,
    breach_recorded_on date,
    breach_withdrawn_on date
);


ALTER TABLE public.scorecard_statutory OWNER TO postgres;

--
-- Name: scorecard_support; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_support (
    safeguarder_id uuid NOT NULL,
    version integer NOT NULL,
    kind text NOT NULL,
    year integer NOT NULL,
    held_on date NOT NULL,
    recorded_at timestamp with time zone NOT NULL
);


ALTER TABLE public.scorecard_support OWNER TO postgres;

--
-- Name: scorecard_term; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_term (
    safeguarder_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    review_opens_on date NOT NULL
);


ALTER TABLE public.scorecard_term OWNER TO postgres;

--
-- Name: scorecard_tracking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.scorecard_tracking (
    application_name text NOT NULL,
    notification_id bigint
);


ALTER TABLE public.scorecard_tracking OWNER TO postgres;

--
-- Name: support_caseload_tracking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.support_caseload_tracking (
    application_name text NOT NULL,
    notification_id bigint
);


ALTER TABLE public.support_caseload_tracking OWNER TO postgres;

--
-- Name: assured_events notification_id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.assured_events ALTER COLUMN notification_id SET DEFAULT nextval('public.assured_events_notification_id_seq'::regclass);


--
-- Data for Name: access_log; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: access_log_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.access_log_tracking VALUES ('Assured', 6);


--
-- Data for Name: api_idempotency; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: assured_events; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.assured_events VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 1, 'domain.case:Case.Opened', '\x8b1c95b08bd34b284e86921931637f976d63c534b34366d0d8b68c9f1a31f9758d8305e8ee9ccdb8e02081fcc6ee36a8b6ce2b8e4bc5f50ea32b1a7236c72e0584641cde39a003034a9764ef84efcfa85621bf181edfd2be44bf734cde3c5b543909d8bf88753f2412d918f203f210d9c328909e5cd94e69ebddb29e639586a6f9a70c24a6488130839169e1e320c327d5151c4975a625d9a5089601b00d69433d2cd04fe20ca9476910fe4895e1635849aa051dbc5f90d764c518cb4b43b345fe42524342dc47a40b54f2ccc6c093f39c51011150fe53963e8819c6c31bf4f66e05d5f0d72a526bdf6c5e2720b10ffc90c8d18598b3090f706c1abf8d969b9f84206e888423faa521be4857', 1);
INSERT INTO public.assured_events VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 2, 'domain.case:Case.RiskChanged', '\xb4ac97fcf8c017246c42700a4dabd4b03aa0ee4dc87296fa38b3bbfaee126faface135be652e3e7221e25146f9d774cffe144019940db684b24b41d75fb7bd12143ee3afe6de06c2c255a45e905cd81b5da9172160d5fade436296ef1374253ef8c933aad5d17db68ff5f25d6add22a593b74946365a673e5bc0e05d2053e004220a49cb4acb78c42eb79736d452f1923a50b2f90597109076a18d8b7886cf9d0745', 2);
INSERT INTO public.assured_events VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 3, 'domain.case:Case.RiskChanged', '\x2d299e82ba00fb4689a54395b9f23d24a8ff4002e971c73aee12dc0cb5050106c893e3c5346b545539a78e52e2b0adb43f2be57882a9e86d0ac78210d09dd8f45835e8c5e83a2a08a2e4c4e42a16d1e2208cffa0f09baedf24ee701030e4a845faa457130c0a2feb2351d22162e1761eae2d8d75ada4735d4a800ab92bbcf208af0f102dd221b320579f8755c8b88367c92b4ba483c5369efcfb6f0ce6ac13b1bef6', 3);
INSERT INTO public.assured_events VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 4, 'domain.case:Case.RiskChanged', '\xdbf2d9674fa91f22e49b91552f42c51bc7c7f7a5991885bda6b00757c4450a288d835c07c855ee6e60f3dde8b6d4b16ef95c48529288fd75ecfe9db3ace13a82e5504df0ca28a4ac6a64ef32192b1c9aedf39f90d4103b09a8490c37e3de0eb24c96e491310448d2350cac4eddedc6ab35fbb9323de56a5ba116b22f69322db6d349e73028b09467e09d36a3478dd040cc51824276508536e7b4d62697a239d19ecd', 4);
INSERT INTO public.assured_events VALUES ('3eb6f6a7-1a55-4c93-96ad-cd16ead7923a', 1, 'domain.safeguarder:Safeguarder.Applied', '\xb8c23146e70495c81a14ad2b8715069deae319caad45d0d55bd936e487c0c9bbf769c3d511f40f2a926a30d2030c8a902f6db6d0f9c1118325ea6c74c7bc9b871e5c4ca15469ceaa5373d6c723cf92ac6c86b14f50f188cc2e87a30b8b23bc13578ce524188a63018fe0cb7d9f03705066e4747ce1980e45aae06cbd0907720b18187fe96bce57b5a76d20eed7a3864faeed4d555aaac0b9879c528d5bcec139cf4af27d90b68347fa72faa79a743590f28e79c31d2178368b8ac747eed328b6bf594b4bdd43e50127aa7894337351f37bcac095097e39ae0637e1536927d2bc4f680b37a562ce3bd036', 5);
INSERT INTO public.assured_events VALUES ('3eb6f6a7-1a55-4c93-96ad-cd16ead7923a', 2, 'domain.safeguarder:Safeguarder.Interviewed', '\x6c6ba56fb59ec304dc07a846fc5daa5f87222390100bec96bc239df145d6a67277d225c313e1e16335af83a5654862d17399e86147e4723e947650658b72a9dcc3361f7b0202995c95c7191123e82f0b79099caa3d7b9106d8101d105bbb3ac1f862a7d02a8d63bb15d1cdd71ad4e570d1c848f92a9f47db3a12633aabd7cf8703c5b47f8f5f4eba57423578294eaf7458ac383ced261de37e7728acad32e8862ecc017f890f49e4084c1d1616509408ac000de25e421f130096', 6);


--
-- Data for Name: assured_snapshots; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.assured_snapshots VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 2, 'eventsourcing.domain:Snapshot', '\x3d3db704aef0254813b4df86a009efbeabfad416cca2bb9073855731374c452e1b2e9db809539afc5fa073ef7db3894f008e0aae598fc04c2e377eb341443f3f5d16167befb02009ea6960db06152916f36674884984331fc9d9e5c5c973eb476e747dc2a8aff932b9be8f3dd457893c0f22450d5e09971d000c35853286c7dc5a2bf750ee089d22d70e52107e7bded7358d3726102326e651cbdaea86f8dc60afddc1b7562437566925b4f7870f370eaa889989d1a3778cd6eb87587af83e9afe437eef3855cbbec0f3041accda538fd87d4e12e11a59421dcf052dfe30ca959f5b55f49a5fad81b0317d1ba2df01425a48946dbb40acfbe21d67102d2d4beb811df6bc565b123ae840b94751bcd886c409ff054e8618c9ff3519f0d4896756b9094bd97952ff7fd69acc42cdbd5d1bd462ecd660ac696d9d51fa19e8254b1b48e600315d5ddb1e1f4a03e5c2553dd339470326d1255248334521dbf824330ad16010967838c2171a25a5481508f4b20e2992cdf54f23626918e06229686280');
INSERT INTO public.assured_snapshots VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 4, 'eventsourcing.domain:Snapshot', '\x4347cf4c0652ea216686097f63e8a9c8ea52a9bcc0ce2344f0e8f691b8ec391a90556b231339e9b6d2578c8f8d5a082a20814c9d39bb159b46284694220a036dac7d47813166be070f5b2df27938d134ac450e84861bef42f4a39517ae599e6b8f1765bf84703a4c2798ff50f9526a345b74842ab21b9011b36a61a563255e2fb0ab245b1d90d0f9a2b99e99aaf3d14e4015b9ebc4b9452f0f8dff89861ba1f1ced3167655edbb8f137c687d25e7e781d90dc326f7d53a2817b6c1758730a32eaaf735d53342df55ebbdd5dc6a751458e1b20d06f1995ed0735709442504df8f04b60e89200f37e20b3e9a4c6528134833fa6606d90c9400227c490751ca44291c5e57c97a43315cbc7efeb5038f36639253e2f1d4035060fa6ea2f3f9f9513b322e2ecbd57257cad14f1c2012156241aab5eba5c33e919770080c174b8c8c19343c730066fd57c60a8664a435261662933557f6b334a6191511d470977fd15be9db958e88836da8d6819fc1f0ea1e3630149343de13df1af4222da2074a09185604');
INSERT INTO public.assured_snapshots VALUES ('3eb6f6a7-1a55-4c93-96ad-cd16ead7923a', 2, 'eventsourcing.domain:Snapshot', '\xdd4619bb34270baaaca75e174da9a6ad031dbde716adbd2e905eb35630a7db87db46526945df996b4a1639261d85d894af9797d0936e82f47f97a82b134198f37b316fb4516bcd6918b01ad9a167d7b57fada5fccf8f7175366b21008686a77c65032ac130ac290fba7e6bb7acb466b7fc3961f411f5e9487b45e658f1a8887b732e1de072583d33aa910e674c61f315c763faad06b9708bfc76d5c247a4d8d8cc345405181e733f5b77024c878f83653b7fce7777c3402c7e792d49119561b48d854b4d4dc2891d22d4c53393ebd11680d55c051bba3d5d20f881902289cf4b8b7c76797868c0116d46ee4d7e4ab2cc5f0caece296d1d86c28072668aebf241d9a026cb6999ded02c8474e554eee0189a4c4c17e5f4c0b756243526e829f621187befdd30e3b2bd39d0d3e06f0255bd5b469c7fb13edc6a02a726a6e660061bc437d45c9bb7b537b6bc4727dba1e2032815b11d3967d73b7ddfb3a3ad3a06537d1dc2dd540e397e07d22ed69bb15975ad4c03081da3995207f601530260855c4436e4e59c3a011e1eadd6cf1ff027bdbbabcc57');


--
-- Data for Name: case_action; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: case_chronology; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.case_chronology VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 1, 'Opened', '2025-03-03 09:00:00+00', '2026-12-01 18:51:23.929551+00', 'pr-1', 'Case opened: child_in_need, risk medium, ENG, agency Health', NULL);
INSERT INTO public.case_chronology VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 2, 'RiskChanged', '2025-03-04 09:00:00+00', '2026-12-01 18:51:23.994361+00', 'su-1', 'Risk changed to high', NULL);
INSERT INTO public.case_chronology VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 3, 'RiskChanged', '2025-03-05 09:00:00+00', '2026-12-01 18:51:24.022229+00', 'su-1', 'Risk changed to medium', NULL);
INSERT INTO public.case_chronology VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 4, 'RiskChanged', '2025-03-06 09:00:00+00', '2026-12-01 18:51:24.033794+00', 'su-1', 'Risk changed to high', NULL);


--
-- Data for Name: case_discussion; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: case_drift_flag; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: case_state; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.case_state VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 'Health', 'pr-1', 'su-1', 'child_in_need', 'high', 'ENG', '2025-03-03 09:00:00+00', '2025-03-03', NULL, NULL, 0);


--
-- Data for Name: case_supervision_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.case_supervision_tracking VALUES ('Assured', 6);


--
-- Data for Name: caseload_safeguarder; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.caseload_safeguarder VALUES ('3eb6f6a7-1a55-4c93-96ad-cd16ead7923a', '\x2b61f5a35b02f728a2725bb08dc39a5e53888b6f3c3225fb93863d12c844bc4032630608a73606fa', 'East', 'interviewed', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL);


--
-- Data for Name: caseload_step; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: caseload_year; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: evidence_concern; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: evidence_item; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: evidence_safeguarder; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.evidence_safeguarder VALUES ('3eb6f6a7-1a55-4c93-96ad-cd16ead7923a', '\x2b61f5a35b02f728a2725bb08dc39a5e53888b6f3c3225fb93863d12c844bc4032630608a73606fa', 'East', 'applicant', NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL);


--
-- Data for Name: group_session; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: projection_fault; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: projection_registry; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.projection_registry VALUES ('access_log', 1, '{access_log,access_log_tracking}', '2026-12-01 18:51:24.363922+00');
INSERT INTO public.projection_registry VALUES ('case_supervision', 3, '{case_action,case_chronology,case_discussion,case_drift_flag,case_state,case_supervision_tracking}', '2026-12-01 18:51:24.584341+00');
INSERT INTO public.projection_registry VALUES ('support_caseload', 2, '{caseload_safeguarder,caseload_step,caseload_year,support_caseload_tracking}', '2026-12-01 18:51:24.691715+00');
INSERT INTO public.projection_registry VALUES ('reappointment_evidence', 2, '{evidence_concern,evidence_item,evidence_safeguarder,reappointment_evidence_tracking}', '2026-12-01 18:51:24.880652+00');
INSERT INTO public.projection_registry VALUES ('review_register', 2, '{register_action,register_deadline,register_entry,register_followup,register_learning,register_return,review_register_tracking}', '2026-12-01 18:51:25.070943+00');
INSERT INTO public.projection_registry VALUES ('safeguarder_file', 3, '{group_session,safeguarder,safeguarder_allocation,safeguarder_concern,safeguarder_evidence,safeguarder_feedback,safeguarder_file_tracking,safeguarder_group_session,safeguarder_mentoring,safeguarder_sampled_report,safeguarder_shortfall,safeguarder_shortfall_withdrawal,safeguarder_support_session,safeguarder_term,safeguarder_year}', '2026-12-01 18:51:25.276927+00');
INSERT INTO public.projection_registry VALUES ('scorecard', 2, '{scorecard_audit,scorecard_case,scorecard_case_status,scorecard_concern,scorecard_discussion,scorecard_drift,scorecard_feedback,scorecard_narrative,scorecard_recommendation,scorecard_return,scorecard_review,scorecard_review_recommendation,scorecard_safeguarder,scorecard_statutory,scorecard_support,scorecard_term,scorecard_tracking}', '2026-12-01 18:51:25.417965+00');


--
-- Data for Name: reappointment_evidence_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.reappointment_evidence_tracking VALUES ('Assured', 6);


--
-- Data for Name: register_action; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: register_deadline; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: register_entry; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: register_followup; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: register_learning; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: register_return; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: review_register_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.review_register_tracking VALUES ('Assured', 6);


--
-- Data for Name: safeguarder; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.safeguarder VALUES ('3eb6f6a7-1a55-4c93-96ad-cd16ead7923a', '\x2b61f5a35b02f728a2725bb08dc39a5e53888b6f3c3225fb93863d12c844bc4032630608a73606fa', '\x2837b9eadcace7a7e74b1f4eebcd14b54843ff798caaa17430f2b82caa85f6da5cea9f752015782f03d40b0b7558e2d564b2a724a6', 'East', 'interviewed', NULL, '2025-03-03 09:00:00+00', NULL, NULL, NULL);


--
-- Data for Name: safeguarder_allocation; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_concern; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_evidence; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_feedback; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_file_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.safeguarder_file_tracking VALUES ('Assured', 6);


--
-- Data for Name: safeguarder_group_session; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_mentoring; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_sampled_report; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_shortfall; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_shortfall_withdrawal; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_support_session; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_term; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: safeguarder_year; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_audit; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_case; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.scorecard_case VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 'ENG', '2025-03-03', NULL);


--
-- Data for Name: scorecard_case_status; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.scorecard_case_status VALUES ('33cfce67-68cf-4c72-88ca-a68b33780907', 1, 'child_in_need', '2025-03-03');


--
-- Data for Name: scorecard_concern; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_discussion; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_drift; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_feedback; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_narrative; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_recommendation; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_return; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_review; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_review_recommendation; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_safeguarder; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.scorecard_safeguarder VALUES ('3eb6f6a7-1a55-4c93-96ad-cd16ead7923a', NULL, NULL);


--
-- Data for Name: scorecard_statutory; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_support; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_term; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: scorecard_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.scorecard_tracking VALUES ('Assured', 6);


--
-- Data for Name: support_caseload_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.support_caseload_tracking VALUES ('Assured', 6);


--
-- Name: assured_events_notification_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.assured_events_notification_id_seq', 6, true);


--
-- Name: access_log access_log_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.access_log
    ADD CONSTRAINT access_log_pkey PRIMARY KEY (view_id);


--
-- Name: access_log_tracking access_log_tracking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.access_log_tracking
    ADD CONSTRAINT access_log_tracking_pkey PRIMARY KEY (application_name);


--
-- Name: api_idempotency api_idempotency_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_idempotency
    ADD CONSTRAINT api_idempotency_pkey PRIMARY KEY (caller, key);


--
-- Name: assured_events assured_events_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.assured_events
    ADD CONSTRAINT assured_events_pkey PRIMARY KEY (originator_id, originator_version);


--
-- Name: assured_snapshots assured_snapshots_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.assured_snapshots
    ADD CONSTRAINT assured_snapshots_pkey PRIMARY KEY (originator_id, originator_version);


--
-- Name: case_action case_action_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.case_action
    ADD CONSTRAINT case_action_pkey PRIMARY KEY (case_id, action_id);


--
-- Name: case_chronology case_chronology_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.case_chronology
    ADD CONSTRAINT case_chronology_pkey PRIMARY KEY (case_id, version);


--
-- Name: case_discussion case_discussion_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.case_discussion
    ADD CONSTRAINT case_discussion_pkey PRIMARY KEY (case_id, discussion_id);


--
-- Name: case_drift_flag case_drift_flag_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.case_drift_flag
    ADD CONSTRAINT case_drift_flag_pkey PRIMARY KEY (case_id, version);


--
-- Name: case_state case_state_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.case_state
    ADD CONSTRAINT case_state_pkey PRIMARY KEY (case_id);


--
-- Name: case_supervision_tracking case_supervision_tracking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.case_supervision_tracking
    ADD CONSTRAINT case_supervision_tracking_pkey PRIMARY KEY (application_name);


--
-- Name: caseload_safeguarder caseload_safeguarder_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.caseload_safeguarder
    ADD CONSTRAINT caseload_safeguarder_pkey PRIMARY KEY (safeguarder_id);


--
-- Name: caseload_step caseload_step_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.caseload_step
    ADD CONSTRAINT caseload_step_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: caseload_year caseload_year_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.caseload_year
    ADD CONSTRAINT caseload_year_pkey PRIMARY KEY (safeguarder_id, year);


--
-- Name: evidence_concern evidence_concern_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.evidence_concern
    ADD CONSTRAINT evidence_concern_pkey PRIMARY KEY (safeguarder_id, concern_id);


--
-- Name: evidence_item evidence_item_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.evidence_item
    ADD CONSTRAINT evidence_item_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: evidence_safeguarder evidence_safeguarder_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.evidence_safeguarder
    ADD CONSTRAINT evidence_safeguarder_pkey PRIMARY KEY (safeguarder_id);


--
-- Name: group_session group_session_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.group_session
    ADD CONSTRAINT group_session_pkey PRIMARY KEY (session_id);


--
-- Name: projection_fault projection_fault_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.projection_fault
    ADD CONSTRAINT projection_fault_pkey PRIMARY KEY (name);


--
-- Name: projection_registry projection_registry_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.projection_registry
    ADD CONSTRAINT projection_registry_pkey PRIMARY KEY (name);


--
-- Name: reappointment_evidence_tracking reappointment_evidence_tracking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.reappointment_evidence_tracking
    ADD CONSTRAINT reappointment_evidence_tracking_pkey PRIMARY KEY (application_name);


--
-- Name: register_action register_action_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.register_action
    ADD CONSTRAINT register_action_pkey PRIMARY KEY (entry_id, item_id);


--
-- Name: register_deadline register_deadline_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.register_deadline
    ADD CONSTRAINT register_deadline_pkey PRIMARY KEY (entry_id, deadline);


--
-- Name: register_entry register_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.register_entry
    ADD CONSTRAINT register_entry_pkey PRIMARY KEY (entry_id);


--
-- Name: register_followup register_followup_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.register_followup
    ADD CONSTRAINT register_followup_pkey PRIMARY KEY (entry_id, version);


--
-- Name: register_learning register_learning_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.register_learning
    ADD CONSTRAINT register_learning_pkey PRIMARY KEY (entry_id, version, n);


--
-- Name: register_return register_return_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.register_return
    ADD CONSTRAINT register_return_pkey PRIMARY KEY (entry_id, agency);


--
-- Name: review_register_tracking review_register_tracking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.review_register_tracking
    ADD CONSTRAINT review_register_tracking_pkey PRIMARY KEY (application_name);


--
-- Name: safeguarder_allocation safeguarder_allocation_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_allocation
    ADD CONSTRAINT safeguarder_allocation_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: safeguarder_concern safeguarder_concern_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_concern
    ADD CONSTRAINT safeguarder_concern_pkey PRIMARY KEY (safeguarder_id, concern_id);


--
-- Name: safeguarder_evidence safeguarder_evidence_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_evidence
    ADD CONSTRAINT safeguarder_evidence_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: safeguarder_feedback safeguarder_feedback_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_feedback
    ADD CONSTRAINT safeguarder_feedback_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: safeguarder_file_tracking safeguarder_file_tracking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_file_tracking
    ADD CONSTRAINT safeguarder_file_tracking_pkey PRIMARY KEY (application_name);


--
-- Name: safeguarder_group_session safeguarder_group_session_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_group_session
    ADD CONSTRAINT safeguarder_group_session_pkey PRIMARY KEY (safeguarder_id, session_id);


--
-- Name: safeguarder_mentoring safeguarder_mentoring_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_mentoring
    ADD CONSTRAINT safeguarder_mentoring_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: safeguarder safeguarder_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder
    ADD CONSTRAINT safeguarder_pkey PRIMARY KEY (safeguarder_id);


--
-- Name: safeguarder_sampled_report safeguarder_sampled_report_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_sampled_report
    ADD CONSTRAINT safeguarder_sampled_report_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: safeguarder_shortfall safeguarder_shortfall_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_shortfall
    ADD CONSTRAINT safeguarder_shortfall_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: safeguarder_shortfall_withdrawal safeguarder_shortfall_withdrawal_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_shortfall_withdrawal
    ADD CONSTRAINT safeguarder_shortfall_withdrawal_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: safeguarder_support_session safeguarder_support_session_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_support_session
    ADD CONSTRAINT safeguarder_support_session_pkey PRIMARY KEY (safeguarder_id, session_id);


--
-- Name: safeguarder_term safeguarder_term_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_term
    ADD CONSTRAINT safeguarder_term_pkey PRIMARY KEY (safeguarder_id, starts_on);


--
-- Name: safeguarder_year safeguarder_year_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.safeguarder_year
    ADD CONSTRAINT safeguarder_year_pkey PRIMARY KEY (safeguarder_id, year);


--
-- Name: scorecard_audit scorecard_audit_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_audit
    ADD CONSTRAINT scorecard_audit_pkey PRIMARY KEY (audit_id);


--
-- Name: scorecard_case scorecard_case_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_case
    ADD CONSTRAINT scorecard_case_pkey PRIMARY KEY (case_id);


--
-- Name: scorecard_case_status scorecard_case_status_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_case_status
    ADD CONSTRAINT scorecard_case_status_pkey PRIMARY KEY (case_id, version);


--
-- Name: scorecard_concern scorecard_concern_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_concern
    ADD CONSTRAINT scorecard_concern_pkey PRIMARY KEY (case_id, concern_id);


--
-- Name: scorecard_discussion scorecard_discussion_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_discussion
    ADD CONSTRAINT scorecard_discussion_pkey PRIMARY KEY (case_id, version);


--
-- Name: scorecard_drift scorecard_drift_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_drift
    ADD CONSTRAINT scorecard_drift_pkey PRIMARY KEY (case_id, version);


--
-- Name: scorecard_feedback scorecard_feedback_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_feedback
    ADD CONSTRAINT scorecard_feedback_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: scorecard_narrative scorecard_narrative_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_narrative
    ADD CONSTRAINT scorecard_narrative_pkey PRIMARY KEY (narrative_id);


--
-- Name: scorecard_narrative scorecard_narrative_quarter_measure_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_narrative
    ADD CONSTRAINT scorecard_narrative_quarter_measure_key UNIQUE (quarter, measure);


--
-- Name: scorecard_recommendation scorecard_recommendation_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_recommendation
    ADD CONSTRAINT scorecard_recommendation_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: scorecard_return scorecard_return_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_return
    ADD CONSTRAINT scorecard_return_pkey PRIMARY KEY (audit_id, agency);


--
-- Name: scorecard_review scorecard_review_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_review
    ADD CONSTRAINT scorecard_review_pkey PRIMARY KEY (review_id);


--
-- Name: scorecard_review_recommendation scorecard_review_recommendation_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_review_recommendation
    ADD CONSTRAINT scorecard_review_recommendation_pkey PRIMARY KEY (review_id, recommendation_id);


--
-- Name: scorecard_safeguarder scorecard_safeguarder_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_safeguarder
    ADD CONSTRAINT scorecard_safeguarder_pkey PRIMARY KEY (safeguarder_id);


--
-- Name: scorecard_statutory scorecard_statutory_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_statutory
    ADD CONSTRAINT scorecard_statutory_pkey PRIMARY KEY (review_id, step);


--
-- Name: scorecard_support scorecard_support_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_support
    ADD CONSTRAINT scorecard_support_pkey PRIMARY KEY (safeguarder_id, version);


--
-- Name: scorecard_term scorecard_term_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_term
    ADD CONSTRAINT scorecard_term_pkey PRIMARY KEY (safeguarder_id, starts_on);


--
-- Name: scorecard_tracking scorecard_tracking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.scorecard_tracking
    ADD CONSTRAINT scorecard_tracking_pkey PRIMARY KEY (application_name);


--
-- Name: support_caseload_tracking support_caseload_tracking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.support_caseload_tracking
    ADD CONSTRAINT support_caseload_tracking_pkey PRIMARY KEY (application_name);


--
-- Name: access_log_record; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX access_log_record ON public.access_log USING btree (record_id, viewed_at);


--
-- Name: assured_events_notification_id_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX assured_events_notification_id_idx ON public.assured_events USING btree (notification_id);


--
-- Name: case_action_due; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX case_action_due ON public.case_action USING btree (due);


--
-- Name: case_discussion_order; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX case_discussion_order ON public.case_discussion USING btree (case_id, held_on, version);


--
-- Name: case_state_legal_status; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX case_state_legal_status ON public.case_state USING btree (legal_status) WHERE (closed_date IS NULL);


--
-- Name: caseload_safeguarder_manager; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX caseload_safeguarder_manager ON public.caseload_safeguarder USING btree (support_manager);


--
-- Name: register_action_due; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX register_action_due ON public.register_action USING btree (due_on) WHERE (completed_on IS NULL);


--
-- Name: register_entry_dates; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX register_entry_dates ON public.register_entry USING btree (opened_on, closed_on);


--
-- Name: safeguarder_support_manager; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX safeguarder_support_manager ON public.safeguarder USING btree (support_manager);


--
-- Name: scorecard_discussion_case; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX scorecard_discussion_case ON public.scorecard_discussion USING btree (case_id, held_on);


--
-- Name: scorecard_support_year; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX scorecard_support_year ON public.scorecard_support USING btree (safeguarder_id, year);


--
-- PostgreSQL database dump complete
--


