"""A module the window's start does not import: ``workflow = deferred("desk_app.services.
workflow")`` reads like the module and imports it on the first attribute used (the
first ticket action, on whichever thread runs it; Python's import lock makes that safe).
Keeps services the first paint does not call off the start path."""

import importlib
from types import ModuleType
from typing import Any


class deferred:
    """The module ``name``, imported when one of its attributes is first read."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<deferred module {self._name!r}>"
