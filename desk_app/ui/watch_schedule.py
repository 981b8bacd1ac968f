"""Runs the watcher (:func:`desk_app.services.watch.watch_pass`) for the open window: on
the database owner's thread, every minute and at the exact moment its last pass said
the next rule comes due (a single-shot timer re-armed after each pass). Never on the GUI
thread; a pass that changed something is announced so the queues redraw."""

import logging
import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desk_app.services.session import Session
from desk_app.ui.worker import BackgroundWorker

log = logging.getLogger(__name__)
INTERVAL_MS = 60_000
FIRST_PASS_MS = 1_000  # after the window is up, not during its first paint
LONGEST_WAIT_MS = 24 * 3600 * 1000  # a timer's wait must fit; the interval runs anyway
DUE_SLACK_MS = 5  # wake just after the due moment, so the rule is due when the pass runs
PASS_LIMIT = 20  # rules per pass: a desk back after days applies them a few at a time,
# the person's own work queued between passes
NEXT_OF_SERIES_MS = 200  # the pause between passes of a series: the window's work first
REDRAW_EVERY_S = 30.0  # while passes follow one another: redraw the queues this often


class WatchSchedule(QObject):
    """Passes of the watcher on a timer and at the next due moment. ``changed`` carries
    the result of a pass that wrote something (of the last of a series of passes that
    follow one another, or every half minute during one); ``passed`` every result."""

    changed = Signal(object)
    passed = Signal(object)

    def __init__(self, worker: BackgroundWorker, session: Session,
                 interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.session = session
        self.interval = QTimer(self, interval=interval_ms)
        self.interval.timeout.connect(self.run_now)
        self.at_due = QTimer(self, singleShot=True)
        self.at_due.timeout.connect(self.run_now)
        self.next_due: datetime | None = None
        self._running = False
        self._again = False  # a timer fired while a pass ran: run once more after it
        self._unshown = False  # a pass of the running series changed something
        self._shown_at = time.monotonic()
        self._in_series = False  # passes are following one another (more rules due)

    def start(self, first_pass_ms: int = FIRST_PASS_MS) -> None:
        """Start the minute timer; the first pass runs after ``first_pass_ms``."""
        self.interval.start()
        self.at_due.start(first_pass_ms)

    def stop(self) -> None:
        """No more passes (the window is closing)."""
        self.interval.stop()
        self.at_due.stop()

    @property
    def running(self) -> bool:
        """True while a pass is queued or running on the database thread."""
        return self._running

    def run_now(self) -> None:
        """Queue a pass on the database thread (one at a time)."""
        if self._running:
            self._again = True
            return
        self._running = True
        session = self.session

        def one_pass() -> Any:
            from desk_app.services.watch import watch_pass  # off the first paint's path

            return watch_pass(session, limit=PASS_LIMIT)

        self.worker.submit(one_pass, self._done, self._failed)

    def _done(self, result: Any) -> None:
        self._running = False
        if not self._in_series:
            self._in_series, self._shown_at = True, time.monotonic()
        if result.more:  # the rest after whatever work was queued meanwhile
            self.next_due = result.next_due
            self.at_due.start(NEXT_OF_SERIES_MS)
        else:
            self._in_series = False
            self.arm(result.next_due)
        self.passed.emit(result)
        self._unshown = self._unshown or result.changed
        # passes that follow one another (more) redraw once at the end, or now and then
        if self._unshown and (not result.more
                              or time.monotonic() - self._shown_at > REDRAW_EVERY_S):
            self._unshown, self._shown_at = False, time.monotonic()
            self.changed.emit(result)
        self._run_again()

    def _failed(self, error: Exception) -> None:
        self._running = False
        log.warning("watcher pass failed: %s", error)  # the minute timer tries again
        self._run_again()

    def _run_again(self) -> None:
        if self._again:
            self._again = False
            self.run_now()

    def arm(self, next_due: datetime | None) -> None:
        """Set the single-shot timer for ``next_due`` (None: only the minute timer)."""
        self.next_due = next_due
        if next_due is None:
            self.at_due.stop()
            return
        wait = (next_due - self.session.now_fn()).total_seconds() * 1000 + DUE_SLACK_MS
        self.at_due.start(int(min(max(wait, 0), LONGEST_WAIT_MS)))
