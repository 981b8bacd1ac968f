"""Sync in the desktop client: its own background thread, runs when a local change
was made, every minute, and on "Sync now". The first thing in the status bar is the
sync indicator, a coloured button: up to date / N changes waiting / offline / error /
local only; clicking it opens the details (what to do, "Sync now").

A server that is away or failing only changes the status text: local work goes on,
and stays queued until a sync gets through."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QMessageBox,
    QToolButton,
    QWidget,
)

from desk_app.core.errors import Refused
from desk_app.services.executor import SerialExecutor
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.icons import icon
from desk_app.ui.palette import SYNC_TONE
from desk_app.ui.worker import BackgroundWorker

if TYPE_CHECKING:
    from desk_app.services import team_sync


def _team_sync() -> Any:
    """The sync services, imported when first used: after the window has painted (the
    PostgreSQL driver and the keyring are not part of the start)."""
    from desk_app.services import team_sync as services

    return services

log = logging.getLogger(__name__)

EVERY_MS = 60_000
AFTER_CHANGE_MS = 2_000


def when(iso: str | None) -> str:
    """A sync time in local time: "14:02" today, "23 Nov 09:00" before."""
    if not iso:
        return "never"
    moment = datetime.fromisoformat(iso).astimezone()
    return moment.strftime("%H:%M" if moment.date() == datetime.now().date() else "%d %b %H:%M")


def _waiting(pending: int) -> str:
    return f"{pending} change{'s' if pending != 1 else ''} waiting"


def indicator_state(outcome: "team_sync.BackgroundSync | None") -> str:
    """The indicator's state (a key of ``palette.SYNC_TONE``): "local", "up to date",
    "waiting" (up to date, with local changes not sent yet), "offline" or "error"."""
    if outcome is None:
        return "error"
    if outcome.state == "up to date" and outcome.status.pending:
        return "waiting"
    return outcome.state if outcome.state in SYNC_TONE else "error"


def status_text(outcome: "team_sync.BackgroundSync") -> str:
    """The indicator's words for a sync outcome."""
    state, status = indicator_state(outcome), outcome.status
    if state == "local":
        return "Local only"
    if state == "offline":
        return f"Offline · {_waiting(status.pending) if status.pending else 'nothing waiting'}"
    if state == "error":
        return f"Sync error · {_waiting(status.pending)}" if status.pending else "Sync error"
    if state == "waiting":
        return f"Up to date · {_waiting(status.pending)}"
    return f"Up to date · last sync {when(status.last_sync)}"


def advice(outcome: "team_sync.BackgroundSync | None", failure: str | None = None) -> str:
    """What the person can do about the sync state, in a sentence or two."""
    state = indicator_state(outcome)
    if state == "local":
        return ("Tickets are kept on this computer only. To share them with your team, "
                "set up the team database (Desk > Team database…).")
    if state == "offline":
        return ("The team database cannot be reached. Keep working: your changes are kept "
                "here and go out by themselves once it can be reached. If this lasts, "
                "check the network or VPN connection.")
    if state == "error":
        reason = outcome.reason if outcome is not None else failure
        return (f"The last sync failed: {reason or 'see the log'}. Your changes are kept "
                "here. Check the team database settings (Desk > Team database…); the log "
                "has the details.")
    if state == "waiting":
        return "Your latest changes go out with the next sync, within a minute."
    return "Everything made here has reached the team database."


def _icon_name(state: str) -> str:
    return {"up to date": "sync-up-to-date", "waiting": "sync-waiting",
            "syncing": "sync-syncing", "offline": "sync-offline", "error": "sync-error",
            "local": "sync-local"}[state]


