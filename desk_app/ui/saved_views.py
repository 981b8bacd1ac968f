"""Saved views ("Save as queue"): a search, its filters and its order, kept per
technician in the window state file.

They live with the window layout rather than in the desk database: a view is one
person's way of looking at the list on this machine, like column widths, so it needs
no migration, no sync rule and no write transaction on the database worker; the
state file keys them by the technician's login, so people sharing a computer keep
their own.
"""

from dataclasses import asdict, dataclass, field
from typing import Any

from desk_app.core.errors import InvalidValue
from desk_app.ui.window_state import WindowState

KEY = "saved_views"
MAX_NAME = 40


@dataclass(frozen=True)
class SavedView:
    """One saved view: the queue it started from, the filter bar, and the order."""

    name: str
    queue: str
    search: str = ""
    everywhere: bool = True
    filters: dict[str, str] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False

    @property
    def bar(self) -> dict[str, Any]:
        """The filter bar's state (see ``FilterBar.state``)."""
        return {"search": self.search, "everywhere": self.everywhere,
                "filters": dict(self.filters)}


def _checked_name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise InvalidValue("name", "a saved view needs a name")
    if len(text) > MAX_NAME:
        raise InvalidValue("name", f"at most {MAX_NAME} characters")
    return text


def _refuse_taken(name: str, views: list[SavedView], renaming: str | None = None) -> None:
    if any(v.name.casefold() == name.casefold() and v.name != renaming for v in views):
        raise InvalidValue("name", f"there is already a view called {name!r}")


class SavedViews:
    """The saved views of one technician, in the order they were made."""

    def __init__(self, state: WindowState, login: str) -> None:
        self._state = state
        self._login = login

    def _all(self) -> dict[str, list[dict[str, Any]]]:
        stored = self._state.value(KEY, {})
        return stored if isinstance(stored, dict) else {}

    def views(self) -> list[SavedView]:
        """This technician's views (an unreadable entry is skipped, never an error)."""
        found = []
        for entry in self._all().get(self._login, []):
            try:
                found.append(SavedView(**entry))
            except TypeError:
                continue
        return found

    def get(self, name: str) -> SavedView | None:
        """The view called ``name``."""
        return next((view for view in self.views() if view.name == name), None)

    def _store(self, views: list[SavedView]) -> None:
        stored = dict(self._all())
        stored[self._login] = [asdict(view) for view in views]
        self._state.set_value(KEY, stored)
        self._state.save()

    def add(self, view: SavedView) -> SavedView:
        """Keep a new view; refuses an empty, too long or already used name."""
        name = _checked_name(view.name)
        views = self.views()
        _refuse_taken(name, views)
        kept = SavedView(**{**asdict(view), "name": name})
        self._store([*views, kept])
        return kept

    def rename(self, old: str, new: str) -> str:
        """Rename view ``old``; returns the new name as kept."""
        name = _checked_name(new)
        views = self.views()
        if not any(v.name == old for v in views):
            raise InvalidValue("name", f"no view called {old!r}")
        _refuse_taken(name, views, renaming=old)
        self._store([SavedView(**{**asdict(v), "name": name}) if v.name == old else v
                     for v in views])
        return name

    def remove(self, name: str) -> None:
        """Forget view ``name``."""
        self._store([v for v in self.views() if v.name != name])
