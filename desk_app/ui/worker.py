"""One background thread for every local database call; results come back by signal.

The GUI thread never waits for SQLite: a screen submits a job (a plain function that
calls services) with what to do on success and on refusal, and carries on.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desk_app.core.errors import Refused

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a long job when the person cancelled it (its transaction rolls back)."""


class Job:
    """A unit of database work and what to do with its outcome (on the GUI thread)."""

    def __init__(self, work: Callable[..., Any], on_done: Callable[[Any], None] | None,
                 on_error: Callable[[Exception], None] | None,
                 on_progress: Callable[[int], None] | None, long_running: bool) -> None:
        self.work = work
        self.on_done = on_done
        self.on_error = on_error
        self.on_progress = on_progress
        self.long_running = long_running
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        """Ask a long job to stop at its next progress report; nothing it did is kept."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class _Runner(QObject):
    """Lives on the worker thread and runs jobs in the order they came."""

    finished = Signal(object, object)  # job, result
    failed = Signal(object, object)  # job, exception
    progressed = Signal(object, int)  # job, value

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            if job.cancelled:
                raise Cancelled()
            if job.long_running:
                result = job.work(lambda value: self._progress(job, value))
            else:
                result = job.work()
        except Refused as refusal:
            self.failed.emit(job, refusal)
        except Cancelled as cancelled:
            self.failed.emit(job, cancelled)
        except Exception as bug:  # noqa: BLE001 (a bug: logged, reported, the app lives on)
            log.exception("database job failed")
            self.failed.emit(job, bug)
        else:
            self.finished.emit(job, result)

    def _progress(self, job: Job, value: int) -> None:
        if job.cancelled:
            raise Cancelled()
        self.progressed.emit(job, value)


class DatabaseWorker(QObject):
    """The database thread. ``submit`` queues work; ``busy_changed`` tells the status bar."""

    busy_changed = Signal(bool)
    _submitted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("desk-database")
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submitted.connect(self._runner.run)
        self._runner.finished.connect(self._finished)
        self._runner.failed.connect(self._failed)
        self._runner.progressed.connect(self._progressed)
        self._pending = 0
        self._thread.start()

    @property
    def idle(self) -> bool:
        """True when no job is queued or running (tests wait on this)."""
        return self._pending == 0

    def submit(self, work: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[Exception], None] | None = None) -> Job:
        """Run ``work()`` on the database thread, then ``on_done(result)`` or
        ``on_error(exception)`` here."""
        return self._queue(Job(work, on_done, on_error, None, long_running=False))

    def submit_long(self, work: Callable[[Callable[[int], None]], Any],
                    on_done: Callable[[Any], None] | None = None,
                    on_error: Callable[[Exception], None] | None = None,
                    on_progress: Callable[[int], None] | None = None) -> Job:
        """Like ``submit`` for work that reports progress through the callable it is
        given, and that can be cancelled (it then raises :class:`Cancelled`)."""
        return self._queue(Job(work, on_done, on_error, on_progress, long_running=True))

    def _queue(self, job: Job) -> Job:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._submitted.emit(job)
        return job

    def _settle(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    def _finished(self, job: Job, result: Any) -> None:
        self._settle()
        if job.on_done is not None:
            job.on_done(result)

    def _failed(self, job: Job, error: Exception) -> None:
        self._settle()
        if job.on_error is not None:
            job.on_error(error)
        elif not isinstance(error, Refused | Cancelled):
            log.error("unhandled job failure: %r", error)

    def _progressed(self, job: Job, value: int) -> None:
        if job.on_progress is not None:
            job.on_progress(value)

    def stop(self, last: Callable[[], None] | None = None) -> None:
        """Finish the queued jobs, run ``last`` (closing the database) on the thread,
        then end the thread."""
        if not self._thread.isRunning():
            return

        def finish() -> None:
            try:
                if last is not None:
                    last()
            finally:
                QThread.currentThread().quit()

        self.submit(finish)
        self._thread.wait()
