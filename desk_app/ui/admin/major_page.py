"""Major incidents: the procedure (who manages one declared by the criteria, the L3
group it goes straight to, the update rhythm per priority, whether resolving waits for
the final update) and whether a post-incident review is required before closure.

The L3 group is the default row of the escalation matrix (that is where the procedure
sends a major incident): this page shows it and edits it through the Escalation page's
field, so the two pages never disagree."""

import copy
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.enums import PRIORITIES
from desk_app.core.errors import InvalidValue
from desk_app.core.major_incidents import MAX_RHYTHM, MajorProcedure, Rhythm, rhythm_duration
from desk_app.ui.admin.policy_page import PolicyPage, Problems, heading, note

CRITERIA_MANAGER = "(whoever logged or raised it)"
MAX_MINUTES = int(MAX_RHYTHM.total_seconds() // 60)
PROCEDURE, REVIEW = "major_procedure", "major_review"


def minutes_of(text: Any) -> int | None:
    """A stored rhythm duration in whole minutes (None when it does not read as one)."""
    try:
        return round(rhythm_duration("", text).total_seconds() / 60)
    except InvalidValue:
        return None


def duration_text(minutes: int) -> str:
    """``minutes`` as the policy writes a rhythm duration (``90m``, ``2h``)."""
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def _minutes_spin(name: str, tip: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(1, MAX_MINUTES)
    spin.setSuffix(" min")
    spin.setToolTip(tip)
    return spin


class MajorIncidentsPage(PolicyPage):
    """The ``major_procedure`` and ``major_review`` sections (and a view of the default
    L3 group of ``escalation``)."""

    title = "Major incidents"
    owns = (PROCEDURE, REVIEW)

    def __init__(self) -> None:
        super().__init__()
        page = QVBoxLayout(self)
        narrow = QWidget()
        narrow.setMaximumWidth(760)
        page.addWidget(narrow)
        page.addStretch(1)
        outer = QVBoxLayout(narrow)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(note("A major incident follows a separate, faster procedure: it goes "
                             "straight to the specialists, a named manager runs it, and "
                             "stakeholders are updated on a fixed rhythm."))
        people = QGroupBox("Who runs it")
        form = QFormLayout(people)
        self.manager = QComboBox()
        self.manager.setObjectName("major_incident_manager")
        self.manager.setToolTip("Manages a major incident flagged by the criteria; declaring "
                                "one by hand always names its manager")
        self.manager.currentIndexChanged.connect(self._changed)
        self.manager_note = QLabel()
        self.manager_note.setObjectName("major_manager_note")
        self.manager_note.setWordWrap(True)
        self.manager_note.hide()
        self.l3_group = QComboBox()
        self.l3_group.setObjectName("major_l3_group")
        self.l3_group.setToolTip("The default L3 group of the escalation matrix (a category "
                                 "with its own L3 group on the Escalation page uses that)")
        self.l3_group.currentIndexChanged.connect(self._l3_chosen)
        form.addRow("Incident manager", self.manager)
        form.addRow("", self.manager_note)
        form.addRow("Goes straight to L3 group", self.l3_group)
        outer.addWidget(people)
        rhythm = QGroupBox("Update rhythm: the first update within, then one every")
        grid = QGridLayout(rhythm)
        for column, text in enumerate(("Priority", "Own rhythm", "First update within",
                                       "Then every")):
            grid.addWidget(heading(text), 0, column)
        self.own: dict[str, QCheckBox] = {}
        self.first: dict[str, QSpinBox] = {}
        self.every: dict[str, QSpinBox] = {}
        self.inherits: dict[str, QLabel] = {}
        for row, priority in enumerate(PRIORITIES, start=1):
            own = QCheckBox()
            own.setObjectName(f"major_rhythm_{priority}")
            own.setToolTip(f"Off: a {priority} major incident takes the rhythm of the "
                           "nearest more urgent priority that has one")
            first = _minutes_spin(f"major_rhythm_{priority}_first",
                                  "The first update is due this long after the declaration")
            every = _minutes_spin(f"major_rhythm_{priority}_every",
                                  "Each later update is due this long after the last one")
            own.toggled.connect(self._changed)
            first.valueChanged.connect(self._changed)
            every.valueChanged.connect(self._changed)
            grid.addWidget(QLabel(priority), row, 0)
            grid.addWidget(own, row, 1)
            grid.addWidget(first, row, 2)
            grid.addWidget(every, row, 3)
            self.inherits[priority] = QLabel()
            grid.addWidget(self.inherits[priority], row, 4)
            self.own[priority], self.first[priority], self.every[priority] = own, first, every
        grid.setColumnStretch(5, 1)
        rules = QFormLayout()
        rules.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.missed_after = _minutes_spin("major_missed_after", "An update not sent this "
                                          "long after it was due counts as missed")
        self.missed_after.valueChanged.connect(self._changed)
        rules.addRow("An update is missed after", self.missed_after)
        self.require_final = QCheckBox("Resolving requires the final update (otherwise the "
                                       "resolution sends it)")
        self.require_final.setObjectName("major_require_final")
        self.require_final.toggled.connect(self._changed)
        rules.addRow(self.require_final)
        grid.addLayout(rules, len(PRIORITIES) + 1, 0, 1, 6)
        outer.addWidget(rhythm)
        review = QGroupBox("Post-incident review")
        review_form = QFormLayout(review)
        self.review_required = QCheckBox("Required: a major incident is closed only once its "
                                         "review is complete")
        self.review_required.setObjectName("major_review_required")
        self.review_required.toggled.connect(self._changed)
        review_form.addRow(self.review_required)
        outer.addWidget(review)
        self._stored: dict[str, Any] = {PROCEDURE: {}, REVIEW: {}}
        self._active: list[str] = []
        self._groups: list[str] = []
        self._dialog: Any = None
        self._escalation_l3: QComboBox | None = None

    # choices and the escalation matrix's L3 field ------------------------------------

    def bind(self, worker: Any, session: Any, dialog: Any) -> None:
        """Remember the dialog: the L3 group is edited through its Escalation page."""
        del worker, session
        self._dialog = dialog

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        if "active_technicians" in choices:
            self._active = sorted(choices["active_technicians"])
            self._fill_managers(self.manager.currentData() or "")
        if "groups" in choices and choices["groups"] != self._groups:
            self._groups = list(choices["groups"])
            self._fill_groups(self.l3_group.currentData() or "")

    def _fill_managers(self, current: str) -> None:
        with QSignalBlocker(self.manager):
            self.manager.clear()
            self.manager.addItem(CRITERIA_MANAGER, "")
            for login in self._active:
                self.manager.addItem(login, login)
            if current and self.manager.findData(current) < 0:
                self.manager.addItem(f"{current} (not an active technician)", current)
            self.manager.setCurrentIndex(max(self.manager.findData(current), 0))
        stale = bool(current) and current not in self._active
        self.manager_note.setText(f"{current} is not an active technician: a major incident "
                                  "declared by the criteria is managed by whoever logged or "
                                  "raised it until you choose someone else." if stale else "")
        self.manager_note.setVisible(stale)

    def _fill_groups(self, current: str) -> None:
        with QSignalBlocker(self.l3_group):
            self.l3_group.clear()
            for group in self._groups:
                self.l3_group.addItem(group, group)
            if current and self.l3_group.findData(current) < 0:
                self.l3_group.addItem(current, current)
            self.l3_group.setCurrentIndex(max(self.l3_group.findData(current), 0))

    def _escalation_field(self) -> QComboBox | None:
        pages = getattr(self._dialog, "pages", ())
        rows = next((page.rows for page in pages if page.title == "Escalation"), {})
        return rows.get("default", {}).get("L3")

    def _follow_escalation(self, *_args: object) -> None:
        field = self._escalation_l3
        if field is not None:
            self._fill_groups(field.currentData() or "")

    def _l3_chosen(self, *_args: object) -> None:
        field = self._escalation_l3
        if field is not None:  # the Escalation page's field emits the edit
            field.setCurrentIndex(max(field.findData(self.l3_group.currentData()), 0))

    # loading and saving --------------------------------------------------------------

    def load(self, sections: dict[str, Any]) -> None:
        self._stored = {name: copy.deepcopy(sections.get(name) or {}) for name in self.owns}
        procedure = MajorProcedure.from_section(self._stored[PROCEDURE])
        self._fill_managers(procedure.incident_manager or "")
        self._escalation_l3 = self._escalation_field()
        if self._escalation_l3 is not None:
            self._escalation_l3.currentIndexChanged.connect(self._follow_escalation)
            self._follow_escalation()
        else:
            default = sections.get("escalation", {}).get("functional", {}).get("default", {})
            self._fill_groups(default.get("L3", ""))
        self.l3_group.setEnabled(self._escalation_l3 is not None)
        for priority in PRIORITIES:
            own, first, every = self.own[priority], self.first[priority], self.every[priority]
            with QSignalBlocker(own), QSignalBlocker(first), QSignalBlocker(every):
                own.setChecked(priority in procedure.rhythms)
        self._show_rhythms(procedure.rhythms)
        with QSignalBlocker(self.missed_after):
            self.missed_after.setValue(round(procedure.missed_after.total_seconds() / 60))
        with QSignalBlocker(self.require_final):
            self.require_final.setChecked(procedure.final_update_on_resolve == "require")
        with QSignalBlocker(self.review_required):
            self.review_required.setChecked(
                bool(self._stored[REVIEW].get("required", True)))

    def _show_rhythms(self, rhythms: Mapping[str, Rhythm]) -> None:
        """Own rhythms as given; the others show (greyed) the rhythm they inherit."""
        inherited = MajorProcedure(rhythms=dict(rhythms)) if rhythms else None
        for priority in PRIORITIES:
            own, first, every = self.own[priority], self.first[priority], self.every[priority]
            shown = rhythms.get(priority) or (inherited.rhythm(priority) if inherited
                                              else None)
            with QSignalBlocker(first), QSignalBlocker(every):
                if shown is not None:
                    first.setValue(round(shown.first.total_seconds() / 60))
                    every.setValue(round(shown.every.total_seconds() / 60))
                first.setEnabled(own.isChecked())
                every.setEnabled(own.isChecked())
            nearest_first = [*reversed(PRIORITIES[:PRIORITIES.index(priority)]), *PRIORITIES]
            source = next((p for p in nearest_first if p in rhythms and rhythms[p] == shown),
                          None)
            self.inherits[priority].setText(
                "" if own.isChecked() or source is None else f"as {source}")

    def _changed(self, *_args: object) -> None:
        own = {p: Rhythm(timedelta(minutes=self.first[p].value()),
                         timedelta(minutes=self.every[p].value()))
               for p in PRIORITIES if self.own[p].isChecked()}
        self._show_rhythms(own)
        super()._changed()

    def _shown_procedure(self) -> dict[str, Any]:
        stored = self._stored[PROCEDURE]
        stored_updates = stored.get("updates") or {}
        updates = {}
        for priority in PRIORITIES:
            if not self.own[priority].isChecked():
                continue
            before = stored_updates.get(priority, {})
            updates[priority] = {
                part: before[part] if minutes_of(before.get(part)) == spin.value()
                else duration_text(spin.value())  # an unchanged value keeps its text
                for part, spin in (("first", self.first[priority]),
                                   ("every", self.every[priority]))}
        missed = stored.get("missed_after", "5m")
        shown: dict[str, Any] = {
            "updates": updates,
            "missed_after": missed if minutes_of(missed) == self.missed_after.value()
            else duration_text(self.missed_after.value()),
            "final_update_on_resolve": "require" if self.require_final.isChecked()
            else "send"}
        if self.manager.currentData():
            shown["incident_manager"] = self.manager.currentData()
        return shown

    def sections(self) -> dict[str, Any]:
        procedure = self._shown_procedure()
        review = {"required": self.review_required.isChecked()}
        found: dict[str, Any] = {}
        if procedure != self._read_back(self._stored[PROCEDURE]):
            found[PROCEDURE] = procedure
        if review != {"required": bool(self._stored[REVIEW].get("required", True))}:
            found[REVIEW] = review
        # an unchanged section is given back as stored, so opening the page stages nothing
        return {name: found.get(name, self._stored[name]) for name in self.owns}

    @staticmethod
    def _read_back(stored: dict[str, Any]) -> dict[str, Any]:
        """``stored`` as this page would write it (defaults filled in)."""
        procedure = MajorProcedure.from_section(stored)
        updates = stored.get("updates") or {
            p: {"first": duration_text(round(r.first.total_seconds() / 60)),
                "every": duration_text(round(r.every.total_seconds() / 60))}
            for p, r in procedure.rhythms.items()}
        read: dict[str, Any] = {"updates": dict(updates),
                                "missed_after": stored.get("missed_after", "5m"),
                                "final_update_on_resolve": procedure.final_update_on_resolve}
        if procedure.incident_manager:
            read["incident_manager"] = procedure.incident_manager
        return read

    def problems(self) -> Problems:
        if not any(box.isChecked() for box in self.own.values()):
            return [(self.own["P1"], "at least one priority needs its own update rhythm")]
        return []

    def field(self, path: str) -> QWidget | None:
        match = re.match(r"major_procedure\.updates\.(P\d)\.?(\w*)", path)
        if match and match.group(1) in self.own:
            spins = {"first": self.first, "every": self.every}.get(match.group(2))
            return spins[match.group(1)] if spins else self.own[match.group(1)]
        fields = {"major_procedure.updates": self.own["P1"],
                  "major_procedure.incident_manager": self.manager,
                  "major_procedure.missed_after": self.missed_after,
                  "major_procedure.final_update_on_resolve": self.require_final,
                  "major_review": self.review_required}
        return next((widget for key, widget in fields.items() if path.startswith(key)), None)
