"""One editor page per group of policy sections. Each page shows sections as widgets
(``load``) and gives them back as plain data (``sections``); the policy service
validates the result and its refusals name the key at fault."""

import copy
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.checklists import CLOSURE_RULES, LOGGING_FIELDS, LOGGING_LABELS
from desk_app.core.enums import PRIORITIES, HoldReason, Level
from desk_app.ui.admin.text_table import TextTable, split_list

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LEVELS = [level.value for level in Level]


class PolicyPage(QWidget):
    """A page editing some sections; ``title`` names its tab."""

    title = ""
    owns: tuple[str, ...] = ()

    def load(self, sections: dict[str, Any]) -> None:
        raise NotImplementedError

    def sections(self) -> dict[str, Any]:
        raise NotImplementedError


class PriorityMatrixPage(PolicyPage):
    """Impact x urgency -> priority; one picker per pair, so every pair is covered."""

    title = "Priority matrix"
    owns = ("priority_matrix",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Priority for each impact (rows) and urgency (columns):"))
        grid = QGridLayout()
        self.cells: dict[tuple[str, str], QComboBox] = {}
        for column, urgency in enumerate(LEVELS, start=1):
            grid.addWidget(QLabel(f"<b>urgency {urgency}</b>"), 0, column)
        for row, impact in enumerate(LEVELS, start=1):
            grid.addWidget(QLabel(f"<b>impact {impact}</b>"), row, 0)
            for column, urgency in enumerate(LEVELS, start=1):
                combo = QComboBox()
                combo.addItems(list(PRIORITIES))
                combo.setObjectName(f"matrix_{impact}_{urgency}")
                combo.setAccessibleName(f"priority for impact {impact}, urgency {urgency}")
                self.cells[(impact, urgency)] = combo
                grid.addWidget(combo, row, column)
        layout.addLayout(grid)
        layout.addStretch(1)

    def load(self, sections: dict[str, Any]) -> None:
        matrix = sections["priority_matrix"]
        for (impact, urgency), combo in self.cells.items():
            combo.setCurrentText(matrix.get(impact, {}).get(urgency, "P4"))

    def sections(self) -> dict[str, Any]:
        matrix: dict[str, dict[str, str]] = {impact: {} for impact in LEVELS}
        for (impact, urgency), combo in self.cells.items():
            matrix[impact][urgency] = combo.currentText()
        return {"priority_matrix": matrix}


class SlaPage(PolicyPage):
    """Response and resolution targets per priority, warning threshold, pausing holds."""

    title = "SLA targets"
    owns = ("sla",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Durations: 15m, 4h, or 3bd (business days of the calendar)."))
        self.targets = TextTable(["Priority", "Response", "Resolution", "Calendar"],
                                 "sla_targets", growable=False)
        layout.addWidget(self.targets)
        form = QFormLayout()
        self.warning = QDoubleSpinBox()
        self.warning.setObjectName("sla_warning")
        self.warning.setRange(1, 99)
        self.warning.setSuffix(" % of the target used")
        form.addRow("Warning at", self.warning)
        self.pauses: dict[str, QCheckBox] = {}
        for index, reason in enumerate(HoldReason):
            box = QCheckBox(reason.value.replace("_", " "))
            box.setObjectName(f"pause_{reason.value}")
            self.pauses[reason.value] = box
            form.addRow("Pauses the clock" if index == 0 else "", box)
        layout.addLayout(form)

    def load(self, sections: dict[str, Any]) -> None:
        sla = sections["sla"]
        self.targets.set_rows([[p, str(sla["targets"][p]["response"]),
                                str(sla["targets"][p]["resolution"]),
                                sla["targets"][p]["calendar"]] for p in PRIORITIES])
        self.warning.setValue(float(sla.get("warning_percent", 75)))
        for reason, box in self.pauses.items():
            box.setChecked(reason in sla.get("pause_reasons", ()))

    def sections(self) -> dict[str, Any]:
        targets = {row[0]: {"response": row[1], "resolution": row[2], "calendar": row[3]}
                   for row in self.targets.rows()}
        return {"sla": {"warning_percent": self.warning.value(),
                        "pause_reasons": [r for r, box in self.pauses.items() if box.isChecked()],
                        "targets": targets}}


class CalendarsPage(PolicyPage):
    """Business calendars: working hours per weekday, time zone, holidays."""

    title = "Calendars"
    owns = ("calendars",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Hours like 08:00-12:00, 13:00-17:00 (empty: closed). "
                                "Holidays as YYYY-MM-DD, comma separated. Country adds its "
                                "public holidays (e.g. GB, with subdivision ENG)."))
        self.table = TextTable(["Name", "Time zone", *[d.title() for d in WEEKDAYS],
                                "Holidays", "Country", "Subdivision"], "calendars")
        layout.addWidget(self.table)

    def load(self, sections: dict[str, Any]) -> None:
        self._loaded = copy.deepcopy(sections["calendars"])
        rows = []
        for name, data in sections["calendars"].items():
            hours = data.get("hours", {})
            rows.append([name, data.get("time_zone", "UTC"),
                         *[", ".join(hours.get(day, [])) for day in WEEKDAYS],
                         ", ".join(data.get("holidays", [])), data.get("country") or "",
                         data.get("subdivision") or ""])
        self.table.set_rows(rows)

    def sections(self) -> dict[str, Any]:
        calendars = {}
        for row in self.table.rows():
            name, zone, days = row[0], row[1], row[2:9]
            data: dict[str, Any] = {
                "time_zone": zone or "UTC",
                "hours": {day: split_list(text) for day, text in zip(WEEKDAYS, days,
                                                                     strict=True) if text},
                "holidays": split_list(row[9]),
            }
            if row[10]:
                data["country"] = row[10]
            if row[11]:
                data["subdivision"] = row[11]
            loaded = getattr(self, "_loaded", {}).get(name)
            unchanged = loaded is not None and _meaningful(loaded) == _meaningful(data)
            calendars[name] = loaded if unchanged else data
        return {"calendars": calendars}


def _meaningful(data: dict[str, Any]) -> dict[str, Any]:
    """A section entry without its empty keys (an empty list and no key mean the same)."""
    return {key: value for key, value in data.items() if value not in ([], {}, "", None)}


class CategoriesPage(PolicyPage):
    """Categories, their subcategories and categorisation checklists."""

    title = "Categories"
    owns = ("categories",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Subcategories comma separated; the checklist's items "
                                "separated by ';' (empty: the default categorisation checklist)."))
        self.table = TextTable(["Category", "Subcategories", "Categorisation checklist"],
                               "categories")
        layout.addWidget(self.table)

    def load(self, sections: dict[str, Any]) -> None:
        self.table.set_rows([[c["name"], ", ".join(c.get("subcategories", [])),
                              "; ".join(c.get("checklist", []))]
                             for c in sections["categories"]])

    def sections(self) -> dict[str, Any]:
        categories = []
        for name, subcategories, checklist in self.table.rows():
            entry: dict[str, Any] = {"name": name, "subcategories": split_list(subcategories)}
            if checklist:
                entry["checklist"] = split_list(checklist, ";")
            categories.append(entry)
        return {"categories": categories}