class TeamSync(QObject):
    """Owns the sync thread and the status bar's sync indicator (``label``, a button that
    opens the details). ``synced`` fires after a sync that brought changes in (the
    window refreshes)."""

    synced = Signal(object)
    outcome_ready = Signal(object)

    def __init__(self, window: QWidget, session: Session, database: BackgroundWorker) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.database = database
        # The network thread: it talks to the team database and hands every local step
        # to the database's owner (it has no SQLite connection of its own).
        self.worker = BackgroundWorker(SerialExecutor("desk-sync"), self)
        self.worker.setObjectName("sync_worker")
        self.label = QToolButton()
        self.label.setObjectName("sync_status")
        self.label.setAccessibleName("Sync state")
        self.label.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.label.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label.clicked.connect(self.show_details)
        self.running = False
        self.last: team_sync.BackgroundSync | None = None
        self.failure: str | None = None  # an unexpected sync failure (a bug), logged
        self.state = "local"
        self.has_team: bool | None = None  # known once the desk's facts arrive
        self._show("local", "Local only")
        self.sync_now_action = QAction("&Sync now", window, shortcut=QKeySequence("Ctrl+Shift+Y"),
                                       triggered=lambda: self.sync())
        self.sync_now_action.setToolTip("Send local changes and fetch the team's now")
        self.settings_action = QAction("&Team database…", window,
                                       triggered=self.edit_settings)
        self._every = QTimer(self, interval=EVERY_MS)
        self._every.timeout.connect(lambda: self.sync())
        self._after_change = QTimer(self, interval=AFTER_CHANGE_MS, singleShot=True)
        self._after_change.timeout.connect(lambda: self.sync(only_if_pending=True))

    def start(self) -> None:
        """First sync now, then every minute."""
        self._every.start()
        self.sync()

    def stop(self) -> None:
        self._every.stop()
        self._after_change.stop()
        self.worker.stop()

    def local_change(self, *_args: object) -> None:
        """Something was changed locally: sync soon (changes close together make one
        sync)."""
        self._after_change.start()

    def sync(self, only_if_pending: bool = False) -> None:
        if self.running:
            return
        self.running = True
        if self._expects_team():
            self._show("syncing", "Syncing…")
        session, local = self.session, self.database.executor.call
        self.worker.submit(lambda: _team_sync().background_sync(session, only_if_pending, local),
                           self._done, self._failed)

    def _expects_team(self) -> bool:
        """A team database is set (the last sync said so, or the desk's facts do): a
        local-only desk never flashes "Syncing…"."""
        if self.last is not None:
            return self.last.state != "local"
        return bool(self.has_team)

    def know_team(self, has_team: bool) -> None:
        """The desk's facts arrived: whether it has a team database."""
        self.has_team = has_team
        if self.running and has_team and self.last is None:
            self._show("syncing", "Syncing…")

    def _done(self, outcome: "team_sync.BackgroundSync") -> None:
        self.running = False
        self.last = outcome
        self.failure = None
        self._show(indicator_state(outcome), status_text(outcome))
        if outcome.report is not None:
            for warning in outcome.report.warnings:
                log.warning("sync: %s", warning)
            if outcome.report.pulled or outcome.report.renumbered:
                self.synced.emit(outcome.report)
        self.outcome_ready.emit(outcome)

    def _failed(self, error: Exception) -> None:
        self.running = False
        log.exception("sync failed", exc_info=error)
        self.last = None
        self.failure = str(error)
        self._show("error", "Sync error")
        self.outcome_ready.emit(None)

    def _show(self, state: str, text: str) -> None:
        """Put one state on the indicator: words, icon and chip colour."""
        self.state = state
        self.label.setText(text)
        self.label.setIcon(icon(_icon_name(state), SYNC_TONE[state], on_fill=True))
        self.label.setToolTip(f"{text}. Click for details and Sync now.")
        look.set_chip(self.label, SYNC_TONE[state])

    def show_details(self) -> QWidget:
        """The sync details: state, team database, changes waiting, what to do, and
        "Sync now"."""
        from desk_app.ui.sync_details import SyncDetails  # opened by a click only

        dialog = SyncDetails(self.window, self)
        dialog.open()
        return dialog

    def edit_settings(self) -> FormDialog:
        """The team database form: saved settings, the password to the keyring, then
        a connection test whose result is shown."""
        current = self.last.settings if self.last else None
        fields = [
            Field("host", "Server", required=True, default=current.host if current else "",
                  tooltip="Host name or address of the team's PostgreSQL server"),
            Field("port", "Port", default=str(current.port if current else 5432)),
            Field("database", "Database", required=True,
                  default=current.database if current else "desk"),
            Field("user", "Your login", required=True, default=current.user if current else "",
                  tooltip="The login an administrator made for you (desk-app server add-user)"),
            Field("sslmode", "Encryption (sslmode)", kind="choice",
                  choices=tuple((m, m) for m in _team_sync().SSL_MODES),
                  default=current.sslmode if current else "prefer"),
            Field("password", "Password", kind="password",
                  tooltip="Kept in this computer's keyring, never in a file; leave empty "
                          "to use PGPASSWORD / .pgpass or the keyring's saved one"),
        ]
        dialog = FormDialog(self.window, "Team database", fields, self._save_settings,
                            intro="Where this desk syncs its tickets. Local work goes on "
                                  "whether or not the server can be reached.",
                            ok_text="Save and test")
        dialog.setObjectName("team_database_dialog")
        if current is not None:
            leave = dialog.buttons.addButton("Leave team…", QDialogButtonBox.ButtonRole.ActionRole)
            leave.setObjectName("leave_team")
            leave.setToolTip("Work alone again: the desk keeps its tickets")
            leave.clicked.connect(lambda: self._confirm_leave(dialog))
        dialog.open()
        return dialog

    def _confirm_leave(self, dialog: FormDialog) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Leave team",
                          "Leave the team database? This desk keeps its tickets and works "
                          "alone; the password leaves the keyring. Setting a team database "
                          "again joins it with every ticket.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self.window)
        box.setObjectName("leave_team_confirm")
        box.buttonClicked.connect(
            lambda button: self.leave_team(dialog)
            if box.standardButton(button) == QMessageBox.StandardButton.Yes else None)
        box.open()

    def leave_team(self, dialog: FormDialog) -> None:
        """Leave the team database (``remote unset``), say what happened, refresh."""
        session, local = self.session, self.database.executor.call

        def left(result: "team_sync.LeftTeam") -> None:
            dialog.succeeded()
            box = QMessageBox(QMessageBox.Icon.Information, "Team database",
                              result.describe(), parent=self.window)
            box.setObjectName("team_database_left")
            box.open()
            self.last, self.has_team = None, False
            self.sync()

        self.worker.submit(lambda: local(lambda: _team_sync().leave_team(session)), left,
                           dialog.refused)

    def _save_settings(self, values: dict, dialog: FormDialog,
                       demo_tickets: str = "refuse") -> None:
        session = self.session

        local = self.database.executor.call

        def save_and_test():
            team_sync = _team_sync()
            local(lambda: team_sync.set_remote_from_form(
                session, values["host"], values["port"], values["database"], values["user"],
                values["sslmode"], values["password"], demo_tickets))
            return team_sync.check_settings(local(team_sync.configured_remote))

        def tested(check: "team_sync.RemoteCheck") -> None:
            dialog.succeeded()
            icon = QMessageBox.Icon.Information if check.reachable and not check.problem \
                else QMessageBox.Icon.Warning
            box = QMessageBox(icon, "Team database", check.describe(), parent=self.window)
            box.setObjectName("team_database_test")
            box.open()
            self.last, self.has_team = None, True  # a team desk now: its sync shows
            self.sync()

        def refused(error: Exception) -> None:
            if isinstance(error, _team_sync().DemoTicketsHeld):
                self.ask_about_demo_tickets(
                    error.count, dialog,
                    lambda choice: self._save_settings(values, dialog, choice))
            else:
                dialog.refused(error)

        self.worker.submit(save_and_test, tested, refused)

    def ask_about_demo_tickets(self, count: int, dialog: FormDialog,
                               decided: Callable[[str], None]) -> QMessageBox:
        """The desk holds demo tickets: remove them first, or send them to the team (an
        explicit choice), or do not connect (nothing changes)."""
        tickets = f"{count:,} demo ticket{'s' if count != 1 else ''}"
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Demo tickets on this desk",
            f"This desk holds {tickets}. Connected to the team database, they would be "
            "sent to every colleague.", parent=dialog)
        box.setObjectName("demo_tickets_warning")
        box.setInformativeText("Remove them before connecting, unless the team should "
                               "get them.")
        remove = box.addButton("Remove demo tickets and connect",
                               QMessageBox.ButtonRole.AcceptRole)
        remove.setObjectName("remove_demo")
        include = box.addButton(f"Send the {tickets} to the team",
                                QMessageBox.ButtonRole.DestructiveRole)
        include.setObjectName("include_demo")
        cancel = box.addButton("Don't connect", QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancel_demo")
        box.setDefaultButton(remove)
        box.setEscapeButton(cancel)

        def answered() -> None:
            clicked = box.clickedButton()
            if clicked is remove:
                decided("remove")
            elif clicked is include:
                decided("include")
            else:
                dialog.refused(Refused("demo", f"not connected; the {tickets} stay on "
                                               "this desk"))

        box.finished.connect(answered)
        box.open()
        return box
