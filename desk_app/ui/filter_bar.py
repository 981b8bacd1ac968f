"""Narrow the current queue: status, priority, category, group, assignee and text search."""

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from desk_app.core.enums import Status
from desk_app.services.queues import TicketFilter
from desk_app.services.reference import DeskReference

ANY = "Any"


def _combo(name: str, tooltip: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(tooltip)
    combo.setAccessibleName(tooltip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


class FilterBar(QWidget):
    """Emits ``changed`` (debounced for typing) whenever the narrowing changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search number, summary, description, worklog (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Full-text search; words are matched as typed")
        self.status = _combo("filter_status", "Status")
        self.priority = _combo("filter_priority", "Priority")
        self.category = _combo("filter_category", "Category")
        self.group = _combo("filter_group", "Support group")
        self.assignee = _combo("filter_assignee", "Assignee")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search, 3)
        for combo in (self.status, self.priority, self.category, self.group, self.assignee):
            layout.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self.changed)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(250)
        self._typing.timeout.connect(self.changed)
        self.search.textChanged.connect(self._typing.start)
        self.set_choices(None)

    def set_choices(self, reference: DeskReference | None) -> None:
        """Fill the pickers from the desk's categories, groups and people."""
        choices = {
            self.status: [s.value for s in Status],
            self.priority: list(reference.priorities) if reference else [],
            self.category: sorted(reference.categories) if reference else [],
            self.group: list(reference.groups) if reference else [],
            self.assignee: [login for login, _n, _g in reference.technicians]
            if reference else [],
        }
        for combo, values in choices.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(f"{combo.toolTip()}: {ANY}", None)
            for value in values:
                combo.addItem(value.replace("_", " "), value)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def narrowing(self) -> TicketFilter:
        """What the bar asks for, as a filter to combine with the queue's."""
        status, priority = self.status.currentData(), self.priority.currentData()
        text = self.search.text().strip()
        return TicketFilter(
            statuses=(status,) if status else (), priorities=(priority,) if priority else (),
            category=self.category.currentData(), group=self.group.currentData(),
            assignee=self.assignee.currentData(),
            search=text if any(ch.isalnum() for ch in text) else None)

    def clear(self) -> None:
        for combo in (self.status, self.priority, self.category, self.group, self.assignee):
            combo.setCurrentIndex(0)
        self.search.clear()
