"""The watcher's rules: functional escalation per priority, priorities that go straight
to L3, the priority raise on a missed response, and the technician told at each
management level. Its keys live in the ``escalation`` section, beside the matrix the
Escalation page edits (the dialog merges the two pages' keys)."""

import copy
import re
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.enums import PRIORITIES
from desk_app.ui.admin.policy_page import PolicyPage, heading, note

OFF = "never"
NOBODY = "(nobody)"
KEYS = ("functional_at_percent", "l3_priorities", "raise_priority_on_response_breach")


class WatchRulesPage(PolicyPage):
    """The rules the watcher applies beyond the SLA warning and the thresholds."""

    title = "Watch rules"
    owns = ()  # keys inside "escalation", merged with the Escalation page's

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        outer.addWidget(note("The desk applies these rules by itself, every minute and at "
                             "the moment each comes due. The warning threshold is on the "
                             "SLA page, the management thresholds on the Escalation page."))
        functional = QGroupBox("Functional escalation: a ticket still at L1 and not in "
                               "progress after this share of its response target goes to L2")
        grid = QGridLayout(functional)
        self.functional: dict[str, tuple[QCheckBox, QDoubleSpinBox]] = {}
        for column, text in enumerate(("Priority", "Escalate", "After")):
            grid.addWidget(heading(text), 0, column)
        for row, priority in enumerate(PRIORITIES, start=1):
            check = QCheckBox()
            check.setObjectName(f"watch_functional_{priority}")
            spin = QDoubleSpinBox()
            spin.setObjectName(f"watch_functional_{priority}_percent")
            spin.setRange(1, 100)
            spin.setDecimals(0)
            spin.setSuffix(" % of the response target")
            spin.setValue(100)
            check.toggled.connect(spin.setEnabled)
            check.toggled.connect(self._changed)
            spin.valueChanged.connect(self._changed)
            grid.addWidget(QLabel(priority), row, 0)
            grid.addWidget(check, row, 1)
            grid.addWidget(spin, row, 2)
            self.functional[priority] = (check, spin)
        grid.setColumnStretch(3, 1)
        outer.addWidget(functional)
        direct = QGroupBox("Straight to L3 and priority raise")
        form = QFormLayout(direct)
        row = QHBoxLayout()
        self.l3: dict[str, QCheckBox] = {}
        for priority in PRIORITIES:
            box = QCheckBox(priority)
            box.setObjectName(f"watch_l3_{priority}")
            box.toggled.connect(self._changed)
            row.addWidget(box)
            self.l3[priority] = box
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        form.addRow("Incidents of these priorities go to L3 (major incidents always do)",
                    holder)
        self.raise_priority = QCheckBox("Raise the priority one step when the response "
                                        "target is missed")
        self.raise_priority.setObjectName("watch_raise_priority")
        self.raise_priority.toggled.connect(self._changed)
        form.addRow(self.raise_priority)
        outer.addWidget(direct)
        people = QGroupBox("Management levels: the technician told when a ticket reaches "
                           "each level")
        self.people_grid = QGridLayout(people)
        outer.addWidget(people)
        outer.addStretch(1)
        self.people: list[QComboBox] = []
        self._levels: list[dict[str, Any]] = []
        self._logins: list[str] = []

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        if "technicians" in choices:
            self._logins = sorted(choices["technicians"])

    def load(self, sections: dict[str, Any]) -> None:
        escalation = copy.deepcopy(sections["escalation"])
        percents = escalation.get("functional_at_percent", {})
        for priority, (check, spin) in self.functional.items():
            with QSignalBlocker(check), QSignalBlocker(spin):
                check.setChecked(priority in percents)
                spin.setEnabled(priority in percents)
                spin.setValue(float(percents.get(priority, 100)))
        for priority, box in self.l3.items():
            with QSignalBlocker(box):
                box.setChecked(priority in escalation.get("l3_priorities", []))
        with QSignalBlocker(self.raise_priority):
            self.raise_priority.setChecked(
                bool(escalation.get("raise_priority_on_response_breach", False)))
        self._levels = escalation.get("hierarchic", [])
        self._show_levels()

    def _show_levels(self) -> None:
        while self.people_grid.count():
            widget = self.people_grid.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)
        self.people = []
        for column, text in enumerate(("Management level", "At", "Technician told")):
            self.people_grid.addWidget(heading(text), 0, column)
        for row, level in enumerate(self._levels, start=1):
            combo = QComboBox()
            combo.setObjectName(f"watch_level_{row - 1}_technician")
            combo.addItem(NOBODY, "")
            logins = list(self._logins)
            current = level.get("technician") or ""
            if current and current not in logins:
                logins.append(current)  # a login the desk lacks: the save says so
            for login in logins:
                combo.addItem(login, login)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.people_grid.addWidget(QLabel(level.get("name", "")), row, 0)
            self.people_grid.addWidget(QLabel(f"{float(level['at_percent']):g} %"), row, 1)
            self.people_grid.addWidget(combo, row, 2)
            self.people.append(combo)
        self.people_grid.setColumnStretch(3, 1)

    def sections(self) -> dict[str, Any]:
        return {"escalation": {
            "functional_at_percent": {p: spin.value() for p, (check, spin)
                                      in self.functional.items() if check.isChecked()},
            "l3_priorities": [p for p, box in self.l3.items() if box.isChecked()],
            "raise_priority_on_response_breach": self.raise_priority.isChecked(),
        }}

    def merged_into(self, sections: dict[str, Any]) -> dict[str, Any]:
        """``sections`` (the other pages') with this page's keys in ``escalation`` and the
        technician of each management level (levels matched by name; a level's
        per-group people are kept)."""
        escalation = dict(sections.get("escalation", {})) | self.sections()["escalation"]
        told = {level.get("name"): (combo.currentData() or None, level.get("groups"))
                for level, combo in zip(self._levels, self.people, strict=False)}
        levels = []
        for level in escalation.get("hierarchic", []):
            entry = {k: v for k, v in level.items() if k not in ("technician", "groups")}
            technician, groups = told.get(level.get("name"), (None, None))
            if technician:
                entry["technician"] = technician
            if groups:
                entry["groups"] = groups
            levels.append(entry)
        escalation["hierarchic"] = levels
        return sections | {"escalation": escalation}

    def field(self, path: str) -> QWidget | None:
        match = re.match(r"escalation\.functional_at_percent\.(P\d)", path)
        if match and match.group(1) in self.functional:
            return self.functional[match.group(1)][1]
        match = re.match(r"escalation\.hierarchic\[(\d+)\]\.technician", path)
        if match and int(match.group(1)) < len(self.people):
            return self.people[int(match.group(1))]
        return None
