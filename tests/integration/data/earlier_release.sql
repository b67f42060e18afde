-- Written by make_earlier_release.py from commit bccebb74b0e1a363e14fce6d3a75bcf1a83a8759: do not edit.
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
    filters text NOT NULL,
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
-- Name: api_revoked; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.api_revoked (
    token_id text,
    username text,
    issued_before double precision,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.api_revoked OWNER TO postgres;

--
-- Name: api_second_factor_used; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.api_second_factor_used (
    name_ref text NOT NULL,
    step bigint NOT NULL,
    used_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.api_second_factor_used OWNER TO postgres;

--
-- Name: api_sign_in_failure; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.api_sign_in_failure (
    name_ref text NOT NULL,
    address_ref text NOT NULL,
    failed_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.api_sign_in_failure OWNER TO postgres;

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

INSERT INTO public.access_log_tracking VALUES ('Assured', 7);


--
-- Data for Name: api_idempotency; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: api_revoked; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: api_second_factor_used; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: api_sign_in_failure; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: assured_events; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.assured_events VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 1, 'domain.case:Case.Opened', '\xefa48d089389e69906e427058d564b8a9355e40a148bf236266cfb9585b72e01a6ffbb575ad178e223d370342cb62bf9bbe79df44514c0ce9e10e7f56acf564603e6efba58ee72a12e42dfe93abb0597a0ddb570d1c932e50ad9108fd31dfda9947a2cbca4bcddd570b45fd47aeb096592218b7a7da6c1271ee4b90ef8e63f4857872876241489a352c41b70e01e5d84cd333804b87973aba3997319d3082aa44cbb45c36d4e8c917fbfb4f64fca81409a942c8d565160519e049dd99d730ff4779cfddc042980a5b1a979df130434af8a7a7f6d709cd9621679618f05093e50b8358cfea9004cf41211c5e8f69a47db88d8bc803fc5ef16a12d6644b3be670a0ffcedeabeee82085b2b03f2', 1);
INSERT INTO public.assured_events VALUES ('e11e901b-4284-523c-9ce2-1eb881093b79', 1, 'domain.case_reference:CaseReference.Opened', '\xecc96772abb244e84f2019553b9356185cf2710eea155ab687ec55488eb0810528c77424c6778a0864132aa319ab307b4fc0e4656a1ea7228187fb92b4c73c804fd6186ff1dcff4fc3bffeefbf7a91fab03f9dea138257c11d0dac2de1771445f39045586af7ab41ce123a049208c6387e8f720635343511a3cc90e162d04d623d5f03d2653a0cf553ff306f8178ffdba681886ae2c9d67235ed3b003c3a3d4dd98303bd51f23286cf3beda97d3f3b8d628435a5aed2cd688172ad0190d4e277952f73c6d407762c2857470618394471fd4bf14e05deaf848aecfd2fa2cc24', 2);
INSERT INTO public.assured_events VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 2, 'domain.case:Case.RiskChanged', '\x795250aa1bdd05daec38ba1e591c9618044f0ca8b2fb17bbd15aad14d02b2fc0db155319466807768e3457ddc33d94124ca5aab4bc482c2ef40729f35148861e331adc7b948b7938e96c39afd2d306ddecee53a618a5010aa4b54907ffb30d42f3b60a1fb3ffcf7de2b22e852cf3b23ffe8a6b4dfdbb30f7af9ca861a14e84ba1a458c4e27bd761e4d237a3a08440a1ecbbba8a64175dcce6a0e3d54c85fcf9782f4', 3);
INSERT INTO public.assured_events VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 3, 'domain.case:Case.RiskChanged', '\x0af52090b47d8e869a61258a4f96335b5ddb5b2c397e48fbd5684d7ace22e6238b784ffc48e084b3275eded7ccc028598642f804eb70a8d80be321ad987e0c761ea2a1e1892f03dd5c42cd38df308950f599add8203024cd48f94d205313a8cbcad65b995097b913e893c3850ecdf7c53e87359a90a3ddbef34c770875a21f11f737a7989899d8bb4620a53a4127634652b2a96119054c7c25c382546201ef5df2147f', 4);
INSERT INTO public.assured_events VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 4, 'domain.case:Case.RiskChanged', '\x689a761abbf6cdc9370adb28693aba8a234b3ffea0a150cc0ae745d8d79bb4b3d6da43741c031bc8c070301c471ba37d27574d19c12e9516c4a03d0adef5d4b25dcc00b26d4f348b59ed686d6703c093de607c966dd86a9d504fbef84a03cba94aae7105fd239adb127fcf785e8dfe5f177f8e60d09b7190864032405a1f0e8697d2af1891e290ff2a0c4f0602365ce490908f5aa0f1a7d4f961182f2753575086c7', 5);
INSERT INTO public.assured_events VALUES ('e3dac3de-fbf0-43b7-91a9-0cd941932472', 1, 'domain.safeguarder:Safeguarder.Applied', '\x0ea997c9eb6c562cf8cdf9b46a35eee664331a199149706f6cdd3e7f584fa5b1c8e328dc103d75acd0cbae3c51398758b81fc89cb397e08276fb6946017050d985760e32f2fd78b58286e7f339bd115d3133bdb550b38a7ad529141e100077bb0b98f3f227c9c7b6ea7e0e2b7859b1d23ec924e0652d016553e514356148de006d9ec32eaf4d64a0d26e9c3f94adae4f47e7c826895757ff5c1fc9c725e855ed30ec40997604a6a1179a0495d11ebc21f7836a57b5830304fc5a1e5be98cf73d41f166bf067b45322b95beded8ec42eb4dd93f9076bf2f5d8921444122b4817f7f9bc4762718edf1bcb9', 6);
INSERT INTO public.assured_events VALUES ('e3dac3de-fbf0-43b7-91a9-0cd941932472', 2, 'domain.safeguarder:Safeguarder.Interviewed', '\x0eed9f22a44d4ffb0147dc61e1084d890ab446c9d94b4c4acf8e2477f965a1afd470df03050bc878566e1155290a10313586721f3922c849a4f16f1b49c0599a8f650ac6cecbf940c67bf4bec66a419c6ee820af55464ecc58384f2981aff92d89a66470ef4614a0094b71447cf161151b44df10858a1f0569c03bc73de059104c2b47251305128135eb0968051096b85beb3979932e919a4a292cb5ca0db243b5a6e69693493452aea022409e7ff968f4a7b90c27dd8b9160d5', 7);


