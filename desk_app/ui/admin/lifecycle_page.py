"""Team, lifecycle windows and the major-incident criteria."""

import copy
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from desk_app.core.enums import PRIORITIES
from desk_app.ui.admin.list_editors import ListEditor
from desk_app.ui.admin.policy_page import (
    PolicyPage,
    Problems,
    days_spin,
    narrow_form,
    problems_of,
)
from desk_app.ui.admin.time_editors import TimeZonePicker
from desk_app.ui.refusals import mark


class LifecyclePage(PolicyPage):
    """Team, reopen window, auto-close grace period and the major-incident criteria."""

    title = "Team and lifecycle"
    owns = ("team", "lifecycle", "major_incident", "catalogue")

    def __init__(self) -> None:
        super().__init__()
        form = narrow_form(self)
        self.team_name = QLineEdit()
        self.team_name.setObjectName("team_name")
        self.team_name.setMaxLength(100)
        self.team_name.textEdited.connect(self._changed)
        self.team_name.textEdited.connect(lambda _t: mark(self.team_name, None))
        self.time_zone = TimeZonePicker("team_time_zone")
        self.time_zone.edited.connect(self._changed)
        self.reopen = days_spin("reopen_window")
        self.reopen.setToolTip("A resolved ticket may be reopened within this time; later "
                               "a new linked incident is logged")
        self.grace = days_spin("auto_close_grace")
        self.grace.setToolTip("A resolved ticket nobody confirms closes after this time")
        for spin in (self.reopen, self.grace):
            spin.valueChanged.connect(self._changed)
        form.addRow("Team name", self.team_name)
        form.addRow("Team time zone", self.time_zone)
        form.addRow("Reopen window", self.reopen)
        form.addRow("Auto-close grace period", self.grace)
        self.major: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        for priority in PRIORITIES:
            box = QCheckBox(priority)
            box.setObjectName(f"major_{priority}")
            box.toggled.connect(self._changed)
            self.major[priority] = box
            row.addWidget(box)
        row.addStretch(1)
        form.addRow("Major-incident priorities", row)
        self.critical = ListEditor("critical_services", "Service name")
        self.critical.setToolTip("An incident on one of these services meets the "
                                 "major-incident criteria at any priority")
        self.critical.setMaximumHeight(180)
        self.critical.edited.connect(self._changed)
        form.addRow("Critical services", self.critical)
        self.unknown_values = QComboBox()
        self.unknown_values.setObjectName("catalogue_unknown_values")
        self.unknown_values.addItem("Allowed (kept as typed)", "allow")
        self.unknown_values.addItem("Refused (pick from the catalogue)", "refuse")
        self.unknown_values.setToolTip("A service or configuration item the service "
                                       "catalogue does not list, on a new or edited ticket")
        self.unknown_values.currentIndexChanged.connect(self._changed)
        form.addRow("Services and CIs not in the catalogue", self.unknown_values)
        self._catalogue: dict[str, Any] = {}
        self._team: dict[str, Any] = {}
        self._lifecycle: dict[str, Any] = {}
        self._major: dict[str, Any] = {}

    def load(self, sections: dict[str, Any]) -> None:
        self._team = copy.deepcopy(sections["team"])
        self._lifecycle = copy.deepcopy(sections["lifecycle"])
        self._major = copy.deepcopy(sections["major_incident"])
        self.team_name.setText(self._team.get("name", ""))
        self.time_zone.set_zone(self._team.get("time_zone", "UTC"))
        for spin, key, default in ((self.reopen, "reopen_window_days", 5),
                                   (self.grace, "auto_close_grace_days", 3)):
            with QSignalBlocker(spin):
                spin.setValue(float(self._lifecycle.get(key, default)))
        for priority, box in self.major.items():
            with QSignalBlocker(box):
                box.setChecked(priority in self._major.get("priorities", ["P1"]))
        self.critical.set_items(list(self._major.get("critical_services", [])))
        self._catalogue = copy.deepcopy(sections.get("catalogue", {}))
        with QSignalBlocker(self.unknown_values):
            self.unknown_values.setCurrentIndex(max(0, self.unknown_values.findData(
                self._catalogue.get("unknown_values", "allow"))))

    def sections(self) -> dict[str, Any]:
        chosen = self.unknown_values.currentData()
        # a policy stored before the catalogue had no such section: only a change adds it
        catalogue = {"catalogue": self._catalogue | {"unknown_values": chosen}} \
            if self._catalogue or chosen != "allow" else {}
        return catalogue | {
            "team": self._team | {"name": self.team_name.text().strip(),
                                  "time_zone": self.time_zone.zone()},
            "lifecycle": self._lifecycle | {"reopen_window_days": self.reopen.value(),
                                            "auto_close_grace_days": self.grace.value()},
            "major_incident": self._major | {
                "priorities": [p for p, box in self.major.items() if box.isChecked()],
                "critical_services": self.critical.items()},
        }

    def problems(self) -> Problems:
        found = problems_of(self.time_zone)
        if not self.team_name.text().strip():
            found.append((self.team_name, "the team needs a name"))
        return found

    def field(self, path: str) -> QWidget | None:
        fields = {"team.name": self.team_name, "team.time_zone": self.time_zone,
                  "team": self.team_name,
                  "lifecycle.reopen": self.reopen, "lifecycle.auto": self.grace,
                  "lifecycle": self.reopen,
                  "major_incident.priorities": next(iter(self.major.values())),
                  "major_incident": self.critical.entry,
                  "catalogue": self.unknown_values}
        return next((widget for prefix, widget in fields.items() if path.startswith(prefix)),
                    None)
