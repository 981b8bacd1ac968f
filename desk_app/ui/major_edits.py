"""Changing a running major incident from its board: its manager, its team, its bridge
and its stakeholders, each one activity in a small dialog that stays open with a
refusal shown on its field."""

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desk_app.services.session import Session
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.major_declare import People, TeamRows
from desk_app.ui.refusals import error_label, mark, refusal_text, refused_fields

major_incidents = deferred("desk_app.services.major_incidents")

# the board's runner: run(work, on_done(changes), on_error(error)), reloading after
Run = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]


def _opened(dialog: QDialog, name: str) -> QDialog:
    dialog.setObjectName(name)
    dialog.open()
    return dialog


def edit_manager(parent: QWidget, session: Session, board: Any, people: People,
                 run: Run) -> FormDialog:
    """Hand the major incident to another manager."""
    number = board.number

    def submit(values: dict[str, Any], dialog: FormDialog) -> None:
        run(lambda: major_incidents.set_manager(session, number, values["manager"]),
            dialog.succeeded, dialog.refused)

    current = board.manager.login if board.manager else None
    return _opened(FormDialog(parent, f"Manager: {number}", [
        Field("manager", "Major incident manager", "choice",
              tuple((f"{name} ({login})", login) for login, name, _g in people),
              required=True, default=current)], submit, ok_text="Change manager"),
        "dialog_major_manager")


def edit_bridge(parent: QWidget, session: Session, board: Any, run: Run) -> FormDialog:
    """Change the bridge: call link, phone and room (blank: none)."""
    number = board.number

    def submit(values: dict[str, Any], dialog: FormDialog) -> None:
        run(lambda: major_incidents.set_bridge(session, number, values["bridge_link"],
                                               values["bridge_phone"], values["bridge_room"]),
            dialog.succeeded, dialog.refused)

    return _opened(FormDialog(parent, f"Bridge: {number}", [
        Field("bridge_link", "Call link", default=board.bridge_link),
        Field("bridge_phone", "Phone", default=board.bridge_phone),
        Field("bridge_room", "Room", default=board.bridge_room)], submit,
        ok_text="Change bridge"), "dialog_major_bridge")


def edit_stakeholders(parent: QWidget, session: Session, board: Any, run: Run) -> FormDialog:
    """Replace the stakeholders (one mail address a line)."""
    number = board.number

    def submit(values: dict[str, Any], dialog: FormDialog) -> None:
        addresses = [line.strip() for line in values["stakeholders"].splitlines()
                     if line.strip()]
        run(lambda: major_incidents.set_stakeholders(session, number, addresses),
            dialog.succeeded, dialog.refused)

    return _opened(FormDialog(parent, f"Stakeholders: {number}", [
        Field("stakeholders", "Mail addresses, one a line", "multiline",
              default="\n".join(board.stakeholders))], submit,
        intro="They receive every update of the major incident.",
        ok_text="Change stakeholders"), "dialog_major_stakeholders")


class TeamDialog(QDialog):
    """The team as it is, to change: rows added, changed or removed are sent as one
    change of the team."""

    def __init__(self, parent: QWidget, board: Any, people: People,
                 submit: Callable[[dict[str, str | None], "TeamDialog"], None]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Team: {board.number}")
        self._submit = submit
        self.before = {member.login: member.role for member in board.team}
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Commander, communications (told when updates are due) "
                                "and resolvers."))
        self.team = TeamRows(people, lambda: mark(self.team, None))
        for login, role in self.before.items():
            self.team.add_row(login, role)
        layout.addWidget(self.team)
        self.error = error_label()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change team")
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def _go(self) -> None:
        twice = self.team.named_twice()
        if twice is not None:
            self.refused(twice)
            return
        self._submit(self.changes(), self)

    def changes(self) -> dict[str, str | None]:
        """login -> new role, and None for each member taken off."""
        after = self.team.team()
        gone: dict[str, str | None] = {login: None for login in self.before
                                       if login not in after}
        return gone | {login: role for login, role in after.items()
                       if self.before.get(login) != role}

    def succeeded(self, _result: Any = None) -> None:
        self.accept()

    def refused(self, error: Exception) -> None:
        """Say why; mark the rows (the refusal names the team)."""
        self.error.setText(refusal_text(error))
        self.error.show()
        if "team" in refused_fields(error):
            mark(self.team, refusal_text(error))


def edit_team(parent: QWidget, session: Session, board: Any, people: People,
              run: Run) -> TeamDialog:
    """Change who is on the team and in which role."""
    number = board.number

    def submit(changes: dict[str, str | None], dialog: TeamDialog) -> None:
        run(lambda: major_incidents.set_team(session, number, changes), dialog.succeeded,
            dialog.refused)

    dialog = TeamDialog(parent, board, people, submit)
    dialog.setObjectName("dialog_major_team")
    dialog.open()
    return dialog
