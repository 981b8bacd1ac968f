"""Sending mail from the desktop client: its own thread (the SMTP conversation never
runs on the GUI thread nor on the database's owner, which only does the short local
steps), started after the first paint, every minute, and soon after a local change
that may have queued a mail."""

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.services.executor import SerialExecutor
from desk_app.services.session import Session
from desk_app.ui import look
from desk_app.ui.worker import BackgroundWorker

if TYPE_CHECKING:
    from desk_app.services.mail_sender import SendReport

log = logging.getLogger(__name__)

EVERY_MS = 60_000
AFTER_CHANGE_MS = 3_000


def _sender() -> Any:
    """The sending services, imported when first used (they load the keyring)."""
    from desk_app.services import mail_sender

    return mail_sender


class MailOutbox(QObject):
    """Owns the mail thread. ``sent`` fires with the report of a round that sent or
    refused mail (its worklog entries are new: the window refreshes); ``last`` is the
    latest round's report (its ``problem`` says why mail is still queued), also shown
    by ``label`` in the status bar while mail waits."""

    sent = Signal(object)
    round_done = Signal(object)

    def __init__(self, window: QWidget, session: Session, database: BackgroundWorker) -> None:
        super().__init__(window)
        self.session = session
        self.database = database
        self.worker = BackgroundWorker(SerialExecutor("desk-mail"), self)
        self.worker.setObjectName("mail_worker")
        self.running = False
        self.last: SendReport | None = None
        self._every = QTimer(self, interval=EVERY_MS)
        self._every.timeout.connect(lambda: self.send())
        self._after_change = QTimer(self, interval=AFTER_CHANGE_MS, singleShot=True)
        self._after_change.timeout.connect(lambda: self.send())
        self.label = QLabel()
        self.label.setObjectName("mail_status")
        look.set_tone(self.label, "warning")
        self.label.hide()

    def start(self) -> None:
        """Send what is queued now (a desk back from days offline), then every minute."""
        self._every.start()
        self.send()

    def stop(self) -> None:
        self._every.stop()
        self._after_change.stop()
        self.worker.stop()

    def local_change(self, *_args: object) -> None:
        """An activity may have queued a mail: send soon."""
        self._after_change.start()

    def send(self, retry_now: bool = False) -> None:
        """One round of sending on the mail thread (skipped while one runs)."""
        if self.running:
            return
        self.running = True
        session, local = self.session, self.database.executor.call
        self.worker.submit(
            lambda: _sender().send_queued(session, retry_now=retry_now, local=local),
            self._done, self._failed)

    def _done(self, report: "SendReport") -> None:
        self.running = False
        self.last = report
        if report.problem and report.waiting:
            log.info("mail: %s", report.describe())
        if report.sent or report.failed:
            self.sent.emit(report)
        self._show(report)
        self.round_done.emit(report)

    def _show(self, report: "SendReport") -> None:
        """Mail waiting because of a problem: say so in the status bar, and why."""
        waiting = bool(report.problem and report.waiting)
        self.label.setVisible(waiting)
        if waiting:
            self.label.setText(f"Mail: {report.waiting} waiting")
            self.label.setToolTip(f"{report.problem}. The mail stays queued and is "
                                  "sent when the server can be reached "
                                  "(desk-app mail queue lists it).")

    def _failed(self, error: Exception) -> None:
        self.running = False
        log.error("mail sending failed: %s", error)
        self.round_done.emit(None)
