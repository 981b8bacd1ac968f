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
from PySide6.QtWidgets import QLabel, QMainWindow

from desk_app.services.executor import SerialExecutor
from desk_app.services.session import Session
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
        if refused:
            show_error(self.window, "Importing mail", ValueError(
                "\n".join(o.text for o in refused)))
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

    def start(self) -> None:
        """Read the mailbox settings; poll now and then on their interval."""
        def read() -> Any:
            from desk_app.services.mail_settings import imap_settings

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