--
-- Data for Name: assured_snapshots; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.assured_snapshots VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 2, 'eventsourcing.domain:Snapshot', '\x140640b33f3f9437aebca4144b4dbb67a582c3d5f466bfa5c539578f4b3a74eb1a28f0eaa321103ddf3d24c6b14c172bc785130f2c3bf8886203fe780d5e01101397b24f640622fa0ead7d6fffe38c6584fca5eef48332b81378bbfea4059b4e5ecdb9cbc84ca6c8bccc0ee84e10803cb4c27757e07744cc6b14743927d39cbdd822f5ecab2a4204ec7bf810052d03a34517ab5da239d8a87d9dd565ddcac31dce0e73019f2e7d4500b377afc4e39b37e7223e142c6715bfafe7fd1707d51551c31781549229c703064d7bb36975118f082d4350efea202b4dcabfa7e82682e032848100b7db8d56a21fe75c51f4f7f25e20c36c2cf7b9fb30f6695943e8a6d28cd16af8dcc93411c14825b8e2f4b690c8bd44e7a1527370fac1f9debf7c2d8ade8eb7fb4f460364bf61722286ba8e2e771f271c468d27f0208f9109fcd726e932bf0e49259591a56a0397d7c4da48b4ca9a5bf8fd5dd6a76914bc8b1899d7f5fbb7fbe36414243e7fb08e82891506222ae5cd3982f82792ac335d1dafb7920ff0');
INSERT INTO public.assured_snapshots VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 4, 'eventsourcing.domain:Snapshot', '\x86871fd643d9095f7e77909efc98e91d230799c2de19b75c335c44b6e03a88e6d5fe742907c071e22d66d4a13814511b9c9a5f4df8d3c8935febc6c00a60331059b1e14c6c50d1350f68e254481e6f6d747a9bb0a4d4d51f91170b29cdd724645334c48fd773e59be56fd90caece7e91b807f55818d0349adfa997dc801a58305fa43ff76508f621d77ea9ebacf84cec6c7b01d036f7dcd16ef6c2282fe06c0a8142c3005217222fd4b03fffaf64c840907e0d7329f8098d5409f16b151a432752862afaee6295226c6071966894f5f0687d8ad32dd9a59536fac31ce5dcc238f34eb389490d098e95f7e5fba32d3867423a2a760324e14759402bbd55c02d881de73ad65793c0abd10dad0755ea1e3c7501e67f4f8459ec8c2f43be15b58bb664b0870f0155bb9ae3dd1f925871c24477309d02a94c0b45a27fdb8cf534e921f6ea98f64224730720d6cb3996730841ad770a57fcd968d5a7ff85b790e3f7d8264a62d612b92f1d86d505e2084a4de1bc53fd87931626b3f54cbbf74270abda');
INSERT INTO public.assured_snapshots VALUES ('e3dac3de-fbf0-43b7-91a9-0cd941932472', 2, 'eventsourcing.domain:Snapshot', '\x3fe152e87e884e76a2d38d9f88ceb219a2cda42815d74e39b3576ab19ec7e8d70a44f3b23f8b40bfd3a90936b7d05b58da0c24091a98b1e2fe883227c09ab8db642d828ee90b00707e140a5075a6877836b8c63e878dff156427d49fde348e5cb37a2376e27764bdfde6d2a8135ab2e8dccb01c69146f4a9a7bed64be97dbf0fcbef82be148ece3571a4cffd31a70115078b932b2e41671d9fb1d423c3b387bba3edf0ceee4751b9c10b2c63ebb2b7c4f61d86f67d1fe1b6b5d4f61b39d84a090bfc5de0a8c8f0b893b5d4313deb1addbd2c58d332ef761860c5f26c9d92fce8f8052845c224c31e8b8b9bdd2818ec6d2586fbfb9231fe8e800acc902d9eaf25ef7cbb52edb1032e0db5394b799c6bbd952645140347e32f8f8ff6cc439b84246146366c2a33cb7fddf0f3acaa4c3f2c477814377d88b20de223ceaa3d481cac0727d4677930b56bdd8c218abfd069c71a9d606a7decaaf2086ce7f50c58bc559921fad6147eec901fe953bdb4d796e86e6e7d3d27ef458187567ed106de0bb409ec9351fca3571cde0396139374cde90c9a2ce9');


