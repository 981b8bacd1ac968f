"""Business calendars: time zone, working hours per weekday, holidays."""

import copy
import re
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.calendar import WEEKDAYS
from desk_app.ui.admin.list_editors import HolidayList, NameEntry
from desk_app.ui.admin.policy_page import (
    PolicyPage,
    Problems,
    heading,
    problems_of,
)
from desk_app.ui.admin.time_editors import DayHours, TimeZonePicker
from desk_app.ui.refusals import mark


class CalendarsPage(PolicyPage):
    """Business calendars: a time zone, working hours per weekday, holidays."""

    title = "Calendars"
    owns = ("calendars",)

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        side = QVBoxLayout()
        side.addWidget(heading("Calendars"))
        self.names = QListWidget()
        self.names.setObjectName("calendar_names")
        self.names.setMaximumWidth(220)
        self.names.currentTextChanged.connect(self._select)
        side.addWidget(self.names, 1)
        self.new_name = NameEntry("calendar_new_name", lambda: list(self._calendars),
                                  "calendar")
        self.new_name.setPlaceholderText("New calendar name")
        self.new_name.setMaximumWidth(220)
        side.addWidget(self.new_name)
        add, remove = QPushButton("Add calendar"), QPushButton("Remove calendar")
        add.setObjectName("add_calendar")
        remove.setObjectName("remove_calendar")
        add.clicked.connect(self.add_calendar)
        remove.clicked.connect(self.remove_calendar)
        side.addWidget(add)
        side.addWidget(remove)
        layout.addLayout(side)

        editor = QVBoxLayout()
        form = QFormLayout()
        self.zone = TimeZonePicker("calendar_time_zone")
        self.zone.edited.connect(self._changed)
        form.addRow("Time zone", self.zone)
        self.days: dict[str, DayHours] = {}
        for day in WEEKDAYS:
            hours = DayHours(f"hours_{day}")
            hours.edited.connect(self._changed)
            self.days[day] = hours
            form.addRow(day.title(), hours)
        self.country, self.subdivision = QLineEdit(), QLineEdit()
        self.country.setObjectName("calendar_country")
        self.subdivision.setObjectName("calendar_subdivision")
        for edit, hint in ((self.country, "e.g. GB (none: only the dates below)"),
                           (self.subdivision, "e.g. ENG")):
            edit.setPlaceholderText(hint)
            edit.setMaxLength(10)
            edit.setMaximumWidth(260)
            edit.textEdited.connect(self._changed)
        form.addRow("Public holidays of", self.country)
        form.addRow("Region", self.subdivision)
        editor.addLayout(form)
        editor.addWidget(heading("Holidays"))
        self.holidays = HolidayList("holidays")
        self.holidays.edited.connect(self._changed)
        self.holidays.list.setMinimumHeight(90)
        self.holidays.setMaximumWidth(560)
        editor.addWidget(self.holidays, 1)
        layout.addLayout(editor, 1)
        self._calendars: dict[str, dict[str, Any]] = {}
        self._shown: str | None = None

    def load(self, sections: dict[str, Any]) -> None:
        self._calendars = copy.deepcopy(sections["calendars"])
        self._shown = None
        with QSignalBlocker(self.names):
            self.names.clear()
            self.names.addItems(list(self._calendars))
        self.names.setCurrentRow(0)

    def _store(self) -> None:
        """Keep the shown calendar's fields in the staged calendars."""
        if self._shown is None or self._shown not in self._calendars:
            return
        data = self._calendars[self._shown]
        data["time_zone"] = self.zone.zone()
        data["hours"] = {day: hours for day, edit in self.days.items()
                         if (hours := edit.hours())}
        data["holidays"] = self.holidays.dates()
        for key, edit in (("country", self.country), ("subdivision", self.subdivision)):
            if edit.text().strip():
                data[key] = edit.text().strip()
            else:
                data.pop(key, None)

    def _select(self, name: str) -> None:
        self._store()
        self._shown = name if name in self._calendars else None
        data = self._calendars.get(name, {})
        self.zone.set_zone(data.get("time_zone", "UTC"))
        for day, edit in self.days.items():
            edit.set_hours(list(data.get("hours", {}).get(day, [])))
        self.holidays.set_dates(list(data.get("holidays", [])))
        self.country.setText(data.get("country") or "")
        self.subdivision.setText(data.get("subdivision") or "")

    def show_calendar(self, name: str) -> None:
        matches = self.names.findItems(name, Qt.MatchFlag.MatchExactly)
        if matches:
            self.names.setCurrentItem(matches[0])

    def add_calendar(self) -> bool:
        """Add a calendar (Mon-Fri 08:00-18:00 in the shown one's time zone)."""
        problem = self.new_name.problem()
        mark(self.new_name, problem)
        if problem:
            return False
        name = self.new_name.text().strip()
        self._store()
        self._calendars[name] = {"time_zone": self.zone.zone() or "UTC", "hours": {
            day: ["08:00-18:00"] for day in WEEKDAYS[:5]}, "holidays": []}
        self.names.addItem(name)
        self.names.setCurrentRow(self.names.count() - 1)
        self.new_name.clear()
        self.edited.emit()
        return True

    def remove_calendar(self) -> None:
        row = self.names.currentRow()
        if row < 0 or self.names.count() <= 1:
            return
        name = self.names.item(row).text()
        self._calendars.pop(name, None)
        self._shown = None
        self.names.takeItem(row)
        self.edited.emit()

    def sections(self) -> dict[str, Any]:
        self._store()
        return {"calendars": copy.deepcopy(self._calendars)}

    def problems(self) -> Problems:
        found = problems_of(self.zone, *self.days.values())
        if not any(edit.hours() for edit in self.days.values()):
            found.append((self.days["mon"], "no working hours on any day"))
        return found

    def field(self, path: str) -> QWidget | None:
        match = re.match(r"calendars\.([^.]+)\.?(\w*)\.?(\w*)", path)
        if not match:
            return self.names if path.startswith("calendars") else None
        name, key, day = match.groups()
        self.show_calendar(name)
        if key == "hours":
            return self.days.get(day, self.days["mon"])
        return {"time_zone": self.zone, "holidays": self.holidays.picker,
                "country": self.country, "subdivision": self.subdivision}.get(key, self.names)
