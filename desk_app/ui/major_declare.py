"""Declaring a major incident: its manager, its team (each technician with a role), the
bridge (call link, phone, room), the stakeholders who receive the updates, and the
reason. A refusal is shown on the field it names and everything typed stays; what is
typed is kept as a draft (``ui.drafts``) until it is declared or cancelled."""

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.errors import InvalidValue
from desk_app.core.labels import human_label
from desk_app.ui.drafted_dialog import DraftedDialog
from desk_app.ui.drafts import DraftStore
from desk_app.ui.refusals import error_label

ROLES = ("commander", "communications", "resolver")
People = Sequence[tuple[str, str, str | None]]  # login, name, group (DeskReference)
Submit = Callable[[dict[str, Any], "DeclareDialog"], None]


class PersonChoice(QComboBox):
    """A technician, completed as typed over "Name (login)"; ``login()`` is the chosen
    technician's login, or what was typed when it names nobody listed."""

    def __init__(self, people: People, blank: str = "") -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem(blank, None)
        for login, name, _group in people:
            self.addItem(f"{name} ({login})", login)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setMinimumContentsLength(24)

    def login(self) -> str:
        text = self.currentText().strip()
        index = self.findText(text)
        if index >= 0:
            return self.itemData(index) or ""
        return text

    def choose(self, login: str | None) -> None:
        """Select ``login`` (typed in as it is when nobody listed has it)."""
        index = self.findData(login) if login else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(login or "")
        self.lineEdit().setCursorPosition(0)  # the name shows from its start


