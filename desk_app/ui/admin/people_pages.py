"""Support groups and technicians. Additions and changes are staged here and saved
with everything else by the dialog's one "Save changes"."""

from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.admin_changes import (
    NewGroup,
    NewTechnician,
    TechnicianChange,
    technician_change,
)
from desk_app.core.enums import Role, SupportLevel
from desk_app.core.labels import human_label
from desk_app.ui.admin.list_editors import NameEntry
from desk_app.ui.refusals import mark


def _combo(name: str, values: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for value in values:
        combo.addItem(human_label(value), value)
    return combo


def _table(name: str, columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[tuple[list[str], bool]]) -> None:
    """Rows of cell texts; a staged row (True) is shown in italics."""
    with QSignalBlocker(table):
        table.setRowCount(0)
        for cells, staged in rows:
            row = table.rowCount()
            table.insertRow(row)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if staged:
                    font = QFont(item.font())
                    font.setItalic(True)
                    item.setFont(font)
                table.setItem(row, column, item)


class GroupsPage(QWidget):
    """Groups with level and members; stage new ones."""

    title = "Support groups"
    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.table = _table("groups", ["Group", "Level", "Members", "Change"])
        layout.addWidget(self.table, 1)
        form = QHBoxLayout()
        self.name = NameEntry("group_name", self.names, "group")
        self.name.setPlaceholderText("New group name")
        self.name.returnPressed.connect(self.add)
        self.level = _combo("group_level", [level.value for level in SupportLevel])
        add = QPushButton("Add group")
        add.setObjectName("add_group")
        add.clicked.connect(self.add)
        self.undo = QPushButton("Drop new group")
        self.undo.setObjectName("drop_group")
        self.undo.setToolTip("Forget the selected group that is not saved yet")
        self.undo.clicked.connect(self.drop)
        self.undo.setEnabled(False)
        self.table.currentCellChanged.connect(
            lambda row, *_a: self.undo.setEnabled(row >= len(self._groups)))
        form.addWidget(self.name, 2)
        form.addWidget(self.level)
        form.addWidget(add)
        form.addWidget(self.undo)
        form.addStretch(1)
        layout.addLayout(form)
        self._groups: list[dict[str, Any]] = []
        self.new_groups: list[NewGroup] = []

    def load(self, groups: list[dict[str, Any]]) -> None:
        self._groups, self.new_groups = groups, []
        self.name.clear()
        mark(self.name, None)
        self._show()

    def names(self) -> list[str]:
        """Every group's name, the staged ones included."""
        return [g["name"] for g in self._groups] + [g.name for g in self.new_groups]

    def add(self) -> bool:
        """Stage a new group; an empty or taken name is refused on the name field."""
        problem = self.name.problem()
        mark(self.name, problem)
        if problem:
            return False
        self.new_groups.append(NewGroup(self.name.text().strip(), self.level.currentData()))
        self.name.clear()
        self._show()
        self.edited.emit()
        return True

    def drop(self) -> None:
        index = self.table.currentRow() - len(self._groups)
        if 0 <= index < len(self.new_groups):
            del self.new_groups[index]
            self._show()
            self.edited.emit()

    def _show(self) -> None:
        _fill(self.table, [([g["name"], g["level"], str(g["members"]), ""], False)
                           for g in self._groups]
              + [([g.name, g.level, "0", "new"], True) for g in self.new_groups])


class TechniciansPage(QWidget):
    """Technicians with role, group and active flag; stage a new one or changes to the
    selected one."""

    title = "Technicians"
    edited = Signal()
    preferences_requested = Signal(str)  # a stored technician's login

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.table = _table("technicians", ["Name", "Login", "Email", "Role", "Group",
                                            "Active", "Change"])
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.login, self.name, self.email = QLineEdit(), QLineEdit(), QLineEdit()
        for widget, name in ((self.login, "tech_login"), (self.name, "tech_name"),
                             (self.email, "tech_email")):
            widget.setObjectName(name)
            widget.setMaxLength(100)
            widget.textEdited.connect(lambda _t, w=widget: mark(w, None))
        self.role = _combo("tech_role", [role.value for role in Role])
        self.group = _combo("tech_group", [])
        self.active = QCheckBox("Active")
        self.active.setObjectName("tech_active")
        self.active.setChecked(True)
        form.addRow("Login", self.login)
        form.addRow("Name", self.name)
        form.addRow("Email", self.email)
        form.addRow("Role", self.role)
        form.addRow("Group", self.group)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add technician")
        self.update_button = QPushButton("Change technician")
        self.clear_button = QPushButton("New technician")
        self.add_button.setObjectName("add_technician")
        self.update_button.setObjectName("update_technician")
        self.clear_button.setObjectName("new_technician")
        self.update_button.setToolTip("Stage the role, group and active flag shown for the "
                                      "selected technician")
        self.add_button.clicked.connect(self.add)
        self.update_button.clicked.connect(self.update_selected)
        self.clear_button.clicked.connect(self._clear_form)
        self.preferences_button = QPushButton("Preferences…")
        self.preferences_button.setObjectName("technician_preferences")
        self.preferences_button.setToolTip("Away until, shift calendar, skills and "
                                           "notifications of the selected technician "
                                           "(saved at once)")
        self.preferences_button.clicked.connect(self._preferences)
        for button in (self.clear_button, self.add_button, self.update_button,
                       self.preferences_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        narrow = QWidget()
        narrow.setMaximumWidth(760)
        narrow.setLayout(form)
        layout.addWidget(narrow)
        self.table.currentCellChanged.connect(self._pick)
        self._people: list[dict[str, Any]] = []
        self.new_technicians: list[NewTechnician] = []
        self.changes: dict[str, TechnicianChange] = {}

    def load(self, people: list[dict[str, Any]], groups: list[str]) -> None:
        self._people, self.new_technicians, self.changes = people, [], {}
        self.set_groups(groups)
        self._show()
        self._clear_form()

    def set_groups(self, groups: list[str]) -> None:
        current = self.group.currentData()
        with QSignalBlocker(self.group):
            self.group.clear()
            self.group.addItem("(none)", None)
            for group in groups:
                self.group.addItem(group, group)
            self.group.setCurrentIndex(max(self.group.findData(current), 0))

    def people(self) -> dict[str, dict[str, Any]]:
        """The stored technicians by login."""
        return {p["login"]: p for p in self._people}

    def _logins(self) -> list[str]:
        return [p["login"] for p in self._people] + [t.login for t in self.new_technicians]

    def add(self) -> bool:
        """Stage a new technician; refusals are marked on their fields."""
        login, name, email = (self.login.text().strip(), self.name.text().strip(),
                              self.email.text().strip())
        problems = [(self.login, "the login is required and has no spaces")
                    if not login or any(c.isspace() for c in login) else None,
                    (self.login, f"a technician with login {login!r} exists")
                    if login.casefold() in {x.casefold() for x in self._logins()} else None,
                    (self.name, "the technician needs a name") if not name else None,
                    (self.email, f"{email!r} is not an email address")
                    if email and "@" not in email else None]
        for widget in (self.login, self.name, self.email):
            mark(widget, next((p for w, p in filter(None, problems) if w is widget), None))
        if any(problems):
            return False
        self.new_technicians.append(NewTechnician(login, name, self.role.currentData(),
                                                  self.group.currentData(), email))
        self._show()
        self._clear_form()
        self.edited.emit()
        return True

    def update_selected(self) -> bool:
        """Stage the form's role, group and active flag for the selected technician."""
        row = self.table.currentRow()
        role, group, active = (self.role.currentData(), self.group.currentData(),
                               self.active.isChecked())
        if 0 <= row < len(self._people):
            person = self._people[row]
            change = technician_change(person, role, group, active)
            if change is None:
                self.changes.pop(person["login"], None)
            else:
                self.changes[person["login"]] = change
        elif 0 <= row - len(self._people) < len(self.new_technicians):
            index = row - len(self._people)
            staged = self.new_technicians[index]
            self.new_technicians[index] = NewTechnician(staged.login, staged.name, role,
                                                        group, staged.email)
        else:
            mark(self.login, "select a technician in the list first")
            return False
        self._show()
        self.table.selectRow(row)
        self.edited.emit()
        return True

    def _preferences(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._people):
            self.preferences_requested.emit(self._people[row]["login"])
        else:
            mark(self.login, "select a stored technician in the list first")

    def _show(self) -> None:
        rows = []
        for person in self._people:
            change = self.changes.get(person["login"])
            role = change.role if change and change.role else person["role"]
            group = change.group if change and change.group else person["group"]
            active = person["active"] if not change or change.active is None else change.active
            rows.append(([person["name"], person["login"], person["email"] or "",
                          human_label(role), group or "", "yes" if active else "no",
                          "changed" if change else ""], change is not None))
        rows += [([t.name, t.login, t.email, human_label(t.role), t.group or "", "yes", "new"],
                  True) for t in self.new_technicians]
        _fill(self.table, rows)

    def _clear_form(self) -> None:
        with QSignalBlocker(self.table):
            self.table.clearSelection()
            self.table.setCurrentCell(-1, -1)
        for widget in (self.login, self.name, self.email):
            widget.clear()
            widget.setReadOnly(False)
            mark(widget, None)
        self.role.setCurrentIndex(max(self.role.findData(Role.SUPPORT.value), 0))
        self.group.setCurrentIndex(0)
        self.active.setChecked(True)
        self.add_button.setEnabled(True)
        self.update_button.setEnabled(False)

    def _pick(self, row: int, *_args: int) -> None:
        staged_index = row - len(self._people)
        if 0 <= row < len(self._people):
            person = dict(self._people[row])
            change = self.changes.get(person["login"])
            if change:
                person |= {k: v for k, v in (("role", change.role), ("group", change.group),
                                             ("active", change.active)) if v is not None}
        elif 0 <= staged_index < len(self.new_technicians):
            t = self.new_technicians[staged_index]
            person = {"login": t.login, "name": t.name, "email": t.email, "role": t.role,
                      "group": t.group, "active": True}
        else:
            return
        self.login.setText(person["login"])
        self.name.setText(person["name"])
        self.email.setText(person["email"] or "")
        for widget in (self.login, self.name, self.email):
            widget.setReadOnly(True)  # the services change role, group and active only
        self.role.setCurrentIndex(max(self.role.findData(person["role"]), 0))
        self.group.setCurrentIndex(max(self.group.findData(person["group"]), 0))
        self.active.setChecked(bool(person["active"]))
        self.add_button.setEnabled(False)
        self.update_button.setEnabled(True)
