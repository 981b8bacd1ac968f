"""Automatic assignment per support group: none, round robin or least open work, the
weight of an open ticket per priority, and whether skills are preferred."""

import copy
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.assignment import DEFAULT_WEIGHTS, METHOD_WORDS, METHODS, NONE
from desk_app.core.enums import PRIORITIES
from desk_app.ui.admin.policy_page import PolicyPage, heading, note


def _method_combo(group: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(f"assignment_{group}")
    for method in METHODS:
        combo.addItem(METHOD_WORDS.get(method, "nobody (assign by hand)").capitalize(),
                      method)
    return combo


class AssignmentPage(PolicyPage):
    """One method per support group, the priority weights and the skills preference."""

    title = "Assignment"
    owns = ("assignment",)

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        narrow = QWidget()
        narrow.setMaximumWidth(760)
        layout = QVBoxLayout(narrow)
        outer.addWidget(narrow)
        outer.addStretch(1)
        layout.addWidget(note(
            "A ticket that reaches a group with nobody assigned goes to one of its active "
            "members who is on shift (the calendar in their profile) and not away. Round "
            "robin takes turns; least open work picks whoever has the least, each open "
            "ticket weighted by priority."))
        layout.addWidget(heading("Support groups"))
        self.groups_form = QFormLayout()
        self.groups_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout.addLayout(self.groups_form)
        layout.addWidget(heading("Open work weights"))
        weights = QHBoxLayout()
        self.weights: dict[str, QDoubleSpinBox] = {}
        for priority in PRIORITIES:
            spin = QDoubleSpinBox()
            spin.setObjectName(f"assignment_weight_{priority}")
            spin.setRange(0.1, 1000)
            spin.setDecimals(1)
            spin.valueChanged.connect(self._changed)
            self.weights[priority] = spin
            weights.addWidget(QLabel(priority))
            weights.addWidget(spin)
        weights.addStretch(1)
        layout.addLayout(weights)
        self.prefer_skills = QCheckBox("Prefer a technician skilled in the ticket's category")
        self.prefer_skills.setObjectName("assignment_prefer_skills")
        self.prefer_skills.toggled.connect(self._changed)
        layout.addWidget(self.prefer_skills)
        self.methods: dict[str, QComboBox] = {}
        self._stored: dict[str, Any] | None = None
        self._groups: list[str] = []

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        if "groups" not in choices or choices["groups"] == self._groups:
            return
        chosen = {group: combo.currentData() for group, combo in self.methods.items()}
        self._groups = list(choices["groups"])
        while self.groups_form.rowCount():
            self.groups_form.removeRow(0)
        self.methods = {}
        for group in self._groups:
            combo = _method_combo(group)
            combo.setCurrentIndex(max(combo.findData(chosen.get(group, self._method(group))),
                                      0))
            combo.currentIndexChanged.connect(self._changed)
            self.methods[group] = combo
            self.groups_form.addRow(group, combo)

    def _method(self, group: str) -> str:
        return (self._stored or {}).get("groups", {}).get(group, NONE)

    def load(self, sections: dict[str, Any]) -> None:
        stored = sections.get("assignment")
        self._stored = copy.deepcopy(stored) if stored is not None else None
        section = stored or {}
        for group, combo in self.methods.items():
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(combo.findData(self._method(group)), 0))
        for priority, spin in self.weights.items():
            with QSignalBlocker(spin):
                spin.setValue(float(section.get("weights", {}).get(
                    priority, DEFAULT_WEIGHTS[priority])))
        with QSignalBlocker(self.prefer_skills):
            self.prefer_skills.setChecked(bool(section.get("prefer_skills", True)))

    def sections(self) -> dict[str, Any]:
        stored = self._stored or {}
        groups = dict(stored.get("groups", {}))
        for group, combo in self.methods.items():
            if combo.currentData() != NONE or group in groups:
                groups[group] = combo.currentData()
        weights = {p: _number(s.value()) for p, s in self.weights.items()}
        section = dict(stored)
        if groups or "groups" in stored:
            section["groups"] = groups
        if weights != DEFAULT_WEIGHTS or "weights" in stored:
            section["weights"] = weights
        if not self.prefer_skills.isChecked() or "prefer_skills" in stored:
            section["prefer_skills"] = self.prefer_skills.isChecked()
        if self._stored is None and not section:
            return {}  # a policy from before assignment existed, left as it was
        return {"assignment": section}

    def field(self, path: str) -> QWidget | None:
        if path.startswith("assignment.groups."):
            return self.methods.get(path.removeprefix("assignment.groups."))
        if path.startswith("assignment.weights."):
            return self.weights.get(path.removeprefix("assignment.weights."))
        return self.prefer_skills if path.startswith("assignment") else None


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
