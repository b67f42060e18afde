"""The pages' assets, served as `npm ci` installed them (no build step, nothing committed):
GOV.UK Frontend's precompiled CSS and JavaScript, htmx, and our own small stylesheet and script.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

log = logging.getLogger("assured.web")

OWN = Path(__file__).parent / "static"
REPOSITORY = Path(__file__).resolve().parents[2]
PACKAGES = {"govuk-frontend": "govuk-frontend/dist/govuk", "htmx": "htmx.org/dist"}


def installed_at(setting: Path) -> Path:
    """The npm packages' folder: the setting, or beside the code (a relative setting that is
    not in the working folder is taken from the repository's root)."""
    if setting.is_absolute() or setting.is_dir():
        return setting
    return REPOSITORY / setting


def mount(api: FastAPI, setting: Path) -> None:
    """Mount each package's folder under /assets/<name>/. Without `npm ci` the pages still
    answer, unstyled; the log says why."""
    installed = installed_at(setting)
    for name, folder in PACKAGES.items():
        path = installed / folder
        if not path.is_dir():
            log.warning("%s is missing: run `npm ci` (make run and make test do); pages are "
                        "served without it", path)
        api.mount(f"/assets/{name}", StaticFiles(directory=path, check_dir=False),
                  name=f"assets:{name}")
    api.mount("/assets/assured", StaticFiles(directory=OWN), name="assets:assured")