class ChecklistsPage(PolicyPage):
    """The logging, default categorisation and closure checklists."""

    title = "Checklists"
    owns = ("checklists",)

    def __init__(self) -> None:
        super().__init__()
        layout = QGridLayout(self)
        self.logging = self._checkable("logging_items", {f: LOGGING_LABELS[f]
                                                         for f in LOGGING_FIELDS})
        self.closure = self._checkable("closure_items", {k: label for k, (label, _r)
                                                         in CLOSURE_RULES.items()})
        self.default = QPlainTextEdit()
        self.default.setObjectName("categorisation_default")
        layout.addWidget(QLabel("<b>Logging checklist</b> (fields required to log)"), 0, 0)
        layout.addWidget(self.logging, 1, 0)
        layout.addWidget(QLabel("<b>Closure checklist</b> (met before closing)"), 0, 1)
        layout.addWidget(self.closure, 1, 1)
        layout.addWidget(QLabel("<b>Default categorisation checklist</b> (one item a line)"),
                         2, 0, 1, 2)
        layout.addWidget(self.default, 3, 0, 1, 2)

    @staticmethod
    def _checkable(name: str, items: dict[str, str]) -> QListWidget:
        widget = QListWidget()
        widget.setObjectName(name)
        for key, label in items.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            widget.addItem(item)
        return widget

    @staticmethod
    def _set(widget: QListWidget, keys: list[str]) -> None:
        for row in range(widget.count()):
            item = widget.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in keys else Qt.CheckState.Unchecked)

    @staticmethod
    def _checked(widget: QListWidget) -> list[str]:
        return [widget.item(row).data(Qt.ItemDataRole.UserRole) for row in range(widget.count())
                if widget.item(row).checkState() == Qt.CheckState.Checked]

    def load(self, sections: dict[str, Any]) -> None:
        checklists = sections["checklists"]
        self._set(self.logging, checklists.get("logging", list(LOGGING_FIELDS)))
        self._set(self.closure, checklists.get("closure", list(CLOSURE_RULES)))
        self.default.setPlainText("\n".join(checklists.get("categorisation_default", [])))

    def sections(self) -> dict[str, Any]:
        return {"checklists": {
            "logging": self._checked(self.logging), "closure": self._checked(self.closure),
            "categorisation_default": [line.strip() for line in
                                       self.default.toPlainText().splitlines() if line.strip()],
        }}


