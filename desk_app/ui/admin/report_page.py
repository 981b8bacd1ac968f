"""The weekly KPI report by mail: on or off, the weekday and hour it goes out (in the
team's time zone), who receives it, and the period each report covers."""

import copy
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from desk_app.core.calendar import WEEKDAYS
from desk_app.core.mail_templates import looks_like_address
from desk_app.core.report_schedule import ReportSchedule, next_due, week_of
from desk_app.core.time_zones import zone_problem
from desk_app.ui.admin.list_editors import ListEditor
from desk_app.ui.admin.policy_page import PolicyPage, Problems, narrow_form, note

SECTION = "report_schedule"
DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday"), strict=True))
NO_RECIPIENTS = "name at least one address to send the weekly report to (or turn it off)"


def address_problem(text: str) -> str | None:
    """Why ``text`` cannot receive the report (the rule the policy check applies)."""
    if len(text) > 255:
        return "a mail address is at most 255 characters"
    return None if looks_like_address(text) else \
        f"{text[:60]!r} is not a mail address (name@example.com)"


class WeeklyReportPage(PolicyPage):
    """The ``report_schedule`` section."""

    title = "Weekly report"
    owns = (SECTION,)

    def __init__(self, now: Any = None) -> None:
        super().__init__()
        self._now = now or (lambda: datetime.now(UTC))
        form = narrow_form(self)
        self.enabled = QCheckBox("Send the weekly KPI report by mail")
        self.enabled.setObjectName("report_enabled")
        self.enabled.toggled.connect(self._changed)
        self.weekday = QComboBox()
        self.weekday.setObjectName("report_weekday")
        for day in WEEKDAYS:
            self.weekday.addItem(DAY_NAMES[day], day)
        self.weekday.currentIndexChanged.connect(self._changed)
        self.hour = QComboBox()
        self.hour.setObjectName("report_hour")
        for hour in range(24):
            self.hour.addItem(f"{hour:02d}:00", hour)
        self.hour.currentIndexChanged.connect(self._changed)
        self.recipients = ListEditor("report_recipients", "name@example.com, then Enter",
                                     check=address_problem)
        self.recipients.list.setMaximumHeight(130)
        self.recipients.edited.connect(self._changed)
        self.period = QLabel()
        self.period.setObjectName("report_period")
        self.period.setWordWrap(True)
        form.addRow("Weekly report", self.enabled)
        form.addRow("Day", self.weekday)
        form.addRow("Time", self.hour)
        form.addRow("Recipients", self.recipients)
        form.addRow("Period", self.period)
        form.addRow(note("Every desk of the team computes the same report; one of them "
                         "sends it (the others see it as sent by another desk). It goes "
                         "out through the mail server on the Mail page."))
        self._stored: dict[str, Any] = {}
        self._zone = "UTC"

    def load(self, sections: dict[str, Any]) -> None:
        self._stored = copy.deepcopy(sections.get(SECTION) or {})
        zone = str(sections.get("team", {}).get("time_zone", "UTC"))
        self._zone = "UTC" if zone_problem(zone) else zone
        schedule = ReportSchedule.from_section(self._stored)
        with QSignalBlocker(self.enabled), QSignalBlocker(self.weekday), \
                QSignalBlocker(self.hour):
            self.enabled.setChecked(schedule.enabled)
            self.weekday.setCurrentIndex(max(self.weekday.findData(schedule.weekday), 0))
            self.hour.setCurrentIndex(max(self.hour.findData(schedule.hour), 0))
        self.recipients.set_items(list(schedule.recipients))
        self._show_period()

    def _shown(self) -> dict[str, Any]:
        return {"enabled": self.enabled.isChecked(), "recipients": self.recipients.items(),
                "weekday": self.weekday.currentData(), "hour": self.hour.currentData()}

    def _changed(self, *_args: object) -> None:
        self._show_period()
        super()._changed()

    def _show_period(self) -> None:
        shown = self._shown()
        zone = ZoneInfo(self._zone)
        day, hour = DAY_NAMES[shown["weekday"]], f"{shown['hour']:02d}:00"
        text = (f"The seven days before each report: from the previous {day} {hour} up "
                f"to the report, in the team's time zone ({self._zone}).")
        # the schedule as if it were on, to say when the next report would go
        due = next_due(ReportSchedule(True, ("next",), shown["weekday"], shown["hour"]),
                       zone, self._now())
        if due is not None:
            week = week_of(due, zone)
            since, until = week.since.astimezone(zone), week.until.astimezone(zone)
            when = "The next report" if shown["enabled"] else "When on, the next report"
            text += (f"\n{when}: {until:%a %d %b %Y %H:%M}, covering "
                     f"{since:%a %d %b %H:%M} - {until:%a %d %b %H:%M}.")
        self.period.setText(text)

    def sections(self) -> dict[str, Any]:
        shown = self._shown()
        stored = ReportSchedule.from_section(self._stored)
        if shown == {"enabled": stored.enabled, "recipients": list(stored.recipients),
                     "weekday": stored.weekday, "hour": stored.hour}:
            return {SECTION: self._stored}  # unchanged: nothing staged by opening the page
        return {SECTION: shown}

    def problems(self) -> Problems:
        shown = self._shown()
        bad = [(self.recipients, problem) for text in shown["recipients"]
               if (problem := address_problem(text))]
        if shown["enabled"] and not shown["recipients"]:
            bad.append((self.recipients, NO_RECIPIENTS))
        return bad

    def field(self, path: str) -> QWidget | None:
        fields = {f"{SECTION}.recipients": self.recipients, f"{SECTION}.weekday": self.weekday,
                  f"{SECTION}.hour": self.hour, f"{SECTION}.enabled": self.enabled}
        return next((widget for key, widget in fields.items() if path.startswith(key)), None)
