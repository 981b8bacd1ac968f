"""peewee without the PostgreSQL and MySQL drivers at import.

When a driver is installed, ``import peewee`` (and ``playhouse.migrate``, through its
CockroachDB support) import it, psycopg costing about 75 ms, only to offer database
classes desk-app never uses: the local database is SQLite, and sync talks to PostgreSQL
through psycopg directly, later, on its own thread. A finder placed first in
``sys.meta_path`` hides the drivers while those modules run the first time; afterwards
the drivers import normally (and peewee's PostgreSQL classes stay unusable, which
nothing here needs).
"""

import importlib.util
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

SERVER_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi", "pymysql", "MySQLdb")
SQLITE_ONLY = frozenset({"peewee", "playhouse.migrate"})


class _DriverHidingLoader:  # a loader (importlib.abc would cost the start its import)
    """Runs peewee's own loader with the server drivers hidden."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        hidden = [name for name in SERVER_DRIVERS if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]  # "import name" fails
        try:
            self._loader.exec_module(module)
        finally:
            for name in hidden:
                if sys.modules.get(name, False) is None:
                    del sys.modules[name]


class _PeeweeFinder:  # a meta path finder
    """Finds the SQLite-only modules through the other finders and hands each the
    hiding loader, once; leaves ``sys.meta_path`` when all of them are in."""

    def __init__(self) -> None:
        self._waiting = set(SQLITE_ONLY) - set(sys.modules)

    def find_spec(self, fullname: str, path: object = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname not in self._waiting:
            return None
        self._waiting.discard(fullname)
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            if self._waiting:
                sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _DriverHidingLoader(spec.loader)
        return spec


def install() -> None:
    """Hide the server drivers from peewee's first import (no-op once peewee is in)."""
    if set(sys.modules) >= SQLITE_ONLY or any(isinstance(f, _PeeweeFinder)
                                              for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _PeeweeFinder())
