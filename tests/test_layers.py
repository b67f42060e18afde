"""The layers hold on every run: import-linter's contracts in pyproject.toml (the domain imports
none of the others; workflows and projections import neither the doors nor the wiring, nor each
other; the wiring imports no routes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_import_contracts_are_kept() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    checked = subprocess.run([str(linter), "--no-cache"], cwd=ROOT, capture_output=True,
                             text=True, timeout=120, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 kept, 0 broken." in checked.stdout, checked.stdout


def test_the_code_passes_its_linter() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    checked = subprocess.run([str(ruff), "check", "--no-cache", "domain", "workflows",
                              "projections", "api", "infra", "bench", "tests"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
