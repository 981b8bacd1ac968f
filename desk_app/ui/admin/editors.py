"""Field editors of the administration screen. Each refuses a bad value on itself
(outlined, with the reason as its tooltip and in ``problem()``) and emits ``edited``
whenever its value changes."""

from collections.abc import Callable
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QDate, QSignalBlocker, Qt, QTime, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.calendar import format_span, parse_span
from desk_app.core.sla import DURATION_PATTERN
from desk_app.core.time_zones import known_zones, zone_problem
from desk_app.ui.palette import tone
from desk_app.ui.refusals import mark

MINUTES_PER_DAY = 24 * 60
MAX_TARGET_DAYS = 365


def _row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
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
        layout.addLayout(_row(self.entry, self.buttons["add"], stretch=False))
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


class DurationEdit(QWidget):
    """An SLA duration: an amount and a unit (minutes, hours, business days, days),
    stored as text such as ``15m``, ``4h`` or ``3bd``."""

    edited = Signal()
    UNITS = (("m", "minutes"), ("h", "hours"), ("bd", "business days"), ("d", "days"))

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.amount = QDoubleSpinBox()
        self.amount.setObjectName(f"{name}_amount")
        self.amount.setDecimals(1)
        self.amount.setRange(0, 99999)
        self.unit = QComboBox()
        self.unit.setObjectName(f"{name}_unit")
        for code, label in self.UNITS:
            self.unit.addItem(label, code)
        self.amount.valueChanged.connect(self._changed)
        self.unit.currentIndexChanged.connect(self._changed)
        layout = _row(self.amount, self.unit, stretch=False)
        self.setLayout(layout)

    def set_text(self, text: str) -> None:
        match = DURATION_PATTERN.match(text)
        amount, unit = (float(match.group(1)), match.group(2)) if match else (0.0, "h")
        unit = "m" if unit == "min" else unit
        with QSignalBlocker(self.amount), QSignalBlocker(self.unit):
            self.amount.setValue(amount)
            self.unit.setCurrentIndex(max(self.unit.findData(unit), 0))
        self._changed(emit=False)

    def text(self) -> str:
        return f"{self.amount.value():g}{self.unit.currentData()}"

    def problem(self) -> str | None:
        amount, unit = self.amount.value(), self.unit.currentData()
        days = amount / MINUTES_PER_DAY if unit == "m" else amount / 24 if unit == "h" \
            else amount
        if not 0 < days <= MAX_TARGET_DAYS:
            return f"must be a positive duration of at most {MAX_TARGET_DAYS} days"
        return None

    def field_widget(self) -> QWidget:
        """The part of this editor a refusal is marked on."""
        return self.amount

    def _changed(self, *_args: object, emit: bool = True) -> None:
        mark(self.amount, self.problem())
        if emit:
            self.edited.emit()


class TimeZonePicker(QComboBox):
    """A searchable list of the IANA time zones this machine knows; typed text that is
    no known zone is refused on the field."""

    edited = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(list(known_zones()))
        completer = QCompleter(list(known_zones()), self)
        completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
        completer.setFilterMode(completer.filterMode().MatchContains)
        self.setCompleter(completer)
        self.setMinimumContentsLength(24)
        self.setMaximumWidth(420)
        self.currentTextChanged.connect(self._changed)

    def zone(self) -> str:
        return self.currentText().strip()

    def set_zone(self, zone: str) -> None:
        with QSignalBlocker(self):
            self.setCurrentText(zone)
        mark(self, zone_problem(zone))

    def problem(self) -> str | None:
        return zone_problem(self.zone())

    def _changed(self, _text: str) -> None:
        mark(self, self.problem())
        self.edited.emit()


class SpanEdit(QWidget):
    """One working interval: from and until (an until of 00:00 means midnight)."""

    edited = Signal()
    removed = Signal(QWidget)

    def __init__(self, name: str, span: tuple[int, int]) -> None:
        super().__init__()
        self.setObjectName(name)
        self.start, self.end = QTimeEdit(), QTimeEdit()
        self.start.setObjectName(f"{name}_from")
        self.end.setObjectName(f"{name}_until")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
            edit.timeChanged.connect(self._changed)
        self.end.setToolTip("00:00 here means midnight (the end of the day)")
        self.end.setProperty("plainTooltip", self.end.toolTip())
        self.remove = QPushButton("Remove")
        self.remove.setObjectName(f"{name}_remove")
        self.remove.setToolTip("Remove these hours")
        self.remove.clicked.connect(lambda: self.removed.emit(self))
        self.setLayout(_row(self.start, QLabel("to"), self.end, self.remove, stretch=False))
        self.set_span(span)

    def set_span(self, span: tuple[int, int]) -> None:
        with QSignalBlocker(self.start), QSignalBlocker(self.end):
            self.start.setTime(QTime(*divmod(span[0], 60)))
            self.end.setTime(QTime(*divmod(span[1] % MINUTES_PER_DAY, 60)))
        mark(self.end, self.problem())

    def span(self) -> tuple[int, int]:
        start = self.start.time().hour() * 60 + self.start.time().minute()
        end = self.end.time().hour() * 60 + self.end.time().minute()
        return start, end or MINUTES_PER_DAY

    def text(self) -> str:
        return format_span(self.span())

    def problem(self) -> str | None:
        start, end = self.span()
        if start >= end:
            return f"{self.text()}: the start must be before the end"
        return None

    def _changed(self, *_args: object) -> None:
        mark(self.end, self.problem())
        self.edited.emit()