--
-- Data for Name: case_action; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: case_chronology; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.case_chronology VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 1, 'Opened', '2025-03-03 09:00:00+00', '2026-12-01 19:22:38.673942+00', 'pr-1', 'Case opened: child_in_need, risk medium, ENG, agency Health', NULL);
INSERT INTO public.case_chronology VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 2, 'RiskChanged', '2025-03-04 09:00:00+00', '2026-12-01 19:22:38.783657+00', 'su-1', 'Risk changed to high', NULL);
INSERT INTO public.case_chronology VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 3, 'RiskChanged', '2025-03-05 09:00:00+00', '2026-12-01 19:22:38.849136+00', 'su-1', 'Risk changed to medium', NULL);
INSERT INTO public.case_chronology VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 4, 'RiskChanged', '2025-03-06 09:00:00+00', '2026-12-01 19:22:38.875039+00', 'su-1', 'Risk changed to high', NULL);


--
-- Data for Name: case_discussion; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: case_drift_flag; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: case_state; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.case_state VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 'Health', 'pr-1', 'su-1', 'child_in_need', 'high', 'ENG', '2025-03-03 09:00:00+00', '2025-03-03', NULL, NULL, 0);


--
-- Data for Name: case_supervision_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.case_supervision_tracking VALUES ('Assured', 7);


--
-- Data for Name: caseload_safeguarder; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.caseload_safeguarder VALUES ('e3dac3de-fbf0-43b7-91a9-0cd941932472', '\xc6efb281086aa9a81ed6f64c8199473a674335222192d6f07a211d1550f876a58efdf8c005b301e8', 'East', 'interviewed', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL);


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

INSERT INTO public.evidence_safeguarder VALUES ('e3dac3de-fbf0-43b7-91a9-0cd941932472', '\xc6efb281086aa9a81ed6f64c8199473a674335222192d6f07a211d1550f876a58efdf8c005b301e8', 'East', 'applicant', NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL);


--
-- Data for Name: group_session; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: projection_fault; Type: TABLE DATA; Schema: public; Owner: postgres
--



