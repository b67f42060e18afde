"""The benchmark scripts run from their own folder, which Python puts first on the path: a
script named after one of Assured's packages hides that package from every other script there
(bench/workflows.py did, and bench/append.py then failed to import the settings)."""

from __future__ import annotations

from pathlib import Path

import tomllib

ROOT = Path(__file__).parent.parent


def test_no_benchmark_script_hides_a_package_of_the_application() -> None:
    found = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {name.rstrip("*") for name in found["tool"]["setuptools"]["packages"]["find"]
                ["include"]}
    scripts = {path.stem for path in (ROOT / "bench").glob("*.py")}
    assert packages >= {"domain", "workflows", "projections", "api", "infra"}
    assert not scripts & packages, f"bench/ scripts named after packages: {scripts & packages}"
