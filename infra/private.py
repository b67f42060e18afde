"""Files under the data folder are the owner's alone: files 0600, folders 0700.

The data folder holds the embedded PostgreSQL's data, the keys, the token secret and Temporal's
database; none of it is for other users of the machine. One exception: run as root, the
embedded PostgreSQL runs as a user of its own, which must pass through the data folder to its
own (0700) folder inside it while it runs, or it fails at its first checkpoint. The data folder
is then 0711 (`for_server`): others may pass through it, never list or write it, and every file
in it is 0600. Tightening keeps such a pass-through bit and removes every read and write bit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE, FOLDER = 0o600, 0o700
PASS_THROUGH = 0o011
"""The search bit for group and others: enter the folder, not list it."""


def private_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER)
    _tighten_folder(path)
    return path


def for_server(data_dir: Path) -> None:
    """Run as root, let the embedded PostgreSQL's own user pass through `data_dir` to its
    folder (see the module's docstring); otherwise nothing."""
    if os.geteuid() == 0:
        data_dir.chmod(FOLDER | PASS_THROUGH)


def _tighten_folder(path: Path) -> None:
    path.chmod(FOLDER | (stat.S_IMODE(path.stat().st_mode) & PASS_THROUGH))


def write_private(path: Path, text: str) -> None:
    """Create `path` readable by its owner only (never readable by others, even briefly)."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE)
    with os.fdopen(fd, "w") as opened:
        opened.write(text)


def tighten(folder: Path) -> None:
    """Make every file under `folder` 0600 and every folder 0700, or 0711 where it lets others
    pass through (sockets are left alone: the folder around them is what keeps others out)."""
    for root, _folders, files in os.walk(folder):
        _tighten_folder(Path(root))
        for name in files:
            path = Path(root) / name
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                path.chmod(stat.S_IMODE(mode) & FILE)
