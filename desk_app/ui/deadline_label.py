"""The status bar's countdown to the next deadline of "My day": read on the database
worker when the window refreshes, counted down every second without touching the
database."""

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.services.my_day import Deadline, next_deadline
from desk_app.services.session import Session
from desk_app.ui.worker import BackgroundWorker

TICK_MS = 1000


class DeadlineLabel(QLabel):
    """"Next: INC-000123 response in 11 min 55 s"; empty when nothing is due."""

    def __init__(self, now_fn: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("next_deadline")
        self.now_fn = now_fn
        self.deadline: Deadline | None = None
        self.timer = QTimer(self, interval=TICK_MS)
        self.timer.timeout.connect(self.tick)

    def set_deadline(self, deadline: Deadline | None) -> None:
        """Count down to ``deadline`` (None: nothing due)."""
        self.deadline = deadline
        self.tick()
        if deadline is None:
            self.timer.stop()
        elif not self.timer.isActive():
            self.timer.start()

    def tick(self) -> None:
        """Show the time left now."""
        deadline = self.deadline
        if deadline is None:
            self.setText("")
            self.setToolTip("")
            return
        self.setText(f"Next: {deadline.number} {deadline.clock} in "
                     f"{deadline.left(self.now_fn())}")
        self.setToolTip(f"The next target of My day: {deadline.number}'s {deadline.clock} "
                        f"is due {deadline.due.astimezone():%a %H:%M}")

    def load(self, worker: BackgroundWorker, session: Session) -> None:
        """Read the next deadline again (on the database worker)."""
        worker.submit(lambda: next_deadline(session), self.set_deadline)
