"""Incoming mail in the window: .eml files dropped on it are imported, and the desk's
mailbox is polled on its interval. Both run off the GUI thread: a drop is one job for
the database's owner; polling has its own network thread that hands each database step
to the owner. The mail services are imported when first used (after the first paint:
the IMAP client, the keyring and the PostgreSQL driver are not part of the start)."""

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from desk_app.core.errors import Refused
from desk_app.services.executor import SerialExecutor
from desk_app.services.session import Session
from desk_app.ui.form_dialog import Field, FormDialog
from desk_app.ui.refusals import show_error
from desk_app.ui.worker import BackgroundWorker

log = logging.getLogger(__name__)
MAIL_SUFFIXES = (".eml", ".msg")


def mail_paths(data: QMimeData) -> list[Path]:
    """The local mail files among what is being dragged."""
    if not data.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in data.urls()
            if url.isLocalFile() and url.toLocalFile().lower().endswith(MAIL_SUFFIXES)]


def outcomes_summary(outcomes: list[Any]) -> str:
    """One status-bar line for the outcomes of an import: "2 new tickets, 1 reply"."""
    kinds: dict[str, int] = {}
    for outcome in outcomes:
        kinds[outcome.outcome] = kinds.get(outcome.outcome, 0) + 1
    words = {"new": "new ticket", "reply": "reply", "ignored": "ignored (automatic)",
             "duplicate": "already imported", "refused": "refused"}
    return ", ".join(f"{n} {words.get(k, k)}" for k, n in kinds.items()) or "no mail"


class MailDrop(QObject):
    """Accepts .eml files dropped on the window and imports them; ``imported`` fires
    with the outcomes (the window refreshes)."""

    imported = Signal(object)

    def __init__(self, window: QMainWindow, worker: BackgroundWorker, session: Session):
        super().__init__(window)
        self.window, self.worker, self.session = window, worker, session
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and \
                mail_paths(event.mimeData()):
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop:
            paths = mail_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self.import_files(paths)
                return True
        return super().eventFilter(watched, event)

    def import_files(self, paths: list[Path]) -> None:
        """Import the files on the database thread; the status bar says what happened."""
        session = self.session

        def work() -> list[Any]:
            from desk_app.services.mail_in import import_files

            return import_files(session, paths)

        self.worker.submit(work, self._done,
                           lambda error: show_error(self.window, "Importing mail", error))

    def _done(self, outcomes: list[Any]) -> None:
        refused = [o for o in outcomes if o.outcome == "refused"]
        self.window.statusBar().showMessage(f"Mail: {outcomes_summary(outcomes)}", 15_000)
        if refused:  # a refusal of the file, not a fault: the others were imported
            show_error(self.window, "Importing mail", Refused(
                "mail", f"{len(refused)} of {len(outcomes)} file(s) not imported:\n"
                + "\n".join(o.text for o in refused)))
        self.imported.emit(outcomes)


