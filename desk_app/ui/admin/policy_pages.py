"""One editor page per group of policy sections. A page shows its sections in field
editors (``load``), gives them back as plain data (``sections``), says which of its
fields hold a value it refuses (``problems``) and finds the field a policy refusal
names (``field``, for a path such as ``sla.targets.P2.resolution``)."""

import copy
import re
from typing import Any

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.calendar import WEEKDAYS
from desk_app.core.checklists import CLOSURE_RULES, LOGGING_FIELDS, LOGGING_LABELS
from desk_app.core.enums import PRIORITIES, HoldReason, Level, SupportLevel
from desk_app.core.labels import human_label
from desk_app.ui.admin.editors import (
    DayHours,
    DurationEdit,
    HolidayList,
    ListEditor,
    NameEntry,
    TimeZonePicker,
)
from desk_app.ui.palette import tone
from desk_app.ui.refusals import mark

LEVELS = [level.value for level in Level]
SUPPORT_LEVELS = [level.value for level in SupportLevel]
Problems = list[tuple[QWidget, str]]


def _heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _days_spin(name: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, 365)
    spin.setDecimals(1)
    spin.setSuffix(" days")
    return spin


def _problems(*widgets: Any) -> Problems:
    return [(w, p) for w in widgets if (p := w.problem())]


class PolicyPage(QWidget):
    """A page editing some sections; ``title`` names its tab, ``owns`` its sections."""

    title = ""
    owns: tuple[str, ...] = ()
    edited = Signal()

    def load(self, sections: dict[str, Any]) -> None:
        raise NotImplementedError

    def sections(self) -> dict[str, Any]:
        raise NotImplementedError

    def problems(self) -> Problems:
        """The fields holding a value this page refuses, with the reason."""
        return []

    def field(self, path: str) -> QWidget | None:
        """The field a refusal's policy path (``sla.targets.P1.response``) is about."""
        return None

    def set_choices(self, choices: dict[str, list[str]]) -> None:
        """Names other pages define: ``calendars``, ``groups``, ``categories``."""

    def _changed(self, *_args: object) -> None:
        self.edited.emit()


class PriorityMatrixPage(PolicyPage):
    """Impact x urgency -> priority; one picker per pair, tinted with its priority."""

    title = "Priority matrix"
    owns = ("priority_matrix",)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(_note("The priority a ticket gets for each impact (rows) and "
                               "urgency (columns)."))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        self.cells: dict[tuple[str, str], QComboBox] = {}
        for column, urgency in enumerate(LEVELS, start=1):
            grid.addWidget(_heading(f"Urgency {human_label(urgency).lower()}"), 0, column,
                           Qt.AlignmentFlag.AlignCenter)
        for row, impact in enumerate(LEVELS, start=1):
            grid.addWidget(_heading(f"Impact {human_label(impact).lower()}"), row, 0)
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

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # light <-> dark: tones differ
            for combo in self.cells.values():
                self._tint(combo)
        super().changeEvent(event)

    @staticmethod
    def _tint(combo: QComboBox) -> None:
        colours = tone(combo.currentText())
        combo.setStyleSheet(f"QComboBox {{ background: {colours.fill}; color: "
                            f"{colours.on_fill}; font-weight: bold; padding: 4px 12px; "
                            f"border: 1px solid {colours.text}; border-radius: 4px; }}")

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
        layout.addWidget(_note("Business days count the working hours of the target's "
                               "calendar; minutes, hours and days count the clock."))
        grid = QGridLayout()
        for column, text in enumerate(("Priority", "Response within", "Resolution within",
                                       "On calendar")):
            grid.addWidget(_heading(text), 0, column)
        self.response: dict[str, DurationEdit] = {}
        self.resolution: dict[str, DurationEdit] = {}
        self.calendar: dict[str, QComboBox] = {}
        for row, priority in enumerate(PRIORITIES, start=1):
            chip = QLabel(priority)
            colours = tone(priority)
            chip.setStyleSheet(f"background: {colours.fill}; color: {colours.on_fill}; "
                               "font-weight: bold; padding: 2px 10px; border-radius: 4px;")
            chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
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
        found = _problems(*self.response.values(), *self.resolution.values())
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


