"""The priority matrix and the SLA targets per priority."""

import copy
import re
from typing import Any

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.enums import PRIORITIES, HoldReason
from desk_app.core.labels import human_label
from desk_app.ui import look
from desk_app.ui.admin.policy_page import (
    LEVELS,
    PolicyPage,
    Problems,
    heading,
    note,
    problems_of,
)
from desk_app.ui.admin.time_editors import DurationEdit
from desk_app.ui.refusals import mark


class PriorityMatrixPage(PolicyPage):
    """Impact x urgency -> priority; one picker per pair, tinted with its priority."""

    title = "Priority matrix"
    owns = ("priority_matrix",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(note("The priority a ticket gets for each impact (rows) and "
                               "urgency (columns)."))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        self.cells: dict[tuple[str, str], QComboBox] = {}
        for column, urgency in enumerate(LEVELS, start=1):
            grid.addWidget(heading(f"Urgency {human_label(urgency).lower()}"), 0, column,
                           Qt.AlignmentFlag.AlignCenter)
        for row, impact in enumerate(LEVELS, start=1):
            grid.addWidget(heading(f"Impact {human_label(impact).lower()}"), row, 0)
            for column, urgency in enumerate(LEVELS, start=1):
                combo = QComboBox()
                combo.addItems(list(PRIORITIES))
                combo.setObjectName(f"matrix_{impact}_{urgency}")
                combo.setAccessibleName(f"priority for impact {impact}, urgency {urgency}")
                combo.setMinimumSize(140, 44)
                combo.setMaximumWidth(220)
                combo.currentTextChanged.connect(lambda _t, c=combo: self._tint(c))
                combo.currentTextChanged.connect(self._changed)
                self.cells[(impact, urgency)] = combo
                grid.addWidget(combo, row, column)
        grid.setColumnStretch(len(LEVELS) + 1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)

    @staticmethod
    def _tint(combo: QComboBox) -> None:
        look.set_chip(combo, combo.currentText())  # restyled with the theme

    def load(self, sections: dict[str, Any]) -> None:
        matrix = sections["priority_matrix"]
        for (impact, urgency), combo in self.cells.items():
            with QSignalBlocker(combo):
                combo.setCurrentText(matrix.get(impact, {}).get(urgency, "P4"))
            self._tint(combo)

    def sections(self) -> dict[str, Any]:
        matrix: dict[str, dict[str, str]] = {impact: {} for impact in LEVELS}
        for (impact, urgency), combo in self.cells.items():
            matrix[impact][urgency] = combo.currentText()
        return {"priority_matrix": matrix}

    def field(self, path: str) -> QWidget | None:
        return self.cells[(LEVELS[0], LEVELS[0])] if path.startswith("priority_matrix") \
            else None


class SlaPage(PolicyPage):
    """Response and resolution targets per priority, warning threshold, pausing holds."""

    title = "SLA targets"
    owns = ("sla",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(note("Business days count the working hours of the target's "
                               "calendar; minutes, hours and days count the clock."))
        grid = QGridLayout()
        for column, text in enumerate(("Priority", "Response within", "Resolution within",
                                       "On calendar")):
            grid.addWidget(heading(text), 0, column)
        self.chips: dict[str, QLabel] = {}
        self.response: dict[str, DurationEdit] = {}
        self.resolution: dict[str, DurationEdit] = {}
        self.calendar: dict[str, QComboBox] = {}
        for row, priority in enumerate(PRIORITIES, start=1):
            chip = QLabel(priority)
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.chips[priority] = chip
            _tint_chip(chip, priority)
            grid.addWidget(chip, row, 0)
            for column, (store, clock) in enumerate(((self.response, "response"),
                                                     (self.resolution, "resolution")), 1):
                edit = DurationEdit(f"sla_{priority}_{clock}")
                edit.edited.connect(self._changed)
                store[priority] = edit
                grid.addWidget(edit, row, column)
            combo = QComboBox()
            combo.setObjectName(f"sla_{priority}_calendar")
            combo.currentIndexChanged.connect(self._changed)
            self.calendar[priority] = combo
            grid.addWidget(combo, row, 3)
        grid.setColumnStretch(4, 1)
        layout.addLayout(grid)
        form = QFormLayout()
        self.warning = QDoubleSpinBox()
        self.warning.setMaximumWidth(260)
        self.warning.setObjectName("sla_warning")
        self.warning.setRange(1, 99)
        self.warning.setSuffix(" % of the target used")
        self.warning.valueChanged.connect(self._changed)
        form.addRow("Warn technicians at", self.warning)
        self.pauses: dict[str, QCheckBox] = {}
        for index, reason in enumerate(HoldReason):
            box = QCheckBox(human_label(reason.value))
            box.setObjectName(f"pause_{reason.value}")
            box.toggled.connect(self._changed)
            self.pauses[reason.value] = box
            form.addRow("The clock pauses while" if index == 0 else "", box)
        layout.addLayout(form)
        layout.addStretch(1)
        self._loaded: dict[str, Any] = {}

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # light <-> dark: tones differ
            for priority, chip in self.chips.items():
                _tint_chip(chip, priority)
        super().changeEvent(event)

    def load(self, sections: dict[str, Any]) -> None:
        sla = self._loaded = copy.deepcopy(sections["sla"])
        self.set_choices({"calendars": list(sections["calendars"])})
        for priority in PRIORITIES:
            target = sla["targets"].get(priority, {})
            self.response[priority].set_text(str(target.get("response", "")))
            self.resolution[priority].set_text(str(target.get("resolution", "")))
            combo = self.calendar[priority]
            with QSignalBlocker(combo):
                combo.setCurrentIndex(combo.findText(target.get("calendar", "")))
        with QSignalBlocker(self.warning):
            self.warning.setValue(float(sla.get("warning_percent", 75)))
        for reason, box in self.pauses.items():
            with QSignalBlocker(box):
                box.setChecked(reason in sla.get("pause_reasons", ()))

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        if "calendars" not in choices:
            return
        for combo in self.calendar.values():
            current = combo.currentText()
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItems(choices["calendars"])
                combo.setCurrentIndex(combo.findText(current))
            mark(combo, None if combo.currentIndex() >= 0 else "choose a calendar")

    def sections(self) -> dict[str, Any]:
        targets = {p: {"response": self.response[p].text(),
                       "resolution": self.resolution[p].text(),
                       "calendar": self.calendar[p].currentText()} for p in PRIORITIES}
        return {"sla": self._loaded | {
            "warning_percent": self.warning.value(),
            "pause_reasons": [r for r, box in self.pauses.items() if box.isChecked()],
            "targets": targets}}

    def problems(self) -> Problems:
        found = problems_of(*self.response.values(), *self.resolution.values())
        found += [(c, "choose a calendar") for c in self.calendar.values()
                  if c.currentIndex() < 0]
        return found

    def field(self, path: str) -> QWidget | None:
        match = re.match(r"sla\.targets\.(P\d)\.?(\w*)", path)
        if match and match.group(1) in self.response:
            priority, clock = match.groups()
            return {"response": self.response, "calendar": self.calendar}.get(
                clock, self.resolution)[priority]
        if path.startswith("sla.pause_reasons"):
            return next(iter(self.pauses.values()))
        return self.warning if path.startswith("sla") else None


def _tint_chip(chip: QLabel, priority: str) -> None:
    look.set_chip(chip, priority)
