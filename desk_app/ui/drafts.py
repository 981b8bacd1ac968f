"""What a person is typing, kept on disk while they type: a form that dies with the app
(a crash, a killed process, a power cut) comes back filled in the next time it opens.

One small JSON file per form in the user config folder, written atomically a moment
after each edit, removed when the form is saved or deliberately cancelled."""

import json
import logging
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtWidgets import QApplication

from desk_app import paths

log = logging.getLogger(__name__)
SAVE_AFTER_MS = 400  # quiet time after an edit before the draft is written


class KeepsDraft(Protocol):
    """A form whose typing is kept as a draft."""

    def save_draft_now(self) -> bool | None: ...


class DraftStore:
    """Drafts by form name."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or paths.config_dir() / "drafts"

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def save(self, key: str, values: dict[str, Any]) -> None:
        """Write the draft (atomically: a crash mid-write leaves the previous one)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            payload = {"saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                       "values": values}
            handle, scratch = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out)
            os.replace(scratch, self._path(key))
        except OSError as problem:
            log.warning("could not keep the draft of %s: %s", key, problem)

    def load(self, key: str) -> tuple[dict[str, Any], str] | None:
        """(values, when saved) of the kept draft, if there is a readable one."""
        try:
            payload = json.loads(self._path(key).read_text(encoding="utf-8"))
            return dict(payload["values"]), str(payload["saved_at"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as problem:
            log.warning("ignoring an unreadable draft of %s: %s", key, problem)
            return None

    def discard(self, key: str) -> None:
        """Forget the draft (the form was saved or cancelled)."""
        self._path(key).unlink(missing_ok=True)


def save_open_drafts() -> int:
    """Write the draft of every open form now (before a crash report); returns how
    many forms were kept (a window whose ``save_draft_now`` returns False had nothing
    typed to keep)."""
    kept = 0
    for widget in QApplication.topLevelWidgets():
        save = getattr(widget, "save_draft_now", None)
        if callable(save) and widget.isVisible() and save() is not False:
            kept += 1
    return kept
