"""Files under the data folder are the owner's alone: files 0600, folders 0700.

The data folder holds the embedded PostgreSQL's data, the keys, the token secret and Temporal's
database; none of it is for other users of the machine.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE, FOLDER = 0o600, 0o700


def private_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=FOLDER)
    path.chmod(FOLDER)
    return path


def write_private(path: Path, text: str) -> None:
    """Create `path` readable by its owner only (never readable by others, even briefly)."""
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE)
    with os.fdopen(fd, "w") as opened:
        opened.write(text)


def tighten(folder: Path) -> None:
    """Make every file under `folder` 0600 and every folder 0700 (sockets are left alone:
    the folder around them is what keeps others out)."""
    for root, _folders, files in os.walk(folder):
        Path(root).chmod(FOLDER)
        for name in files:
            path = Path(root) / name
            mode = path.lstat().st_mode
            if stat.S_ISREG(mode) and stat.S_IMODE(mode) & 0o077:
                path.chmod(stat.S_IMODE(mode) & FILE)
