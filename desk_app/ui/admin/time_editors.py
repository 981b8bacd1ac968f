"""Time editors of the administration screen: a duration, a time zone, a weekday's
working hours. Each refuses a bad value on its own field (outlined, the reason as its
tooltip) and emits ``edited`` whenever its value changes."""

from itertools import pairwise

from PySide6.QtCore import QSignalBlocker, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QWidget,
)

from desk_app.core.calendar import format_span, parse_span
from desk_app.core.sla import DURATION_PATTERN
from desk_app.core.time_zones import known_zones, zone_problem
from desk_app.ui.admin.list_editors import hbox
from desk_app.ui.refusals import mark

MINUTES_PER_DAY = 24 * 60
MAX_TARGET_DAYS = 365  # the policy schema's bound (not imported: it loads pydantic)


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
        layout = hbox(self.amount, self.unit, stretch=False)
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
        self.setLayout(hbox(self.start, QLabel("to"), self.end, self.remove, stretch=False))
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
        layout = hbox(self.open, self.closed, stretch=False)
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
    label.setEnabled(False)  # the palette's muted text, light or dark
    return label