class DayHours(QWidget):
    """A weekday's working hours: an "Open" switch and one or more intervals."""

    edited = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._name = name
        self.open = QCheckBox("Open")
        self.open.setObjectName(f"{name}_open")
        self.open.toggled.connect(self._toggled)
        self.add = QPushButton("Add hours")
        self.add.setObjectName(f"{name}_add")
        self.add.setToolTip("Another interval on the same day, e.g. after a lunch break")
        self.add.clicked.connect(self._add_after)
        self.spans_box = QHBoxLayout()
        self.spans_box.setContentsMargins(0, 0, 0, 0)
        self.closed = _muted_label("closed")
        layout = _row(self.open, self.closed, stretch=False)
        layout.addLayout(self.spans_box)
        layout.addWidget(self.add)
        layout.addStretch(1)
        self.setLayout(layout)
        self.spans: list[SpanEdit] = []

    def set_hours(self, texts: list[str]) -> None:
        for span in list(self.spans):
            self._drop(span, emit=False)
        for text in texts:
            self._add_span(parse_span(text), emit=False)
        with QSignalBlocker(self.open):
            self.open.setChecked(bool(texts))
        self._show_state()

    def hours(self) -> list[str]:
        return [span.text() for span in self.spans] if self.open.isChecked() else []

    def problem(self) -> str | None:
        return self._problem()[1]

    def field_widget(self) -> QWidget:
        """The part of this editor a refusal is marked on: the interval at fault."""
        return self._problem()[0] or (self.spans[0].end if self.spans else self.open)

    def _problem(self) -> tuple[QWidget | None, str | None]:
        if not self.open.isChecked():
            return None, None
        for span in self.spans:
            if span.problem():
                return span.end, span.problem()
        ordered = sorted(self.spans, key=lambda edit: edit.span())
        for earlier, later in pairwise(ordered):
            if later.span()[0] < earlier.span()[1]:
                return later.start, f"{later.text()} overlaps {earlier.text()}"
        return None, None

    def _add_after(self) -> None:
        """Another interval, starting where the last one ends (an hour long)."""
        start = max((edit.span()[1] for edit in self.spans), default=8 * 60)
        self._add_span((min(start, MINUTES_PER_DAY - 60), min(start + 60, MINUTES_PER_DAY)))

    def _add_span(self, span: tuple[int, int], emit: bool = True) -> None:
        edit = SpanEdit(f"{self._name}_{len(self.spans)}", span)
        edit.edited.connect(self.edited)
        edit.removed.connect(lambda widget: self._drop(widget))
        self.spans.append(edit)
        self.spans_box.addWidget(edit)
        self._show_state()
        if emit:
            self.edited.emit()

    def _drop(self, span: QWidget, emit: bool = True) -> None:
        self.spans.remove(span)  # type: ignore[arg-type]
        span.setParent(None)
        span.deleteLater()
        if not self.spans:
            with QSignalBlocker(self.open):
                self.open.setChecked(False)
        self._show_state()
        if emit:
            self.edited.emit()

    def _toggled(self, checked: bool) -> None:
        if checked and not self.spans:
            self._add_span((8 * 60, 18 * 60), emit=False)
        self._show_state()
        self.edited.emit()

    def _show_state(self) -> None:
        is_open = self.open.isChecked()
        self.closed.setVisible(not is_open)
        self.add.setVisible(is_open)
        for span in self.spans:
            span.setVisible(is_open)
            span.remove.setVisible(len(self.spans) > 1)


def _muted_label(text: str) -> QWidget:
    label = QLabel(text)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(tone("muted").text))
    label.setPalette(palette)
    return label


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
        layout.addLayout(_row(self.picker, add, remove, stretch=True))
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