--
-- Data for Name: projection_registry; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.projection_registry VALUES ('access_log', 2, '{access_log,access_log_tracking}', '2026-12-01 19:22:39.75939+00');
INSERT INTO public.projection_registry VALUES ('case_supervision', 3, '{case_action,case_chronology,case_discussion,case_drift_flag,case_state,case_supervision_tracking}', '2026-12-01 19:22:39.981039+00');
INSERT INTO public.projection_registry VALUES ('support_caseload', 2, '{caseload_safeguarder,caseload_step,caseload_year,support_caseload_tracking}', '2026-12-01 19:22:40.160401+00');
INSERT INTO public.projection_registry VALUES ('reappointment_evidence', 2, '{evidence_concern,evidence_item,evidence_safeguarder,reappointment_evidence_tracking}', '2026-12-01 19:22:40.236425+00');
INSERT INTO public.projection_registry VALUES ('review_register', 2, '{register_action,register_deadline,register_entry,register_followup,register_learning,register_return,review_register_tracking}', '2026-12-01 19:22:40.371056+00');
INSERT INTO public.projection_registry VALUES ('safeguarder_file', 3, '{group_session,safeguarder,safeguarder_allocation,safeguarder_concern,safeguarder_evidence,safeguarder_feedback,safeguarder_file_tracking,safeguarder_group_session,safeguarder_mentoring,safeguarder_sampled_report,safeguarder_shortfall,safeguarder_shortfall_withdrawal,safeguarder_support_session,safeguarder_term,safeguarder_year}', '2026-12-01 19:22:40.629156+00');
INSERT INTO public.projection_registry VALUES ('scorecard', 2, '{scorecard_audit,scorecard_case,scorecard_case_status,scorecard_concern,scorecard_discussion,scorecard_drift,scorecard_feedback,scorecard_narrative,scorecard_recommendation,scorecard_return,scorecard_review,scorecard_review_recommendation,scorecard_safeguarder,scorecard_statutory,scorecard_support,scorecard_term,scorecard_tracking}', '2026-12-01 19:22:40.873206+00');


--
-- Data for Name: reappointment_evidence_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.reappointment_evidence_tracking VALUES ('Assured', 7);


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

INSERT INTO public.review_register_tracking VALUES ('Assured', 7);


--
-- Data for Name: safeguarder; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.safeguarder VALUES ('e3dac3de-fbf0-43b7-91a9-0cd941932472', '\xc6efb281086aa9a81ed6f64c8199473a674335222192d6f07a211d1550f876a58efdf8c005b301e8', '\xef5608861dcd9ad28c0cdb32c46b762d6a9dba9d21937f979ff04074c6bf476321f13828d07fa48e47b67a1986d772b77102a8cbe6', 'East', 'interviewed', NULL, '2025-03-03 09:00:00+00', NULL, NULL, NULL);


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

INSERT INTO public.safeguarder_file_tracking VALUES ('Assured', 7);


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

INSERT INTO public.scorecard_case VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 'ENG', '2025-03-03', NULL);


--
-- Data for Name: scorecard_case_status; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.scorecard_case_status VALUES ('31ac2d3b-152f-41c2-a81f-ccada6de982a', 1, 'child_in_need', '2025-03-03');


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

INSERT INTO public.scorecard_safeguarder VALUES ('e3dac3de-fbf0-43b7-91a9-0cd941932472', NULL, NULL);


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

INSERT INTO public.scorecard_tracking VALUES ('Assured', 7);


--
-- Data for Name: support_caseload_tracking; Type: TABLE DATA; Schema: public; Owner: postgres
--

INSERT INTO public.support_caseload_tracking VALUES ('Assured', 7);


--
-- Name: assured_events_notification_id_seq; Type: SEQUENCE SET; Schema: public; Owner: postgres
--

SELECT pg_catalog.setval('public.assured_events_notification_id_seq', 7, true);


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
-- Name: api_second_factor_used api_second_factor_used_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.api_second_factor_used
    ADD CONSTRAINT api_second_factor_used_pkey PRIMARY KEY (name_ref, step);


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
-- Name: api_revoked_expires; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX api_revoked_expires ON public.api_revoked USING btree (expires_at);


--
-- Name: api_sign_in_failure_address; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX api_sign_in_failure_address ON public.api_sign_in_failure USING btree (address_ref, failed_at);


--
-- Name: api_sign_in_failure_name; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX api_sign_in_failure_name ON public.api_sign_in_failure USING btree (name_ref, failed_at);


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


