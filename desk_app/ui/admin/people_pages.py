"""Support groups and technicians: listed, added and changed through the admin services."""

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.enums import Role, SupportLevel
from desk_app.ui.admin.text_table import TextTable

Run = Callable[[Callable[[], Any]], None]


def _combo(name: str, values: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for value in values:
        combo.addItem(value.replace("_", " "), value)
    return combo


class GroupsPage(QWidget):
    """Groups with level and members; add a group."""

    title = "Support groups"

    def __init__(self, run: Run, add_group: Callable[[str, str], Any]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.table = TextTable(["Group", "Level", "Members"], "groups", growable=False)
        self.table.table.setEditTriggers(self.table.table.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        form = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setObjectName("group_name")
        self.name.setPlaceholderText("New group name")
        self.level = _combo("group_level", [level.value for level in SupportLevel])
        add = QPushButton("Add group")
        add.setObjectName("add_group")
        add.clicked.connect(self._add)
        self._run, self._add_group = run, add_group
        form.addWidget(self.name, 2)
        form.addWidget(self.level)
        form.addWidget(add)
        layout.addLayout(form)

    def _add(self) -> None:
        name, level = self.name.text(), self.level.currentData()  # read here, not on the worker
        self._run(lambda: self._add_group(name, level))

    def load(self, groups: list[dict[str, Any]]) -> None:
        self.table.set_rows([[g["name"], g["level"], str(g["members"])] for g in groups])
        self.name.clear()


class TechniciansPage(QWidget):
    """Technicians with role, group and active flag; add one or change the selected."""

    title = "Technicians"

    def __init__(self, run: Run, add: Callable[..., Any], update: Callable[..., Any]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.table = TextTable(["Login", "Name", "Email", "Role", "Group", "Active"],
                               "technicians", growable=False)
        self.table.table.setEditTriggers(self.table.table.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        form = QFormLayout()
        self.login, self.name, self.email = QLineEdit(), QLineEdit(), QLineEdit()
        for widget, name in ((self.login, "tech_login"), (self.name, "tech_name"),
                             (self.email, "tech_email")):
            widget.setObjectName(name)
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
        add_button, update_button = QPushButton("Add technician"), QPushButton(
            "Change role / group / active of this login")
        add_button.setObjectName("add_technician")
        update_button.setObjectName("update_technician")
        self._run, self._add_person, self._update_person = run, add, update
        add_button.clicked.connect(self._add)
        update_button.clicked.connect(self._update)
        buttons.addWidget(add_button)
        buttons.addWidget(update_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        layout.addLayout(form)
        self.table.table.currentCellChanged.connect(self._pick)
        self._people: list[dict[str, Any]] = []

    def _add(self) -> None:
        v = self._values()  # read on the GUI thread; the work runs on the worker
        self._run(lambda: self._add_person(v["login"], v["name"], v["role"], v["group"],
                                           v["email"]))

    def _update(self) -> None:
        v = self._values()
        self._run(lambda: self._update_person(v["login"], role=v["role"], group=v["group"],
                                              active=v["active"]))

    def _values(self) -> dict[str, Any]:
        return {"login": self.login.text().strip(), "name": self.name.text(),
                "email": self.email.text().strip(), "role": self.role.currentData(),
                "group": self.group.currentData(), "active": self.active.isChecked()}

    def load(self, people: list[dict[str, Any]], groups: list[str]) -> None:
        self._people = people
        self.group.clear()
        self.group.addItem("(none)", None)
        for group in groups:
            self.group.addItem(group, group)
        self.table.set_rows([[p["login"], p["name"], p["email"] or "", p["role"],
                              p["group"] or "", "yes" if p["active"] else "no"] for p in people])

    def _pick(self, row: int, *_args: int) -> None:
        if 0 <= row < len(self._people):
            person = self._people[row]
            self.login.setText(person["login"])
            self.name.setText(person["name"])
            self.email.setText(person["email"] or "")
            self.role.setCurrentIndex(max(self.role.findData(person["role"]), 0))
            self.group.setCurrentIndex(max(self.group.findData(person["group"]), 0))
            self.active.setChecked(bool(person["active"]))
