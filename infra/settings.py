"""Every setting in one place. Each has a default that serves the embedded run and an
environment variable (prefix ASSURED_) for production. README.md has the table."""

from __future__ import annotations

import os
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.accounts import Role
from domain.policy import DEFAULT_POLICY, Policy
from workflows.capacity import Capacity


class Mode(StrEnum):
    EMBEDDED = "embedded"
    PRODUCTION = "production"


class SmtpTls(StrEnum):
    NONE = "none"          # plain SMTP (a relay on the loopback)
    STARTTLS = "starttls"  # upgrade on the submission port (587)
    TLS = "tls"            # implicit TLS (465)


class AuthMode(StrEnum):
    LOCAL = "local"
    OIDC = "oidc"


class LogFormat(StrEnum):
    AUTO = "auto"  # json in production mode, text otherwise (infra/logs.py)
    JSON = "json"
    TEXT = "text"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSURED_", frozen=True)

    mode: Mode = Mode.EMBEDDED
    data_dir: Path = Path("var")
    database_url: SecretStr | None = None
    """The application's role (infra/migrations.py): it may read and append events, no more."""
    projections_database_url: SecretStr | None = None
    """The read-table writer's role (the projection runner, and the API's inline catch-up)."""
    migration_database_url: SecretStr | None = None
    """The role that owns the schema: `assured db migrate` only."""
    encryption_key: SecretStr | None = None
    checkpoint_dir: Path | None = None
    """Where signed checkpoints of the chain's head are kept (default: <data_dir>/checkpoints)."""
    checkpoint_key: SecretStr | None = None
    """Ed25519 key (base64 of 32 bytes) signing checkpoints (`assured keys checkpoint`)."""
    checkpoint_public_keys: list[str] = []
    """Public keys a checkpoint may be signed by, besides the signing key's own."""
    verify_interval_seconds: float = 300.0
    """How often the projection runner verifies the chain and signs a checkpoint (0: never)."""
    snapshot_interval: int = 50
    record_cache_size: int = 10_000
    record_threads: int = max(2, os.cpu_count() or 2)  # api/record_threads.py
    temporal_address: str = "localhost:7233"
    temporal_namespace: str = "default"
    task_queue: str = "assured"
    # What the worker takes on at once (workflows/capacity.py says why these sizes).
    worker_cached_workflows: int = Capacity.cached_workflows
    """Workflows the worker keeps in memory between their tasks (0: none, each task replays)."""
    worker_workflow_tasks: int = Capacity.workflow_tasks
    """Workflow tasks the worker holds at once; the rest wait on Temporal's queue."""
    worker_workflow_polls: int = Capacity.workflow_polls
    """Polls for workflow tasks open at once (half for new workflows, half sticky)."""
    worker_activities: int = Capacity.activities
    """Threads for activities, and the most activities the worker takes at once."""
    temporal_ui_port: int = 8233
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    auth_mode: AuthMode = AuthMode.LOCAL
    token_secret: SecretStr | None = None
    token_minutes: int = 15
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    oidc_algorithms: list[str] = ["RS256"]
    oidc_roles_claim: str = "roles"
    oidc_region_claim: str = "region"
    oidc_agency_claim: str = "agency"  # an agency contributor's agency
    # Of the roles a person's claim lists, the first of these is theirs (api/auth.py).
    oidc_role_precedence: list[Role] = list(Role)
    # What the provider must say of a sign-in for a role that needs a second factor.
    oidc_second_factor_acr: list[str] = []
    oidc_second_factor_amr: list[str] = ["mfa", "otp", "hwk"]
    oidc_jwks_timeout_seconds: float = 2.0
    oidc_jwks_max_age_seconds: float = 600.0
    oidc_jwks_min_refresh_seconds: float = 30.0
    session_check_seconds: float = 5.0
    sign_in_attempts: int = 5
    sign_in_address_attempts: int = 20
    sign_in_window_seconds: int = 900
    trusted_proxies: list[str] = []
    read_wait_seconds: float = 5.0
    clock_skew_seconds: int = 300
    # The yearly multi-agency audit (seed 004: "annual multi-agency practice audits").
    audit_month: int = 4
    audit_day: int = 1
    audit_theme: str = "Supervision and management oversight"
    audit_agencies: list[str] = ["Police", "Health", "Children's social care", "Education"]
    audit_sample_size: int = 6
    max_body_bytes: int = 2 * 1024 * 1024
    # The web pages (api/web/): GOV.UK Frontend and htmx as `npm ci` installed them.
    web_assets_dir: Path = Path("node_modules")
    public_submissions_per_hour: int = 10  # from one address, on the public feedback form
    term_years: int = DEFAULT_POLICY.safeguarder_term.amount
    reappointment_review_lead_months: int = DEFAULT_POLICY.reappointment_review_lead.amount
    cin_supervision_interval_months: int = DEFAULT_POLICY.cin_supervision_interval.amount
    # Retention (domain/policy.py, domain/retention.py; the retention process, monthly).
    safeguarder_retention_years: int = DEFAULT_POLICY.safeguarder_retention.amount
    case_retention_years: int = DEFAULT_POLICY.case_retention.amount
    retention_approver: str = "data_protection_officer"
    """The role whose approval the retention process's erasures wait for."""
    retention_day: int = 1
    """The day of each month the retention process lists what is past its period."""
    # Production mode (deploy/, docs/operations.md): a Temporal cluster over TLS, logs, traces.
    temporal_tls: bool = False
    """Connect to Temporal over TLS (implied by any of the three files below)."""
    temporal_tls_ca: Path | None = None
    """PEM file of the CA that signed the Temporal frontend's certificate (default: the system's)."""
    temporal_tls_cert: Path | None = None
    """PEM client certificate for mutual TLS (with `temporal_tls_key`)."""
    temporal_tls_key: Path | None = None
    """PEM private key of the client certificate."""
    temporal_tls_server_name: str | None = None
    """The name the frontend's certificate is checked against, when not the address's host."""
    temporal_ui_url: str | None = None
    """The Temporal UI that operations staff's links open (default: the embedded dev server's)."""
    log_format: LogFormat = LogFormat.AUTO
    log_level: str | None = None
    """DEBUG, INFO, WARNING or ERROR (default: INFO for json, WARNING at a terminal)."""
    otlp_endpoint: str | None = None
    """OTLP/HTTP traces endpoint (e.g. http://collector:4318/v1/traces); unset: no tracing."""
    # Reminders by email (workflows/reminders/, infra/mail.py): without an SMTP host, the mail
    # is written to <data_dir>/mail as .eml files (the embedded default).
    web_url: str = "http://127.0.0.1:8000"
    """Where people open the pages: the links in reminder emails start with it."""
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_tls: SmtpTls = SmtpTls.STARTTLS
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "assured@localhost"
    mail_dir: Path | None = None
    """Where the embedded default writes the mail (default: <data_dir>/mail)."""
    reminder_days: int = 5
    """A reminder is sent this many days before an item is due."""
    reminder_hour: int = 7
    """The hour (UTC) the daily reminders and digests go out."""

    @model_validator(mode="after")
    def _production_needs_its_own_database_and_key(self) -> Settings:
        if self.mode == Mode.PRODUCTION:
            if self.database_url is None:
                raise ValueError("production mode needs ASSURED_DATABASE_URL")
            if self.encryption_key is None:
                raise ValueError("production mode needs ASSURED_ENCRYPTION_KEY "
                                 "(create one with `assured keys new`)")
            if self.projections_database_url is None:
                raise ValueError("production mode needs ASSURED_PROJECTIONS_DATABASE_URL (the "
                                 "read-table writer's role; `assured db migrate` makes it)")
        if self.auth_mode == AuthMode.OIDC and not (
            self.oidc_issuer and self.oidc_audience and self.oidc_jwks_url
        ):
            raise ValueError("OpenID Connect sign-in needs ASSURED_OIDC_ISSUER, "
                             "ASSURED_OIDC_AUDIENCE and ASSURED_OIDC_JWKS_URL")
        if self.auth_mode == AuthMode.LOCAL and self.mode == Mode.PRODUCTION and (
            self.token_secret is None
        ):
            raise ValueError("local sign-in in production needs ASSURED_TOKEN_SECRET")
        return self

    @model_validator(mode="after")
    def _temporal_client_certificate_comes_with_its_key(self) -> Settings:
        if (self.temporal_tls_cert is None) != (self.temporal_tls_key is None):
            raise ValueError("mutual TLS to Temporal needs both ASSURED_TEMPORAL_TLS_CERT and "
                             "ASSURED_TEMPORAL_TLS_KEY")
        if self.log_level and self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("ASSURED_LOG_LEVEL is one of DEBUG, INFO, WARNING, ERROR")
        return self

    @cached_property
    def capacity(self) -> Capacity:
        return Capacity(self.worker_cached_workflows, self.worker_workflow_tasks,
                        self.worker_workflow_polls, self.worker_activities)

    @model_validator(mode="after")
    def _worker_capacity_holds_together(self) -> Settings:
        try:
            self.capacity  # noqa: B018
        except ValueError as error:
            raise ValueError("ASSURED_WORKER_WORKFLOW_TASKS must be at least 2 and at most "
                             "ASSURED_WORKER_CACHED_WORKFLOWS (unless that is 0), "
                             "ASSURED_WORKER_WORKFLOW_POLLS at least 2 and "
                             "ASSURED_WORKER_ACTIVITIES at least 1") from error
        return self

    @cached_property
    def policy(self) -> Policy:
        return DEFAULT_POLICY.with_overrides(
            safeguarder_term=self.term_years,
            reappointment_review_lead=self.reappointment_review_lead_months,
            cin_supervision_interval=self.cin_supervision_interval_months,
            safeguarder_retention=self.safeguarder_retention_years,
            case_retention=self.case_retention_years,
        )