class MailPoller(QObject):
    """Polls the desk's mailbox on its interval, on a thread of its own. ``label`` (in
    the status bar) says when it last polled and what came in; ``imported`` fires when
    new mail landed. A desk without a mailbox never polls and shows nothing."""

    imported = Signal(object)

    def __init__(self, window: QMainWindow, session: Session, database: BackgroundWorker):
        super().__init__(window)
        self.session, self.database = session, database
        self.worker = BackgroundWorker(SerialExecutor("desk-mail"), self)
        self.worker.setObjectName("mail_worker")
        self.label = QLabel()
        self.label.setObjectName("mail_status")
        self.label.hide()
        self.settings: Any = None
        self.running = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        self.window = window
        self.settings_action = QAction("Incoming &mail…", window, triggered=self.edit_settings)
        self.settings_action.setToolTip("The IMAP mailbox this desk turns into tickets")

    def start(self) -> None:
        """Read the mailbox settings; poll now and then on their interval."""
        def read() -> Any:
            from desk_app.services.imap_settings import imap_settings

            return imap_settings()

        self.database.submit(read, self._configured,
                             lambda error: log.warning("mail settings: %s", error))

    def _configured(self, settings: Any) -> None:
        self.settings = settings
        if settings is None:
            self._timer.stop()
            self.label.hide()
            return
        self.label.show()
        self.label.setText("Mail: checking…")
        self._timer.start(settings.poll_seconds * 1000)
        self.poll()

    def poll(self) -> None:
        if self.running or self.settings is None:
            return
        self.running = True
        session, settings, local = self.session, self.settings, self.database.executor.call

        def work() -> Any:
            from desk_app.services.mail_poll import poll_once

            return poll_once(session, settings, local=local)

        self.worker.submit(work, self._done, self._failed)

    def _done(self, report: Any) -> None:
        self.running = False
        at = datetime.now().strftime("%H:%M")
        if not report.polled:
            self.label.setText(f"Mail: not polled at {at}")
            self.label.setToolTip(report.reason or "")
            return
        fresh = [o for o in report.outcomes if o.outcome in ("new", "reply")]
        self.label.setText(f"Mail: {len(fresh)} new at {at}" if fresh
                           else f"Mail: checked {at}")
        self.label.setToolTip(report.summary())
        if fresh:
            self.imported.emit(report)

    def _failed(self, error: Exception) -> None:
        self.running = False
        log.warning("mail poll failed: %s", error)
        self.label.setText("Mail: error")
        self.label.setToolTip(str(error))

    def stop(self) -> None:
        self._timer.stop()
        self.worker.stop()

    def edit_settings(self) -> FormDialog:
        """The mailbox form: settings saved (the password to the keyring), then a login
        test whose result is shown; polling restarts with the new settings."""
        current = self.settings
        fields = [
            Field("host", "IMAP server", required=True, default=current.host if current
                  else "", tooltip="Host name of the mail server"),
            Field("security", "Encryption", kind="choice",
                  choices=(("TLS (port 993)", "tls"), ("STARTTLS (port 143)", "starttls")),
                  default=current.security if current else "tls"),
            Field("port", "Port", default=str(current.port) if current else "",
                  tooltip="Empty: 993 for TLS, 143 for STARTTLS"),
            Field("login", "Mailbox login", required=True,
                  default=current.login if current else ""),
            Field("folder", "Folder", default=current.folder if current else "INBOX"),
            Field("poll_seconds", "Check every (seconds)",
                  default=str(current.poll_seconds if current else 120)),
            Field("processed_folder", "Move imported mail to",
                  default=current.processed_folder if current else "",
                  tooltip="Empty: imported mail is marked read and stays in the folder"),
            Field("password", "Password", kind="password",
                  tooltip="Kept in this computer's keyring, never in a file; leave empty "
                          "to keep the saved one"),
        ]
        dialog = FormDialog(self.window, "Incoming mail", fields, self._save_settings,
                            intro="Unread mail in this mailbox becomes tickets (replies land "
                                  "on their ticket). In a team, one desk polls it at a time.",
                            ok_text="Save and test")
        dialog.setObjectName("incoming_mail_dialog")
        dialog.open()
        return dialog

    def _save_settings(self, values: dict, dialog: FormDialog) -> None:
        session, local = self.session, self.database.executor.call
        kept_ca = self.settings.ca_file if self.settings else ""

        def save_and_test() -> tuple[Any, str, bool]:
            from desk_app.services.imap_settings import checked_settings, save_imap
            from desk_app.services.mail_poll import MailboxUnavailable, check_mailbox

            settings = checked_settings({
                "host": values["host"], "security": values["security"],
                "port": values["port"] or None, "login": values["login"],
                "folder": values["folder"] or "INBOX", "poll_seconds": values["poll_seconds"],
                "processed_folder": values["processed_folder"], "ca_file": kept_ca})
            local(lambda: save_imap(session, settings, values["password"] or None))
            try:
                return settings, check_mailbox(settings, values["password"] or None), True
            except MailboxUnavailable as error:
                return settings, f"Saved, but the test failed: {error}", False

        def tested(result: tuple[Any, str, bool]) -> None:
            settings, message, ok = result
            dialog.succeeded()
            box = QMessageBox(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning,
                              "Incoming mail", message, parent=self.window)
            box.setObjectName("incoming_mail_test")
            box.open()
            self._configured(settings)

        self.worker.submit(save_and_test, tested, dialog.refused)