class CalendarsPage(PolicyPage):
    """Business calendars: a time zone, working hours per weekday, holidays."""

    title = "Calendars"
    owns = ("calendars",)

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        side = QVBoxLayout()
        side.addWidget(_heading("Calendars"))
        self.names = QListWidget()
        self.names.setObjectName("calendar_names")
        self.names.setMaximumWidth(220)
        self.names.currentTextChanged.connect(self._select)
        side.addWidget(self.names, 1)
        self.new_name = NameEntry("calendar_new_name", lambda: list(self._calendars),
                                  "calendar")
        self.new_name.setPlaceholderText("New calendar name")
        self.new_name.setMaximumWidth(220)
        side.addWidget(self.new_name)
        add, remove = QPushButton("Add calendar"), QPushButton("Remove calendar")
        add.setObjectName("add_calendar")
        remove.setObjectName("remove_calendar")
        add.clicked.connect(self.add_calendar)
        remove.clicked.connect(self.remove_calendar)
        side.addWidget(add)
        side.addWidget(remove)
        layout.addLayout(side)

        editor = QVBoxLayout()
        form = QFormLayout()
        self.zone = TimeZonePicker("calendar_time_zone")
        self.zone.edited.connect(self._changed)
        form.addRow("Time zone", self.zone)
        self.days: dict[str, DayHours] = {}
        for day in WEEKDAYS:
            hours = DayHours(f"hours_{day}")
            hours.edited.connect(self._changed)
            self.days[day] = hours
            form.addRow(day.title(), hours)
        self.country, self.subdivision = QLineEdit(), QLineEdit()
        self.country.setObjectName("calendar_country")
        self.subdivision.setObjectName("calendar_subdivision")
        for edit, hint in ((self.country, "e.g. GB (none: only the dates below)"),
                           (self.subdivision, "e.g. ENG")):
            edit.setPlaceholderText(hint)
            edit.setMaxLength(10)
            edit.setMaximumWidth(260)
            edit.textEdited.connect(self._changed)
        form.addRow("Public holidays of", self.country)
        form.addRow("Region", self.subdivision)
        editor.addLayout(form)
        editor.addWidget(_heading("Holidays"))
        self.holidays = HolidayList("holidays")
        self.holidays.edited.connect(self._changed)
        self.holidays.list.setMinimumHeight(90)
        self.holidays.setMaximumWidth(560)
        editor.addWidget(self.holidays, 1)
        layout.addLayout(editor, 1)
        self._calendars: dict[str, dict[str, Any]] = {}
        self._shown: str | None = None

    def load(self, sections: dict[str, Any]) -> None:
        self._calendars = copy.deepcopy(sections["calendars"])
        self._shown = None
        with QSignalBlocker(self.names):
            self.names.clear()
            self.names.addItems(list(self._calendars))
        self.names.setCurrentRow(0)

    def _store(self) -> None:
        """Keep the shown calendar's fields in the staged calendars."""
        if self._shown is None or self._shown not in self._calendars:
            return
        data = self._calendars[self._shown]
        data["time_zone"] = self.zone.zone()
        data["hours"] = {day: hours for day, edit in self.days.items()
                         if (hours := edit.hours())}
        data["holidays"] = self.holidays.dates()
        for key, edit in (("country", self.country), ("subdivision", self.subdivision)):
            if edit.text().strip():
                data[key] = edit.text().strip()
            else:
                data.pop(key, None)

    def _select(self, name: str) -> None:
        self._store()
        self._shown = name if name in self._calendars else None
        data = self._calendars.get(name, {})
        self.zone.set_zone(data.get("time_zone", "UTC"))
        for day, edit in self.days.items():
            edit.set_hours(list(data.get("hours", {}).get(day, [])))
        self.holidays.set_dates(list(data.get("holidays", [])))
        self.country.setText(data.get("country") or "")
        self.subdivision.setText(data.get("subdivision") or "")

    def show_calendar(self, name: str) -> None:
        matches = self.names.findItems(name, Qt.MatchFlag.MatchExactly)
        if matches:
            self.names.setCurrentItem(matches[0])

    def add_calendar(self) -> bool:
        """Add a calendar (Mon-Fri 08:00-18:00 in the shown one's time zone)."""
        problem = self.new_name.problem()
        mark(self.new_name, problem)
        if problem:
            return False
        name = self.new_name.text().strip()
        self._store()
        self._calendars[name] = {"time_zone": self.zone.zone() or "UTC", "hours": {
            day: ["08:00-18:00"] for day in WEEKDAYS[:5]}, "holidays": []}
        self.names.addItem(name)
        self.names.setCurrentRow(self.names.count() - 1)
        self.new_name.clear()
        self.edited.emit()
        return True

    def remove_calendar(self) -> None:
        row = self.names.currentRow()
        if row < 0 or self.names.count() <= 1:
            return
        name = self.names.item(row).text()
        self._calendars.pop(name, None)
        self._shown = None
        self.names.takeItem(row)
        self.edited.emit()

    def sections(self) -> dict[str, Any]:
        self._store()
        return {"calendars": copy.deepcopy(self._calendars)}

    def problems(self) -> Problems:
        found = _problems(self.zone, *self.days.values())
        if not any(edit.hours() for edit in self.days.values()):
            found.append((self.days["mon"], "no working hours on any day"))
        return found

    def field(self, path: str) -> QWidget | None:
        match = re.match(r"calendars\.([^.]+)\.?(\w*)\.?(\w*)", path)
        if not match:
            return self.names if path.startswith("calendars") else None
        name, key, day = match.groups()
        self.show_calendar(name)
        if key == "hours":
            return self.days.get(day, self.days["mon"])
        return {"time_zone": self.zone, "holidays": self.holidays.picker,
                "country": self.country, "subdivision": self.subdivision}.get(key, self.names)


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
        side.addWidget(_heading("Categories"))
        side.addWidget(self.names, 1)
        layout.addLayout(side)
        detail = QVBoxLayout()
        detail.addWidget(_heading("Subcategories"))
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
        layout.addWidget(_heading("Logging checklist (fields required to log)"), 0, 0)
        layout.addWidget(self.logging, 1, 0)
        layout.addWidget(_heading("Closure checklist (met before closing)"), 0, 1)
        layout.addWidget(self.closure, 1, 1)
        layout.addWidget(_heading("Default categorisation checklist (categories without "
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
            self.grid.addWidget(_heading(text), 0, column)
        functional = self._loaded.get("functional", {})
        for category in sorted(functional, key=lambda name: name != "default"):
            self._add_functional(category, functional[category])
        self._clear(self.levels_grid)
        self.levels = []
        for column, text in enumerate(("Management level", "At % of the resolution target")):
            self.levels_grid.addWidget(_heading(text), 0, column)
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


class LifecyclePage(PolicyPage):
    """Team, reopen window, auto-close grace period and the major-incident criteria."""

    title = "Team and lifecycle"
    owns = ("team", "lifecycle", "major_incident")

    def __init__(self) -> None:
        super().__init__()
        outer = QVBoxLayout(self)
        narrow = QWidget()
        narrow.setMaximumWidth(760)
        form = QFormLayout(narrow)
        outer.addWidget(narrow)
        outer.addStretch(1)
        self.team_name = QLineEdit()
        self.team_name.setObjectName("team_name")
        self.team_name.setMaxLength(100)
        self.team_name.textEdited.connect(self._changed)
        self.team_name.textEdited.connect(lambda _t: mark(self.team_name, None))
        self.time_zone = TimeZonePicker("team_time_zone")
        self.time_zone.edited.connect(self._changed)
        self.reopen = _days_spin("reopen_window")
        self.reopen.setToolTip("A resolved ticket may be reopened within this time; later "
                               "a new linked incident is logged")
        self.grace = _days_spin("auto_close_grace")
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

    def sections(self) -> dict[str, Any]:
        return {
            "team": self._team | {"name": self.team_name.text().strip(),
                                  "time_zone": self.time_zone.zone()},
            "lifecycle": self._lifecycle | {"reopen_window_days": self.reopen.value(),
                                            "auto_close_grace_days": self.grace.value()},
            "major_incident": self._major | {
                "priorities": [p for p, box in self.major.items() if box.isChecked()],
                "critical_services": self.critical.items()},
        }

    def problems(self) -> Problems:
        found = _problems(self.time_zone)
        if not self.team_name.text().strip():
            found.append((self.team_name, "the team needs a name"))
        return found

    def field(self, path: str) -> QWidget | None:
        fields = {"team.name": self.team_name, "team.time_zone": self.time_zone,
                  "team": self.team_name,
                  "lifecycle.reopen": self.reopen, "lifecycle.auto": self.grace,
                  "lifecycle": self.reopen,
                  "major_incident.priorities": next(iter(self.major.values())),
                  "major_incident": self.critical.entry}
        return next((widget for prefix, widget in fields.items() if path.startswith(prefix)),
                    None)


POLICY_PAGES = (PriorityMatrixPage, SlaPage, CalendarsPage, CategoriesPage, ChecklistsPage,
                EscalationPage, LifecyclePage)
