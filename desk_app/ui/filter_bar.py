"""The search and filter bar above the ticket table.

A search field (a number jumps to that ticket; text searches every ticket unless the
scope says "this queue"), a Filter menu whose choices show as chips with a clear
button and keep their label ("Status: In progress ×"), the result count, and
"Save as queue". Keys: Down moves into the results, Enter opens, Esc clears.
"""

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.enums import Status
from desk_app.core.errors import InvalidValue
from desk_app.core.labels import human_label
from desk_app.core.satisfaction_filter import ScoreRange, score_range
from desk_app.services.queues import TicketFilter
from desk_app.services.reference import DeskReference
from desk_app.ui import look
from desk_app.ui.palette import text_colour


@dataclass(frozen=True)
class Facet:
    """One kind of filter: its key, what it is called, and its TicketFilter field."""

    key: str
    title: str


FACETS = (Facet("status", "Status"), Facet("priority", "Priority"),
          Facet("category", "Category"), Facet("group", "Group"),
          Facet("assignee", "Assignee"), Facet("satisfaction", "Satisfaction"))
EVERYWHERE, THIS_QUEUE = "all", "queue"
# the satisfaction choices, as conditions of desk_app.core.satisfaction_filter
SATISFACTION_CHOICES = ("<=2", "3", ">=4", "rated", "none")


def satisfaction_choice(value: str | None) -> ScoreRange | None:
    """A satisfaction choice as a range; None for no choice or one that cannot be read
    (a saved view edited by hand), which then does not narrow."""
    if not value:
        return None
    try:
        return score_range(value)
    except InvalidValue:
        return None


def narrowing_of(state: dict[str, Any]) -> TicketFilter:
    """A filter bar's state (``FilterBar.state``, a saved view's) as a filter to combine
    with a queue's."""
    values = dict(state.get("filters", {}))
    status, priority = values.get("status"), values.get("priority")
    text = str(state.get("search", "")).strip()
    return TicketFilter(
        statuses=(status,) if status else (), priorities=(priority,) if priority else (),
        category=values.get("category"), group=values.get("group"),
        assignee=values.get("assignee"),
        satisfaction=satisfaction_choice(values.get("satisfaction")),
        search=text if any(ch.isalnum() for ch in text) else None)


class SearchKeys(QObject):
    """Down, Enter and Esc in the search field, as signals."""

    down = Signal()
    enter = Signal()
    escape = Signal()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key == Qt.Key.Key_Down:
                self.down.emit()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enter.emit()
                return True
            if key == Qt.Key.Key_Escape:
                self.escape.emit()
                return True
        return super().eventFilter(watched, event)


