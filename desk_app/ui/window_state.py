"""The window's layout between runs: geometry, splitters, table columns, last queue.

Stored as JSON in the user config folder (Qt's saved states as base64), never pickled.
A missing or damaged file means the default layout, never a failed start.
"""

import base64
import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray

from desk_app import paths

log = logging.getLogger(__name__)
STATE_FILE = "window-state.json"


class WindowState:
    """Named saved states (bytes) and plain values, read once and written on close."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / STATE_FILE
        self._values: dict[str, Any] = {}
        try:
            self._values = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(self._values, dict):
                self._values = {}
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as problem:
            log.warning("ignoring unreadable window state %s: %s", self.path, problem)

    def blob(self, name: str) -> QByteArray | None:
        """A saved Qt state (``saveGeometry``, ``saveState``), if there is one."""
        text = self._values.get(name)
        if not isinstance(text, str):
            return None
        try:
            return QByteArray(base64.b64decode(text))
        except ValueError:
            return None

    def set_blob(self, name: str, state: QByteArray) -> None:
        self._values[name] = base64.b64encode(bytes(state.data())).decode("ascii")

    def value(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def set_value(self, name: str, value: Any) -> None:
        self._values[name] = value

    def save(self) -> None:
        """Write the file atomically (a crash mid-write keeps the previous layout)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.path.with_suffix(".tmp")
            scratch.write_text(json.dumps(self._values, indent=1), encoding="utf-8")
            scratch.replace(self.path)
        except OSError as problem:
            log.warning("could not save the window state to %s: %s", self.path, problem)