class TeamRows(QWidget):
    """The team: one row per technician with their role; "Add a person" adds a row."""

    def __init__(self, people: People, on_edit: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("team")
        self._people = people
        self._on_edit = on_edit
        self.rows: list[tuple[QWidget, PersonChoice, QComboBox]] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton("Add a person")
        self.add_button.setObjectName("add_team_member")
        self.add_button.clicked.connect(lambda: self.add_row())
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def add_row(self, login: str | None = None, role: str = "resolver") -> PersonChoice:
        """A new row (a person and their role); returns the person's field."""
        line = QWidget()
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        person = PersonChoice(self._people, "(choose a technician)")
        person.choose(login)
        role_box = QComboBox()
        for value in ROLES:
            role_box.addItem(human_label(value), value)
        role_box.setCurrentIndex(max(role_box.findData(role), 0))
        remove = QPushButton("Remove")
        remove.setToolTip("Take this person off the team")
        remove.clicked.connect(lambda: self._remove(line))
        row.addWidget(person, 3)
        row.addWidget(role_box, 2)
        row.addWidget(remove)
        self.rows.append((line, person, role_box))
        self._layout.insertWidget(len(self.rows) - 1, line)
        person.currentTextChanged.connect(lambda _t: self._on_edit())
        role_box.currentIndexChanged.connect(lambda _i: self._on_edit())
        self._on_edit()
        return person

    def _remove(self, line: QWidget) -> None:
        self.rows = [r for r in self.rows if r[0] is not line]
        line.deleteLater()
        self._on_edit()

    def members(self) -> list[tuple[str, str]]:
        """(login, role) of each filled row, in order."""
        return [(person.login(), role.currentData()) for _l, person, role in self.rows
                if person.login()]

    def team(self) -> dict[str, str]:
        """login -> role, as the declaration takes it."""
        return dict(self.members())

    def named_twice(self) -> InvalidValue | None:
        """The refusal (naming ``team``) when one person is on two rows, else None."""
        logins = [login for login, _role in self.members()]
        twice = next((login for login in logins if logins.count(login) > 1), None)
        return None if twice is None else InvalidValue(
            "team", f"{twice} is on the team twice; give each person one role")


class DeclareDialog(DraftedDialog):
    """Build with the ticket's number and id, the technicians, and a ``submit(values,
    dialog)`` that starts the work and calls ``dialog.succeeded()`` or
    ``dialog.refused(error)``. ``values``: manager, team (login -> role), bridge_link,
    bridge_phone, bridge_room, stakeholders (a list of addresses), reason."""

    def __init__(self, parent: QWidget | None, number: str, ticket_id: str, people: People,
                 submit: Submit, me: str | None = None,
                 drafts: DraftStore | None = None) -> None:
        super().__init__(parent, f"declare_major-{ticket_id}", submit, drafts)
        self.setObjectName("dialog_declare_major")
        self.setWindowTitle(f"Declare major incident: {number}")
        layout = QVBoxLayout(self)
        intro = QLabel("The separate, faster procedure: the incident goes straight to the "
                       "specialists (L3), the stakeholders are kept informed on the update "
                       "rhythm, and the manager leads it to its review.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.restored = QLabel()
        self.restored.setObjectName("draft_restored")
        self.restored.setWordWrap(True)
        self.restored.hide()
        layout.addWidget(self.restored)
        form = QFormLayout()
        self.inputs: dict[str, QWidget] = {}
        self.manager = PersonChoice(people, "(choose the manager)")
        self.manager.choose(me)
        self.team = TeamRows(people, self._draft_timer.start)
        self.bridge_link, self.bridge_phone, self.bridge_room = (QLineEdit(), QLineEdit(),
                                                                 QLineEdit())
        self.bridge_link.setPlaceholderText("https://meet.example.com/…")
        self.bridge_phone.setPlaceholderText("dial-in number and PIN")
        self.bridge_room.setPlaceholderText("meeting room")
        self.stakeholders = QPlainTextEdit()
        self.stakeholders.setPlaceholderText("one mail address a line: they receive every "
                                             "update")
        self.stakeholders.setTabChangesFocus(True)
        self.stakeholders.setFixedHeight(70)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Why this is a major incident")
        self.reason.setFixedHeight(70)
        for name, label, widget in (
                ("reason", "Reason *", self.reason),
                ("manager", "Major incident manager *", self.manager),
                ("team", "Team", self.team),
                ("bridge_link", "Bridge: call link", self.bridge_link),
                ("bridge_phone", "Bridge: phone", self.bridge_phone),
                ("bridge_room", "Bridge: room", self.bridge_room),
                ("stakeholders", "Stakeholders", self.stakeholders)):
            widget.setObjectName(name)
            self.inputs[name] = widget
            form.addRow(label, widget)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Declare major incident")
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self._restore_draft()
        for signal in (self.manager.currentTextChanged, self.bridge_link.textChanged,
                       self.bridge_phone.textChanged, self.bridge_room.textChanged,
                       self.stakeholders.textChanged, self.reason.textChanged):
            signal.connect(self._edited)
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- values ----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What is in the form now, as the declaration takes it."""
        return {"manager": self.manager.login(), "team": self.team.team(),
                "bridge_link": self.bridge_link.text(), "bridge_phone": self.bridge_phone.text(),
                "bridge_room": self.bridge_room.text(),
                "stakeholders": [line.strip() for line in
                                 self.stakeholders.toPlainText().splitlines() if line.strip()],
                "reason": self.reason.toPlainText()}

    # --- the draft -------------------------------------------------------------------

    def save_draft_now(self) -> bool:
        """Keep what is typed on disk; returns whether there was anything typed."""
        self._draft_timer.stop()
        values = self.values()
        kept = {**values, "team": self.team.members()}
        if any(values[k] for k in ("team", "bridge_link", "bridge_phone", "bridge_room",
                                   "stakeholders", "reason")):
            self.drafts.save(self.draft_key, kept)
            return True
        return False

    def _restore_draft(self) -> None:
        kept = self.drafts.load(self.draft_key)
        if kept is None:
            return
        values, saved_at = kept
        self.manager.choose(values.get("manager"))
        for login, role in values.get("team") or []:
            self.team.add_row(login, role)
        self.bridge_link.setText(values.get("bridge_link") or "")
        self.bridge_phone.setText(values.get("bridge_phone") or "")
        self.bridge_room.setText(values.get("bridge_room") or "")
        self.stakeholders.setPlainText("\n".join(values.get("stakeholders") or []))
        self.reason.setPlainText(values.get("reason") or "")
        self.restored.setText("Restored what you were typing when desk-app last stopped "
                              f"({saved_at[:16].replace('T', ' ')}).")
        self.restored.show()

    # --- submitting ------------------------------------------------------------------

    def _go(self) -> None:
        twice = self.team.named_twice()
        if twice is not None:  # one person, two roles: say so before anything is sent
            self.refused(twice)
            return
        super()._go()