class FilterBar(QWidget):
    """Emits ``changed`` (debounced for typing) whenever the search or a filter changes;
    ``move_down``, ``open_requested`` and ``save_requested`` for the window."""

    changed = Signal()
    move_down = Signal()
    open_requested = Signal()
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search or type a ticket number (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search tickets")
        self.search.setToolTip("A number (2697, INC-002697) opens that ticket wherever it is;"
                               " words search number, summary, description and worklog.\n"
                               "Down: into the results · Enter: open · Esc: clear")
        self.scope = QComboBox()
        self.scope.setObjectName("search_scope")
        self.scope.setAccessibleName("Search in")
        self.scope.setToolTip("Where a text search looks")
        self.scope.addItem("All tickets", EVERYWHERE)
        self.scope.addItem("This queue", THIS_QUEUE)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.filter_button = QToolButton()
        self.filter_button.setObjectName("filter_menu")
        self.filter_button.setText("Filter")
        self.filter_button.setToolTip("Narrow the list by status, priority, category, group, "
                                      "assignee or satisfaction")
        self.filter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.filter_menu = QMenu(self.filter_button)
        self.filter_button.setMenu(self.filter_menu)
        self.filter_menu.aboutToShow.connect(self._build_menu)
        self._choices: dict[str, list[tuple[str, str]]] = {}
        self._menu_built = False
        self.save_button = QPushButton("Save as queue")
        self.save_button.setObjectName("save_view")
        self.save_button.setToolTip("Keep this search, its filters and order under My views")
        self.save_button.clicked.connect(self.save_requested)
        self.result = QLabel()
        self.result.setObjectName("result_count")
        muted = self.result.palette()
        muted.setColor(QPalette.ColorRole.WindowText, text_colour("muted"))
        self.result.setPalette(muted)
        self.chips_row = QHBoxLayout()
        self.chips_row.setContentsMargins(0, 0, 0, 0)
        self.chips_row.setSpacing(4)
        self.chips: dict[str, QToolButton] = {}
        self._values: dict[str, str] = {}
        self._labels: dict[str, dict[str, str]] = {facet.key: {} for facet in FACETS}
        self._groups: dict[str, QActionGroup] = {}
        self._queue_title = ""
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(QLabel("in"))
        top.addWidget(self.scope)
        top.addWidget(self.filter_button)
        top.addWidget(self.save_button)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addLayout(self.chips_row)
        bottom.addStretch(1)
        bottom.addWidget(self.result)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.keys = SearchKeys(self)
        self.search.installEventFilter(self.keys)
        self.keys.down.connect(self.move_down)
        self.keys.enter.connect(self._enter)
        self.keys.escape.connect(self.clear_search)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self.changed)
        self.search.textChanged.connect(self._typing.start)
        self.set_choices(None)

    # --- choices ---------------------------------------------------------------------

    def set_choices(self, reference: DeskReference | None) -> None:
        """Take the desk's categories, groups and people as the Filter menu's choices
        (the menu itself is built when it is first opened)."""
        self._choices = {
            "status": [(s.value, human_label(s.value)) for s in Status],
            "priority": [(p, p) for p in reference.priorities] if reference else [],
            "category": [(c, c) for c in sorted(reference.categories)] if reference else [],
            "group": [(g, g) for g in reference.groups] if reference else [],
            "assignee": [(login, name or login) for login, name, _g in reference.technicians]
            if reference else [],
            "satisfaction": [(value, score_range(value).label())
                             for value in SATISFACTION_CHOICES],
        }
        for key, values in self._choices.items():
            self._labels[key].update(values)
        self._menu_built = False
        self._show_chips()

    def _build_menu(self) -> None:
        if self._menu_built:
            return
        self._menu_built = True
        self.filter_menu.clear()
        self._groups.clear()
        for facet in FACETS:
            menu = self.filter_menu.addMenu(facet.title)
            group = QActionGroup(menu)
            group.setExclusive(True)
            self._groups[facet.key] = group
            for value, label in self._choices[facet.key]:
                action = QAction(label, menu, checkable=True)
                action.setData(value)
                action.setChecked(self._values.get(facet.key) == value)
                action.triggered.connect(lambda _=False, k=facet.key, v=value: self.choose(k, v))
                group.addAction(action)
                menu.addAction(action)
            menu.setEnabled(bool(self._choices[facet.key]))

    # --- values ----------------------------------------------------------------------

    def choose(self, key: str, value: str | None) -> None:
        """Set filter ``key`` to ``value`` (None clears it); emits ``changed``."""
        if (self._values.get(key) or None) == (value or None):
            return
        if value:
            self._values[key] = value
        else:
            self._values.pop(key, None)
        for action in self._groups[key].actions() if key in self._groups else ():
            action.setChecked(action.data() == value)
        self._show_chips()
        self.changed.emit()

    def value(self, key: str) -> str | None:
        """The chosen value of filter ``key``, if any."""
        return self._values.get(key)

    def label_of(self, key: str, value: str) -> str:
        """What a person reads for a filter value (a name for a login)."""
        return self._labels[key].get(value) or human_label(value)

    @property
    def everywhere(self) -> bool:
        """True when a text search covers every ticket (not only the queue)."""
        return self.scope.currentData() == EVERYWHERE

    def set_everywhere(self, everywhere: bool, quiet: bool = False) -> None:
        """Choose the scope of a text search (``quiet``: without ``changed``)."""
        self.scope.blockSignals(quiet)
        self.scope.setCurrentIndex(0 if everywhere else 1)
        self.scope.blockSignals(False)

    def set_queue_title(self, title: str) -> None:
        """Name the queue the "this queue" scope means."""
        self._queue_title = title
        self.scope.setItemText(1, f"{title}" if title else "This queue")

    @property
    def searching(self) -> bool:
        """True while there is text to search for."""
        return any(ch.isalnum() for ch in self.search.text())

    @property
    def narrowed(self) -> bool:
        """True while a search text or a filter narrows the list."""
        return self.searching or bool(self._values)

    def narrowing(self) -> TicketFilter:
        """What the bar asks for, as a filter to combine with the queue's."""
        return narrowing_of(self.state())

    def state(self) -> dict[str, Any]:
        """The bar as plain data (a saved view keeps it)."""
        return {"search": self.search.text().strip(), "everywhere": self.everywhere,
                "filters": dict(self._values)}

    def set_state(self, state: dict[str, Any]) -> None:
        """Show a saved bar (a saved view's) without emitting ``changed``."""
        self.blockSignals(True)
        try:
            self._typing.stop()
            self.search.setText(str(state.get("search", "")))
            self._typing.stop()
            self.set_everywhere(bool(state.get("everywhere", True)), quiet=True)
            wanted = {k: str(v) for k, v in dict(state.get("filters", {})).items()
                      if k in self._labels and v}
            for facet in FACETS:
                self.choose(facet.key, wanted.get(facet.key))
        finally:
            self.blockSignals(False)

    def clear(self) -> None:
        """Remove the search text and every filter (one ``changed``)."""
        self.blockSignals(True)
        try:
            for facet in FACETS:
                self.choose(facet.key, None)
            self.search.clear()
            self._typing.stop()
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def clear_search(self) -> None:
        """Esc: remove the search text (the filters stay)."""
        if self.search.text():
            self.search.clear()
            self._typing.stop()
            self.changed.emit()

    def set_result(self, text: str) -> None:
        """Show how many tickets the list holds ("23 tickets")."""
        self.result.setText(text)

    # --- inside ----------------------------------------------------------------------

    def _enter(self) -> None:
        if self._typing.isActive():  # the typed text is not searched yet: search now
            self._typing.stop()
            self.changed.emit()
        self.open_requested.emit()

    def _scope_changed(self) -> None:
        if self.searching:
            self.changed.emit()

    def _show_chips(self) -> None:
        for chip in self.chips.values():
            self.chips_row.removeWidget(chip)
            chip.deleteLater()
        self.chips.clear()
        for facet in FACETS:
            value = self._values.get(facet.key)
            if value is None:
                continue
            chip = QToolButton()
            chip.setObjectName(f"chip_{facet.key}")
            chip.setText(f"{facet.title}: {self.label_of(facet.key, value)}  ✕")
            chip.setToolTip(f"Remove the {facet.title.lower()} filter")
            chip.setAccessibleName(f"{facet.title} {self.label_of(facet.key, value)}, remove")
            look.set_chip(chip, "accent")  # restyled with the theme (look.restyle_all)
            chip.clicked.connect(lambda _=False, k=facet.key: self.choose(k, None))
            self.chips[facet.key] = chip
            self.chips_row.addWidget(chip)
