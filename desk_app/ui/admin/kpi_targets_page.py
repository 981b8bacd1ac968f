"""KPI targets: what the dashboard rates its tiles against (green, amber, red)."""

import copy
from typing import Any

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from desk_app.core.enums import PRIORITIES
from desk_app.core.kpi_targets import DEFAULTS
from desk_app.ui.admin.policy_page import PolicyPage, heading, narrow_form, note

NO_TARGET = -1.0  # a spin box at its minimum reads "No target" and stores null
SHARES = (("sla_compliance_percent", "SLA compliance", "at least"),
          ("first_contact_resolution_percent", "First contact resolution", "at least"),
          ("recurrence_percent", "Recurrence in 30 days", "at most"),
          ("satisfaction_percent", "Satisfied (answers 4-5)", "at least"))


def _spin(name: str, maximum: float, suffix: str, tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(NO_TARGET, maximum)
    spin.setDecimals(1)
    spin.setSuffix(suffix)
    spin.setSpecialValueText("No target")
    spin.setToolTip(tip)
    return spin


class KpiTargetsPage(PolicyPage):
    """The ``kpi_targets`` section."""

    title = "KPI targets"
    owns = ("kpi_targets",)

    def __init__(self) -> None:
        super().__init__()
        form = narrow_form(self)
        self.shares: dict[str, QDoubleSpinBox] = {}
        for key, label, bound in SHARES:
            spin = _spin(f"kpi_{key}", 100, " %", f"The share the desk aims for: {bound} "
                         "this; lowest value: no target")
            spin.valueChanged.connect(self._changed)
            self.shares[key] = spin
            form.addRow(f"{label}, {bound}", spin)
        form.addRow(heading("Mean time to resolve from detection, at most"))
        self.mttr: dict[str, QDoubleSpinBox] = {}
        for priority in PRIORITIES:
            spin = _spin(f"kpi_mttr_{priority}", 24 * 365, " h",
                         f"The mean time to resolve a {priority} incident should stay under")
            spin.valueChanged.connect(self._changed)
            self.mttr[priority] = spin
            form.addRow(priority, spin)
        form.addRow(note("A figure that misses its target by no more than a tenth of it is "
                         "amber, by more red."))
        self._stored: dict[str, Any] | None = None

    def load(self, sections: dict[str, Any]) -> None:
        stored = sections.get("kpi_targets")
        self._stored = copy.deepcopy(stored) if stored is not None else None
        values = DEFAULTS | (stored or {})
        mttr = DEFAULTS["mttr_hours"] | (stored or {}).get("mttr_hours", {})
        for key, spin in self.shares.items():
            with QSignalBlocker(spin):
                spin.setValue(NO_TARGET if values[key] is None else float(values[key]))
        for priority, spin in self.mttr.items():
            with QSignalBlocker(spin):
                hours = mttr.get(priority)
                spin.setValue(NO_TARGET if hours is None else float(hours))

    def _shown(self) -> dict[str, Any]:
        shown: dict[str, Any] = {key: None if spin.value() == NO_TARGET else spin.value()
                                 for key, spin in self.shares.items()}
        # null, not left out: a priority left out would take its default target again
        shown["mttr_hours"] = {p: None if spin.value() == NO_TARGET else spin.value()
                               for p, spin in self.mttr.items()}
        return shown

    def sections(self) -> dict[str, Any]:
        shown = self._shown()
        if not self._stored and shown == DEFAULTS:
            return {}  # a desk from before the section: nothing to save until changed
        return {"kpi_targets": (self._stored or {}) | shown}

    def problems(self) -> list[tuple[QWidget, str]]:
        return [(spin, "must be more than 0 hours") for spin in self.mttr.values()
                if NO_TARGET < spin.value() <= 0]

    def field(self, path: str) -> QWidget | None:
        for key, spin in self.shares.items():
            if path.startswith(f"kpi_targets.{key}"):
                return spin
        for priority, spin in self.mttr.items():
            if path.startswith(f"kpi_targets.mttr_hours.{priority}"):
                return spin
        return None
