"""The dashboard's period picker: this week, the last 4 weeks, this quarter, or custom
first and last days; ``changed(since, until)`` when a period is chosen."""

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from desk_app.core.errors import Refused
from desk_app.core.report_periods import PERIODS, days_period, period
from desk_app.ui import look


class PeriodPicker(QWidget):
    """``now_fn`` gives the moment "this week" is around; ``zone`` is the team's."""

    changed = Signal(object, object)  # since, until (aware datetimes)

    def __init__(self, now_fn: Callable[[], datetime], zone: ZoneInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.now_fn, self.zone = now_fn, zone
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(look.SPACE_S)
        label = QLabel("&Period:")
        self.kind = QComboBox()
        self.kind.setObjectName("period")
        for key, title in PERIODS.items():
            self.kind.addItem(title, key)
        label.setBuddy(self.kind)
        self.first = QDateEdit(calendarPopup=True)
        self.first.setObjectName("period_since")
        self.first.setAccessibleName("First day")
        self.last = QDateEdit(calendarPopup=True)
        self.last.setObjectName("period_until")
        self.last.setAccessibleName("Last day")
        for edit in (self.first, self.last):
            edit.setDisplayFormat("yyyy-MM-dd")
        self.to = QLabel("to")
        self.apply = QPushButton("&Show")
        self.apply.setToolTip("Show the custom period")
        self.error = QLabel()
        look.set_tone(self.error, "danger")
        for widget in (label, self.kind, self.first, self.to, self.last, self.apply,
                       self.error):
            layout.addWidget(widget)
        self.kind.setCurrentIndex(self.kind.findData("last_4_weeks"))
        self._show_custom(False)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.apply.clicked.connect(self._custom_chosen)

    def current(self) -> tuple[datetime, datetime]:
        """The chosen period as [since, until); a custom one with its last day before
        its first raises InvalidValue naming "until"."""
        key = self.kind.currentData()
        if key == "custom":
            return days_period(self.first.date().toPython(), self.last.date().toPython(),
                               self.zone)
        return period(key, self.now_fn(), self.zone)

    def choose(self, key: str) -> None:
        """Pick a period by key (a custom one keeps the days shown)."""
        self.kind.setCurrentIndex(self.kind.findData(key))

    def set_days(self, first: QDate, last: QDate) -> None:
        """Set the custom period's first and last day."""
        self.first.setDate(first)
        self.last.setDate(last)

    def _show_custom(self, shown: bool) -> None:
        for widget in (self.first, self.to, self.last, self.apply):
            widget.setVisible(shown)

    def _kind_chosen(self) -> None:
        custom = self.kind.currentData() == "custom"
        self._show_custom(custom)
        if custom:  # start from the period shown until now
            since, until = self._shown if hasattr(self, "_shown") else self.current()
            self.first.setDate(QDate(since.date()))
            self.last.setDate(QDate((until - timedelta(days=1)).date()))
            return
        self._emit()

    def _custom_chosen(self) -> None:
        self._emit()

    def _emit(self) -> None:
        try:
            since, until = self.current()
        except Refused as refusal:
            self.error.setText(refusal.message)
            return
        self.error.clear()
        self._shown = (since, until)
        self.changed.emit(since, until)
