"""Sync in the desktop client: its own background thread, runs when a local change
was made, every minute, and on "Sync now"; the status bar says offline / syncing /
up to date / error, how many changes wait, and when the last sync was.

A server that is away or failing only changes the status text: local work goes on,
and stays queued until a sync gets through."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QWidget

from desk_app.core.errors import Refused
from desk_app.services.executor import SerialExecutor
from desk_app.services.session import Session
from desk_app.ui.form_dialog import Field, FormDialog
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


def _when(iso: str | None) -> str:
    if not iso:
        return "never"
    moment = datetime.fromisoformat(iso).astimezone()
    return moment.strftime("%H:%M" if moment.date() == datetime.now().date() else "%d %b %H:%M")


def status_text(outcome: "team_sync.BackgroundSync") -> str:
    """The status-bar words for a sync outcome."""
    status = outcome.status
    if outcome.state == "local":
        return "Local only (no team database)"
    pending = f"{status.pending} change{'s' if status.pending != 1 else ''} pending"
    last = f"last sync {_when(status.last_sync)}"
    if outcome.state == "offline":
        return f"Offline · {pending} · {last}"
    if outcome.state == "error":
        return f"Sync error: {outcome.reason} · {pending} · {last}"
    return f"Up to date · {pending} · {last}" if status.pending else f"Up to date · {last}"


class TeamSync(QObject):
    """Owns the sync thread and the status-bar label. ``synced`` fires after a sync
    that brought changes in (the window refreshes)."""

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
        self.label = QLabel("Local only")
        self.label.setObjectName("sync_status")
        self.running = False
        self.last: team_sync.BackgroundSync | None = None
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
        if self.last is None or self.last.state != "local":
            self.label.setText("Syncing…")
        session, local = self.session, self.database.executor.call
        self.worker.submit(lambda: _team_sync().background_sync(session, only_if_pending, local),
                           self._done, self._failed)

    def _done(self, outcome: "team_sync.BackgroundSync") -> None:
        self.running = False
        self.last = outcome
        self.label.setText(status_text(outcome))
        self.label.setToolTip(outcome.status.remote or "Work is kept on this computer only")
        if outcome.report is not None:
            for warning in outcome.report.warnings:
                log.warning("sync: %s", warning)
            if outcome.report.pulled or outcome.report.renumbered:
                self.synced.emit(outcome.report)
        self.outcome_ready.emit(outcome)

    def _failed(self, error: Exception) -> None:
        self.running = False
        log.exception("sync failed", exc_info=error)
        self.label.setText(f"Sync error: {error}")
        self.outcome_ready.emit(None)

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
            Field("password", "Password", tooltip="Kept in this computer's keyring, never in "
                                                  "a file; leave empty to use PGPASSWORD / "
                                                  ".pgpass or the keyring's saved one"),
        ]
        dialog = FormDialog(self.window, "Team database", fields, self._save_settings,
                            intro="Where this desk syncs its tickets. Local work goes on "
                                  "whether or not the server can be reached.",
                            ok_text="Save and test")
        dialog.setObjectName("team_database_dialog")
        password = dialog.inputs["password"]
        assert isinstance(password, QLineEdit)
        password.setEchoMode(QLineEdit.EchoMode.Password)
        dialog.open()
        return dialog

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
