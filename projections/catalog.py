"""Every read model: each module of this package with a `.sql` file beside it, and the
`Projection` with a name that it defines.

Adding a read model is adding a module and its `.sql` file; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import projections
from projections.base import Projection


def projection_classes() -> list[type[Projection]]:
    found: list[type[Projection]] = []
    for module_info in sorted(pkgutil.iter_modules(projections.__path__), key=lambda m: m.name):
        if not any((Path(p) / f"{module_info.name}.sql").exists() for p in projections.__path__):
            continue
        module = importlib.import_module(f"projections.{module_info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Projection)
                    and value.__module__ == module.__name__ and value.name):
                found.append(value)
    return found


def all_projections() -> list[Projection]:
    return [kind() for kind in projection_classes()]
