"""List editors of the administration screen: text items, holiday dates, a new name.
Each refuses a bad value on its own field (outlined, the reason as its tooltip) and
emits ``edited`` whenever its value changes."""

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.ui.refusals import mark


def hbox(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    """The widgets side by side without margins (then a stretch)."""
    layout = QHBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    if stretch:
        layout.addStretch(1)
    return layout


class ListEditor(QWidget):
    """A list of text items: add, edit in place, remove, move up and down. Empty and
    repeated items are refused on the entry field."""

    edited = Signal()

    def __init__(self, name: str, placeholder: str, unique: bool = True,
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.setObjectName(name)
        self._unique, self._check = unique, check
        self.list = QListWidget()
        self.list.setObjectName(f"{name}_list")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.model().rowsMoved.connect(self._moved)
        self.list.itemChanged.connect(self._item_changed)
        self.entry = QLineEdit()
        self.entry.setObjectName(f"{name}_entry")
        self.entry.setPlaceholderText(placeholder)
        self.entry.returnPressed.connect(self.add)
        self.entry.textEdited.connect(lambda _t: mark(self.entry, None))
        self.buttons: dict[str, QPushButton] = {}
        for key, text, action in (("add", "Add", self.add), ("remove", "Remove", self.remove),
                                  ("up", "Move up", lambda: self.move(-1)),
                                  ("down", "Move down", lambda: self.move(1))):
            button = QPushButton(text)
            button.setObjectName(f"{name}_{key}")
            button.clicked.connect(action)
            self.buttons[key] = button
        side = QVBoxLayout()
        for key in ("remove", "up", "down"):
            side.addWidget(self.buttons[key])
        side.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top, 1)
        layout.addLayout(hbox(self.entry, self.buttons["add"], stretch=False))
        self._snapshot: list[str] = []

    def items(self) -> list[str]:
        """The items in their order."""
        return [self.list.item(row).text().strip() for row in range(self.list.count())]

    def set_items(self, items: list[str]) -> None:
        with QSignalBlocker(self.list):
            self.list.clear()
            for text in items:
                self._append(text)
        self._snapshot = self.items()
        mark(self.entry, None)

    def _append(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.list.addItem(item)

    def problem_with(self, text: str, ignore_row: int = -1) -> str | None:
        """Why ``text`` cannot be an item, or None."""
        if not text.strip():
            return "an item must not be empty"
        others = [t.casefold() for row, t in enumerate(self.items()) if row != ignore_row]
        if self._unique and text.strip().casefold() in others:
            return f"{text.strip()!r} is listed already"
        return self._check(text.strip()) if self._check else None

    def add(self) -> bool:
        """Add the entry field's text; refused (marked on the field) when empty or listed."""
        text = self.entry.text()
        problem = self.problem_with(text)
        mark(self.entry, problem)
        if problem:
            return False
        with QSignalBlocker(self.list):
            self._append(text.strip())
        self.entry.clear()
        self._accept()
        return True

    def remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self._accept()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        with QSignalBlocker(self.list):
            item = self.list.takeItem(row)
            self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._accept()

    def _item_changed(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        problem = self.problem_with(item.text(), ignore_row=row)
        mark(self.entry, problem)
        if problem:  # an edit in place that is refused goes back to what it was
            with QSignalBlocker(self.list):
                item.setText(self._snapshot[row] if row < len(self._snapshot) else "")
            return
        self._accept()

    def _moved(self, *_args: object) -> None:
        self._accept()

    def _accept(self) -> None:
        self._snapshot = self.items()
        self.edited.emit()

    def problem(self) -> str | None:
        """Items are checked as they are added; the list itself is always valid."""
        return None

    def field_widget(self) -> QWidget:
        """The part of this editor a refusal is marked on."""
        return self.entry


class HolidayList(QWidget):
    """Holiday dates: a date picker and a sorted list; a date listed twice is refused."""

    edited = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.picker = QDateEdit()
        self.picker.setObjectName(f"{name}_date")
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat("yyyy-MM-dd")
        self.picker.setDate(QDate.currentDate())
        self.picker.dateChanged.connect(lambda _d: mark(self.picker, None))
        add, remove = QPushButton("Add holiday"), QPushButton("Remove")
        add.setObjectName(f"{name}_add")
        remove.setObjectName(f"{name}_remove")
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        self.list = QListWidget()
        self.list.setObjectName(f"{name}_list")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(hbox(self.picker, add, remove, stretch=True))
        layout.addWidget(self.list)
        self._dates: list[str] = []

    def dates(self) -> list[str]:
        return list(self._dates)

    def set_dates(self, dates: list[str]) -> None:
        self._dates = sorted(set(dates))
        self._show()
        mark(self.picker, None)

    def add(self) -> bool:
        """Add the picked date; refused on the picker when it is listed already."""
        picked = self.picker.date()
        text = date(picked.year(), picked.month(), picked.day()).isoformat()
        if text in self._dates:
            mark(self.picker, f"{text} is a holiday already")
            return False
        mark(self.picker, None)
        self._dates = sorted([*self._dates, text])
        self._show()
        self.edited.emit()
        return True

    def remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            del self._dates[row]
            self._show()
            self.edited.emit()

    def problem(self) -> str | None:
        return None

    def field_widget(self) -> QWidget:
        """The part of this editor a refusal is marked on."""
        return self.picker

    def _show(self) -> None:
        self.list.clear()
        for text in self._dates:
            day = date.fromisoformat(text)
            self.list.addItem(f"{text}  {day.strftime('%A')}")


class NameEntry(QLineEdit):
    """A short name that must be there and not be taken."""

    edited = Signal()

    def __init__(self, name: str, taken: Callable[[], list[str]], what: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._taken, self._what = taken, what
        self.textEdited.connect(lambda _t: mark(self, None))

    def problem(self) -> str | None:
        text = self.text().strip()
        if not text:
            return f"the {self._what} needs a name"
        if len(text) > 100:
            return "at most 100 characters"
        if text.casefold() in {t.casefold() for t in self._taken()}:
            return f"a {self._what} named {text!r} exists"
        return None
