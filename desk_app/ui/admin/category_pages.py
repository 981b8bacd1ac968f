"""Categories with their subcategories, and the checklists."""

import copy
import re
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.checklists import CLOSURE_RULES, LOGGING_FIELDS, LOGGING_LABELS
from desk_app.ui.admin.list_editors import ListEditor
from desk_app.ui.admin.policy_page import (
    PolicyPage,
    Problems,
    heading,
)


class CategoriesPage(PolicyPage):
    """Categories, their subcategories and categorisation checklists."""

    title = "Categories"
    owns = ("categories",)

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        self.names = ListEditor("categories", "New category")
        self.names.setMaximumWidth(300)
        self.names.edited.connect(self._names_edited)
        self.names.list.currentRowChanged.connect(self._select)
        side = QVBoxLayout()
        side.addWidget(heading("Categories"))
        side.addWidget(self.names, 1)
        layout.addLayout(side)
        detail = QVBoxLayout()
        detail.addWidget(heading("Subcategories"))
        self.subcategories = ListEditor("subcategories", "New subcategory")
        self.subcategories.edited.connect(self._detail_edited)
        detail.addWidget(self.subcategories, 1)
        self.own_checklist = QCheckBox("Own categorisation checklist (otherwise the default "
                                       "one on the Checklists page)")
        self.own_checklist.setObjectName("own_checklist")
        self.own_checklist.toggled.connect(self._own_toggled)
        detail.addWidget(self.own_checklist)
        self.checklist = ListEditor("category_checklist", "New checklist item", unique=False)
        self.checklist.edited.connect(self._detail_edited)
        detail.addWidget(self.checklist, 1)
        layout.addLayout(detail, 1)
        self._entries: dict[str, dict[str, Any]] = {}
        self._shown: str | None = None

    def load(self, sections: dict[str, Any]) -> None:
        self._entries = {c["name"]: copy.deepcopy(c) for c in sections["categories"]}
        self._shown = None
        self.names.set_items(list(self._entries))
        self.names.list.setCurrentRow(0 if self._entries else -1)
        self._select(self.names.list.currentRow())

    def _select(self, row: int) -> None:
        names = self.names.items()
        self._shown = names[row] if 0 <= row < len(names) else None
        entry = self._entries.get(self._shown or "", {})
        self.subcategories.set_items(list(entry.get("subcategories", [])))
        self.checklist.set_items(list(entry.get("checklist", [])))
        with QSignalBlocker(self.own_checklist):
            self.own_checklist.setChecked(bool(entry.get("checklist")))
        self.checklist.setEnabled(self.own_checklist.isChecked())
        enabled = self._shown is not None
        self.subcategories.setEnabled(enabled)
        self.own_checklist.setEnabled(enabled)

    def _names_edited(self) -> None:
        names = self.names.items()
        # a rename keeps the entry: match the old names that disappeared to the new ones
        gone = [n for n in self._entries if n not in names]
        entries = {}
        for name in names:
            entry = self._entries.get(name)
            if entry is None:
                entry = self._entries[gone.pop(0)] if gone and len(names) == len(
                    self._entries) else {"name": name, "subcategories": []}
            entries[name] = entry | {"name": name}
        self._entries = entries
        self._select(self.names.list.currentRow())
        self.edited.emit()

    def _detail_edited(self) -> None:
        if self._shown is None:
            return
        entry = self._entries[self._shown]
        entry["subcategories"] = self.subcategories.items()
        if self.own_checklist.isChecked() and self.checklist.items():
            entry["checklist"] = self.checklist.items()
        else:
            entry.pop("checklist", None)
        self.edited.emit()

    def _own_toggled(self, checked: bool) -> None:
        self.checklist.setEnabled(checked)
        self._detail_edited()

    def sections(self) -> dict[str, Any]:
        return {"categories": [copy.deepcopy(self._entries[n]) for n in self.names.items()]}

    def problems(self) -> Problems:
        if self.own_checklist.isChecked() and not self.checklist.items():
            return [(self.checklist.entry, "add an item, or use the default checklist")]
        return []

    def field(self, path: str) -> QWidget | None:
        match = re.match(r"categories\[(\d+)\]\.?(\w*)", path)
        if match:
            self.names.list.setCurrentRow(int(match.group(1)))
            return {"subcategories": self.subcategories.entry,
                    "checklist": self.checklist.entry}.get(match.group(2), self.names.entry)
        return self.names.entry if path.startswith("categories") else None


class ChecklistsPage(PolicyPage):
    """The logging, closure and default categorisation checklists."""

    title = "Checklists"
    owns = ("checklists",)

    def __init__(self) -> None:
        super().__init__()
        layout = QGridLayout(self)
        self.logging = self._checkable("logging_items", {f: LOGGING_LABELS[f]
                                                         for f in LOGGING_FIELDS})
        self.closure = self._checkable("closure_items", {k: label for k, (label, _r)
                                                         in CLOSURE_RULES.items()})
        self.default = ListEditor("categorisation_default", "New checklist item",
                                  unique=False)
        self.default.edited.connect(self._changed)
        layout.addWidget(heading("Logging checklist (fields required to log)"), 0, 0)
        layout.addWidget(self.logging, 1, 0)
        layout.addWidget(heading("Closure checklist (met before closing)"), 0, 1)
        layout.addWidget(self.closure, 1, 1)
        layout.addWidget(heading("Default categorisation checklist (categories without "
                                  "their own)"), 2, 0, 1, 2)
        layout.addWidget(self.default, 3, 0, 1, 2)
        layout.setRowStretch(3, 1)
        self._loaded: dict[str, Any] = {}

    def _checkable(self, name: str, items: dict[str, str]) -> QListWidget:
        widget = QListWidget()
        widget.setObjectName(name)
        for key, label in items.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            widget.addItem(item)
        widget.itemChanged.connect(self._changed)
        return widget

    @staticmethod
    def _set(widget: QListWidget, keys: list[str]) -> None:
        with QSignalBlocker(widget):
            for row in range(widget.count()):
                item = widget.item(row)
                item.setCheckState(Qt.CheckState.Checked if item.data(
                    Qt.ItemDataRole.UserRole) in keys else Qt.CheckState.Unchecked)

    @staticmethod
    def _checked(widget: QListWidget) -> list[str]:
        return [widget.item(row).data(Qt.ItemDataRole.UserRole) for row in range(widget.count())
                if widget.item(row).checkState() == Qt.CheckState.Checked]

    def load(self, sections: dict[str, Any]) -> None:
        checklists = self._loaded = copy.deepcopy(sections["checklists"])
        self._set(self.logging, checklists.get("logging", list(LOGGING_FIELDS)))
        self._set(self.closure, checklists.get("closure", list(CLOSURE_RULES)))
        self.default.set_items(list(checklists.get("categorisation_default", [])))

    def sections(self) -> dict[str, Any]:
        return {"checklists": self._loaded | {
            "logging": self._checked(self.logging), "closure": self._checked(self.closure),
            "categorisation_default": self.default.items()}}

    def field(self, path: str) -> QWidget | None:
        if not path.startswith("checklists"):
            return None
        return self.logging if "logging" in path else self.closure if "closure" in path \
            else self.default.entry
