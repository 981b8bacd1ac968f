"""Functional and hierarchic escalation."""

import copy
import re
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.ui.admin.policy_page import (
    SUPPORT_LEVELS,
    PolicyPage,
    Problems,
    heading,
)
from desk_app.ui.refusals import mark


class EscalationPage(PolicyPage):
    """Functional matrix (support group per category and level) and hierarchic levels."""

    title = "Escalation"
    owns = ("escalation",)
    AS_DEFAULT = "(as default)"

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        functional = QGroupBox("Functional escalation: the group that takes each support "
                               "level, per category")
        box = QVBoxLayout(functional)
        self.grid = QGridLayout()
        box.addLayout(self.grid)
        add_row = QHBoxLayout()
        self.new_row = QComboBox()
        self.new_row.setObjectName("functional_new_category")
        add = QPushButton("Add category row")
        add.setObjectName("functional_add")
        add.clicked.connect(self.add_row)
        add_row.addWidget(self.new_row)
        add_row.addWidget(add)
        add_row.addStretch(1)
        box.addLayout(add_row)
        layout.addWidget(functional)
        hierarchic = QGroupBox("Hierarchic escalation: who is informed when this share of "
                               "the resolution target is used")
        self.levels_box = QVBoxLayout(hierarchic)
        self.levels_grid = QGridLayout()
        self.levels_box.addLayout(self.levels_grid)
        add_level = QPushButton("Add management level")
        add_level.setObjectName("hierarchic_add")
        add_level.clicked.connect(lambda: self._add_level("", 100.0, emit=True))
        self.levels_box.addWidget(add_level, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(hierarchic)
        layout.addStretch(1)
        self.rows: dict[str, dict[str, QComboBox]] = {}
        self.levels: list[tuple[QLineEdit, QDoubleSpinBox]] = []
        self._groups: list[str] = []
        self._categories: list[str] = []
        self._loaded: dict[str, Any] = {}

    def load(self, sections: dict[str, Any]) -> None:
        self._loaded = copy.deepcopy(sections["escalation"])
        self._groups = self._groups or [g["name"] for g in sections.get("groups", [])]
        self._categories = [c["name"] for c in sections["categories"]]
        self._clear(self.grid)
        self.rows = {}
        for column, text in enumerate(("Category", *SUPPORT_LEVELS), start=0):
            self.grid.addWidget(heading(text), 0, column)
        functional = self._loaded.get("functional", {})
        for category in sorted(functional, key=lambda name: name != "default"):
            self._add_functional(category, functional[category])
        self._clear(self.levels_grid)
        self.levels = []
        for column, text in enumerate(("Management level", "At % of the resolution target")):
            self.levels_grid.addWidget(heading(text), 0, column)
        for level in self._loaded.get("hierarchic", []):
            self._add_level(level["name"], float(level["at_percent"]))
        self._offer_rows()

    @staticmethod
    def _clear(grid: QGridLayout) -> None:
        while grid.count():
            widget = grid.takeAt(0).widget()
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()

    def _add_functional(self, category: str, levels: dict[str, str]) -> None:
        row = self.grid.rowCount()
        self.grid.addWidget(QLabel("Default (all others)" if category == "default"
                                   else category), row, 0)
        combos = {}
        for column, level in enumerate(SUPPORT_LEVELS, start=1):
            combo = QComboBox()
            combo.setObjectName(f"functional_{category}_{level}")
            if category != "default":
                combo.addItem(self.AS_DEFAULT, "")
            for group in self._groups:
                combo.addItem(group, group)
            current = levels.get(level, "")
            if current and combo.findData(current) < 0:
                combo.addItem(current, current)  # a group the desk lacks: the save says so
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.currentIndexChanged.connect(self._changed)
            self.grid.addWidget(combo, row, column)
            combos[level] = combo
        if category != "default":
            remove = QPushButton("Remove row")
            remove.setObjectName(f"functional_{category}_remove")
            remove.clicked.connect(lambda: self._remove_row(category, row))
            self.grid.addWidget(remove, row, 4)
        self.rows[category] = combos

    def _remove_row(self, category: str, row: int) -> None:
        for column in range(5):
            item = self.grid.itemAtPosition(row, column)
            if item is not None and item.widget() is not None:
                item.widget().setParent(None)
        self.rows.pop(category, None)
        self._offer_rows()
        self.edited.emit()

    def add_row(self) -> None:
        category = self.new_row.currentText()
        if category and category not in self.rows:
            self._add_functional(category, {})
            self._offer_rows()
            self.edited.emit()

    def _offer_rows(self) -> None:
        self.new_row.clear()
        self.new_row.addItems([c for c in self._categories if c not in self.rows])

    def _add_level(self, name: str, percent: float, emit: bool = False) -> None:
        row = self.levels_grid.rowCount()
        edit, spin = QLineEdit(name), QDoubleSpinBox()
        edit.setObjectName(f"hierarchic_{len(self.levels)}_name")
        edit.setPlaceholderText("e.g. Team lead")
        spin.setObjectName(f"hierarchic_{len(self.levels)}_percent")
        spin.setRange(1, 1000)
        spin.setDecimals(0)
        spin.setSuffix(" %")
        spin.setValue(percent)
        edit.textEdited.connect(self._changed)
        edit.textEdited.connect(lambda _t: mark(edit, None))
        spin.valueChanged.connect(self._changed)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: self._remove_level(edit, spin, remove))
        self.levels_grid.addWidget(edit, row, 0)
        self.levels_grid.addWidget(spin, row, 1)
        self.levels_grid.addWidget(remove, row, 2)
        self.levels.append((edit, spin))
        if emit:
            edit.setFocus()
            self.edited.emit()

    def _remove_level(self, *widgets: QWidget) -> None:
        self.levels = [pair for pair in self.levels if pair[0] is not widgets[0]]
        for widget in widgets:
            widget.setParent(None)
        self.edited.emit()

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        if "categories" in choices:
            self._categories = choices["categories"]
            self._offer_rows()
        if "groups" not in choices or choices["groups"] == self._groups:
            return
        self._groups = choices["groups"]
        for category, combos in self.rows.items():
            for combo in combos.values():
                current = combo.currentData()
                with QSignalBlocker(combo):
                    combo.clear()
                    if category != "default":
                        combo.addItem(self.AS_DEFAULT, "")
                    for group in self._groups:
                        combo.addItem(group, group)
                    if current and combo.findData(current) < 0:
                        combo.addItem(current, current)
                    combo.setCurrentIndex(max(combo.findData(current), 0))

    def sections(self) -> dict[str, Any]:
        functional = {category: {level: combo.currentData() for level, combo in combos.items()
                                 if combo.currentData()}
                      for category, combos in self.rows.items()}
        hierarchic = [{"name": edit.text().strip(), "at_percent": spin.value()}
                      for edit, spin in self.levels]
        return {"escalation": self._loaded | {"functional": functional,
                                              "hierarchic": hierarchic}}

    def problems(self) -> Problems:
        found: Problems = [(edit, "a management level needs a name")
                           for edit, _spin in self.levels if not edit.text().strip()]
        names = [edit.text().strip().casefold() for edit, _spin in self.levels]
        found += [(edit, f"{edit.text().strip()!r} is listed twice")
                  for index, (edit, _s) in enumerate(self.levels)
                  if edit.text().strip() and names.index(names[index]) != index]
        return found

    def field(self, path: str) -> QWidget | None:
        match = re.match(r"escalation\.functional\.([^.]+)\.?(L\d)?", path)
        if match and match.group(1) in self.rows:
            return self.rows[match.group(1)].get(match.group(2) or "L1")
        match = re.match(r"escalation\.hierarchic\[(\d+)\]\.?(\w*)", path)
        if match and int(match.group(1)) < len(self.levels):
            edit, spin = self.levels[int(match.group(1))]
            return spin if match.group(2) == "at_percent" else edit
        return None
