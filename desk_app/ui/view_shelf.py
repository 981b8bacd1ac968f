"""The window's saved views ("Save as queue"): loaded for the technician who signs in,
saved, renamed and removed from the queue list, and counted on the database worker."""

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog

from desk_app.core.errors import Refused
from desk_app.services.queues import view_counts
from desk_app.services.reference import DeskReference
from desk_app.ui.filter_bar import narrowing_of
from desk_app.ui.queue_list import view_key
from desk_app.ui.refusals import show_error
from desk_app.ui.saved_views import MAX_NAME, SavedView, SavedViews


class ViewShelf(QObject):
    """Saved views of the main window ``window``; ``dialog_opened`` carries the name
    dialog (opened non-modal, so tests and people drive it alike)."""

    dialog_opened = Signal(object)

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.store: SavedViews | None = None
        queues = window.queues
        queues.rename_requested.connect(self.ask_name)
        queues.remove_requested.connect(self.remove)
        window.filters.save_requested.connect(lambda: self.ask_name(None))
        window.reference_loaded.connect(self.load)

    def get(self, name: str | None) -> SavedView | None:
        """The saved view called ``name`` (None when there is none)."""
        return self.store.get(name) if name and self.store is not None else None

    def load(self, reference: DeskReference) -> None:
        """Show the views of the technician now signed in."""
        self.store = SavedViews(self.window.state, reference.login)
        self._show()
        self.count()

    def _show(self) -> None:
        if self.store is not None:
            self.window.queues.set_views([view.name for view in self.store.views()])

    def count(self) -> None:
        """Count the tickets of each saved view (on the database worker)."""
        if self.store is None:
            return
        window, session = self.window, self.window.session
        wanted = {view.name: (view.queue, narrowing_of(view.bar), view.everywhere)
                  for view in self.store.views()}
        if wanted:
            window.worker.submit(lambda: view_counts(session, wanted),
                                 window.queues.set_view_counts)

    def suggested_name(self) -> str:
        """A name from what is chosen: the search text, or the queue and filters."""
        filters = self.window.filters
        text = filters.search.text().strip()
        if text:
            return text[:MAX_NAME]
        parts = [self.window.queues.title_of(self.window.current_queue())]
        parts += [filters.label_of(k, v) for k, v in filters.state()["filters"].items()]
        return " · ".join(parts)[:MAX_NAME]

    def ask_name(self, old: str | None) -> QInputDialog:
        """Ask for the name of a new saved view (``old`` None) or for a view's new name."""
        dialog = QInputDialog(self.window)
        dialog.setObjectName("view_name_dialog")
        dialog.setWindowTitle("Save as queue" if old is None else "Rename view")
        dialog.setLabelText("Name of the view, shown under My views:")
        dialog.setTextValue(old or self.suggested_name())
        dialog.setOkButtonText("Save view" if old is None else "Rename")
        dialog.textValueSelected.connect(
            lambda name: self.save(name) if old is None else self.rename(old, name))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def save(self, name: str) -> SavedView | None:
        """Keep the current search, filters and order as saved view ``name``."""
        if self.store is None:
            return None
        window = self.window
        sort = window.chosen_sort
        bar = window.filters.state()
        try:
            view = self.store.add(SavedView(
                name=name, queue=window.current_queue(), search=bar["search"],
                everywhere=bar["everywhere"], filters=bar["filters"],
                sort=sort[0] if sort else None, descending=sort[1] if sort else False))
        except Refused as error:
            show_error(window, "Save as queue", error)
            return None
        self._show()
        window.show_listed_as(view_key(view.name))
        self.count()
        return view

    def rename(self, old: str, new: str) -> None:
        """Rename saved view ``old``."""
        if self.store is None:
            return
        try:
            name = self.store.rename(old, new)
        except Refused as error:
            show_error(self.window, "Rename view", error)
            return
        queues = self.window.queues
        current = queues.current_key == view_key(old)
        queues.view_counts = {(name if k == old else k): v
                              for k, v in queues.view_counts.items()}
        self._show()
        if current:
            self.window.show_listed_as(view_key(name))

    def remove(self, name: str) -> None:
        """Forget saved view ``name`` (its tickets stay where they are)."""
        if self.store is None:
            return
        current = self.window.queues.current_key == view_key(name)
        self.store.remove(name)
        self._show()
        if current:
            self.window.queues.select("all_open")