class EscalationPage(PolicyPage):
    """Functional matrix (support group per category and level) and hierarchic levels."""

    title = "Escalation"
    owns = ("escalation",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Functional escalation</b>: the group that takes each "
                                "support level, per category ('default' for the others)."))
        self.functional = TextTable(["Category", "L1", "L2", "L3"], "functional_matrix")
        layout.addWidget(self.functional)
        layout.addWidget(QLabel("<b>Hierarchic escalation</b>: who is informed when this "
                                "share of the resolution target is used."))
        self.hierarchic = TextTable(["Management level", "At % used"], "hierarchic_levels")
        layout.addWidget(self.hierarchic)
        self._other: dict[str, Any] = {}

    def load(self, sections: dict[str, Any]) -> None:
        escalation = sections["escalation"]
        self._other = {k: v for k, v in escalation.items()
                       if k not in ("functional", "hierarchic")}
        self.functional.set_rows([[category, levels.get("L1", ""), levels.get("L2", ""),
                                   levels.get("L3", "")]
                                  for category, levels in escalation.get("functional", {}).items()])
        self.hierarchic.set_rows([[level["name"], f"{level['at_percent']:g}"]
                                  for level in escalation.get("hierarchic", [])])

    def sections(self) -> dict[str, Any]:
        functional = {row[0]: {lvl: group for lvl, group in zip(("L1", "L2", "L3"), row[1:],
                                                                 strict=True) if group}
                      for row in self.functional.rows()}
        hierarchic = []
        for name, percent in self.hierarchic.rows():
            try:
                value: Any = float(percent)
            except ValueError:
                value = percent  # the policy check names the bad value
            hierarchic.append({"name": name, "at_percent": value})
        return {"escalation": copy.deepcopy(self._other) | {"functional": functional,
                                                             "hierarchic": hierarchic}}


class LifecyclePage(PolicyPage):
    """Team, reopen window, auto-close grace period and the major-incident criteria."""

    title = "Lifecycle, major incidents"
    owns = ("team", "lifecycle", "major_incident")

    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        self.team_name = QLineEdit()
        self.team_name.setObjectName("team_name")
        self.time_zone = QLineEdit()
        self.time_zone.setObjectName("team_time_zone")
        self.reopen = QDoubleSpinBox()
        self.reopen.setObjectName("reopen_window")
        self.grace = QDoubleSpinBox()
        self.grace.setObjectName("auto_close_grace")
        for spin in (self.reopen, self.grace):
            spin.setRange(0, 365)
            spin.setSuffix(" days")
        form.addRow("Team name", self.team_name)
        form.addRow("Team time zone", self.time_zone)
        form.addRow("Reopen window", self.reopen)
        form.addRow("Auto-close grace period", self.grace)
        self.major: dict[str, QCheckBox] = {}
        for priority in PRIORITIES:
            box = QCheckBox(priority)
            box.setObjectName(f"major_{priority}")
            self.major[priority] = box
            form.addRow("Major-incident priority" if priority == "P1" else "", box)
        self.critical = QLineEdit()
        self.critical.setObjectName("critical_services")
        self.critical.setToolTip("An incident on one of these services meets the "
                                 "major-incident criteria at any priority")
        form.addRow("Critical services", self.critical)
        self._team: dict[str, Any] = {}
        self._lifecycle: dict[str, Any] = {}

    def load(self, sections: dict[str, Any]) -> None:
        self._team, self._lifecycle = dict(sections["team"]), dict(sections["lifecycle"])
        self.team_name.setText(self._team.get("name", ""))
        self.time_zone.setText(self._team.get("time_zone", "UTC"))
        self.reopen.setValue(float(self._lifecycle.get("reopen_window_days", 5)))
        self.grace.setValue(float(self._lifecycle.get("auto_close_grace_days", 3)))
        major = sections["major_incident"]
        for priority, box in self.major.items():
            box.setChecked(priority in major.get("priorities", ["P1"]))
        self.critical.setText(", ".join(major.get("critical_services", [])))

    def sections(self) -> dict[str, Any]:
        return {
            "team": self._team | {"name": self.team_name.text().strip(),
                                  "time_zone": self.time_zone.text().strip()},
            "lifecycle": self._lifecycle | {"reopen_window_days": self.reopen.value(),
                                            "auto_close_grace_days": self.grace.value()},
            "major_incident": {"priorities": [p for p, box in self.major.items()
                                              if box.isChecked()],
                               "critical_services": split_list(self.critical.text())},
        }


POLICY_PAGES = (PriorityMatrixPage, SlaPage, CalendarsPage, CategoriesPage, ChecklistsPage,
                EscalationPage, LifecyclePage)
