"""deploy/: the compose file and the Kubernetes manifests parse (the manifests also against
Kubernetes' own schemas); every ASSURED_ setting they and the env examples pass is one the
settings class has; every command they run is one `assured` has; the Kubernetes parts have what
the issue asks: Deployments for the api, worker and projection runner, a migration Job, Secrets
for the keys, probes on /healthz and /readyz, and resource requests on every container."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import kubernetes_validate
import pytest
import typer
import yaml

from api.cli.main import app as cli
from infra.settings import Settings

DEPLOY = Path(__file__).parents[1] / "deploy"
MANIFESTS = sorted((DEPLOY / "kubernetes").glob("*.yaml"))
SETTINGS = {f"ASSURED_{name.upper()}" for name in Settings.model_fields}
KUBERNETES = "1.30.0"
"""The oldest Kubernetes the manifests are checked against (kubernetes-validate's schemas)."""


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # type: ignore[no-any-return]


def manifests() -> list[dict[str, Any]]:
    """Every Kubernetes object in deploy/kubernetes/ (the kustomization aside)."""
    return [doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text())
            if doc and doc["kind"] != "Kustomization"]


def env_example(name: str) -> dict[str, str]:
    lines = (DEPLOY / name).read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def containers(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = doc.get("spec", {})
    pod = spec.get("template", {}).get("spec", {}) if "template" in spec else {}
    yield from pod.get("containers", [])


def names_passed(doc: dict[str, Any]) -> set[str]:
    """The environment variable names a manifest sets: a ConfigMap's or Secret's keys, and a
    container's own `env`."""
    if doc["kind"] in ("ConfigMap", "Secret"):
        return set(doc.get("data", {})) | set(doc.get("stringData", {}))
    return {e["name"] for c in containers(doc) for e in c.get("env", [])}


def runs(args: list[str]) -> bool:
    """Whether `assured ARGS` names a command (its subcommands resolved as the CLI does)."""
    command: click.Command = typer.main.get_command(cli)
    for word in args:
        if not isinstance(command, click.Group) or word.startswith("-"):
            break
        found = command.get_command(click.Context(command), word)
        if found is None:
            return False
        command = found
    return not isinstance(command, click.Group)


def test_the_compose_file_runs_production_s_parts_with_their_own_databases() -> None:
    services = compose()["services"]
    assert {"postgres", "temporal-db", "temporal", "temporal-ui", "migrate", "api", "worker",
            "projections"} <= services.keys()
    assert services["temporal"]["environment"]["POSTGRES_SEEDS"] == "temporal-db"
    ours = {name: s for name, s in services.items() if s.get("image") == "assured:latest"}
    assert set(ours) == {"migrate", "api", "worker", "projections"}
    for name, service in ours.items():
        assert runs(service["command"]), (name, service["command"])
        assert service["env_file"] == ["production.env"]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    for name in ("api", "worker", "projections"):
        assert ours[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert ours["migrate"]["restart"] == "no"


def test_every_setting_the_deploy_files_pass_is_a_setting() -> None:
    passed = {name for s in compose()["services"].values() for name in s.get("environment", {})}
    for doc in manifests():
        passed |= names_passed(doc)
    passed |= set(env_example("production.env.example")) | set(env_example("compose.env.example"))
    ours = {name for name in passed if name.startswith("ASSURED_")}
    assert ours - SETTINGS == set(), "not in infra/settings.py"
    assert {"ASSURED_DATABASE_URL", "ASSURED_ENCRYPTION_KEY", "ASSURED_MODE"} <= ours


def test_the_production_env_example_has_what_production_mode_requires(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Filled in, the example is read from the environment into valid production settings."""
    example = env_example("production.env.example")
    for name in [n for n in os.environ if n.startswith("ASSURED_")]:
        monkeypatch.delenv(name)
    for name, value in example.items():
        monkeypatch.setenv(name, value or "filled-in")
    settings = Settings()
    assert settings.mode == "production" and settings.log_format == "json"
    assert {"ASSURED_MIGRATION_DATABASE_URL", "ASSURED_PROJECTIONS_DATABASE_URL",
            "ASSURED_TOKEN_SECRET", "ASSURED_TEMPORAL_ADDRESS"} <= example.keys()


def _kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in manifests() if d["kind"] == kind}


def test_the_kubernetes_manifests_are_valid_against_kubernetes_schemas() -> None:
    """Strictly: a misspelt or misplaced field fails here, as `kubectl apply` would refuse it."""
    for doc in manifests():
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_the_kubernetes_manifests_have_the_parts_probes_and_requests() -> None:
    deployments, jobs, secrets = _kind("Deployment"), _kind("Job"), _kind("Secret")
    assert set(deployments) == {"assured-api", "assured-worker", "assured-projections"}
    assert [c["args"] for c in containers(jobs["assured-migrate"])] == [["db", "migrate"]]
    keys = {k for s in secrets.values() for k in s.get("stringData", {})}
    assert {"ASSURED_ENCRYPTION_KEY", "ASSURED_TOKEN_SECRET", "ASSURED_CHECKPOINT_KEY"} <= keys
    (api,) = containers(deployments["assured-api"])
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for doc in [*deployments.values(), *jobs.values()]:
        for container in containers(doc):
            assert runs(container["args"]), container["args"]
            assert {"cpu", "memory"} <= container["resources"]["requests"].keys()
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert doc["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_only_the_projection_runner_holds_the_checkpoint_key() -> None:
    for name, doc in _kind("Deployment").items():
        for container in containers(doc):
            refs = {r.get("secretRef", {}).get("name") for r in container.get("envFrom", [])}
            refs |= {e["valueFrom"]["secretKeyRef"]["name"] for e in container.get("env", [])
                     if "valueFrom" in e}
            assert ("assured-checkpoint" in refs) == (name == "assured-projections"), name
    assert "ASSURED_CHECKPOINT_KEY" not in env_example("production.env.example")


def test_every_reference_names_a_config_map_or_secret_the_manifests_define() -> None:
    defined = {(d["kind"], d["metadata"]["name"]) for d in manifests()}
    for doc in manifests():
        for container in containers(doc):
            refs = [("ConfigMap", s["configMapRef"]["name"]) if "configMapRef" in s
                    else ("Secret", s["secretRef"]["name"]) for s in container.get("envFrom", [])]
            refs += [("Secret", e["valueFrom"]["secretKeyRef"]["name"])
                     for e in container.get("env", []) if "valueFrom" in e]
            assert set(refs) <= defined, refs


def test_the_kustomization_lists_every_manifest_but_the_secrets_example() -> None:
    kustomization = yaml.safe_load((DEPLOY / "kubernetes" / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    assert listed == {p.name for p in MANIFESTS} - {"kustomization.yaml", "secrets.example.yaml"}
