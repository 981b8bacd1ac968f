"""Background work for the GUI: jobs run on a :class:`SerialExecutor` (the database
owner's thread, or the sync's network thread) and their results come back by signal.

The GUI thread never waits for SQLite: a screen submits a job (a plain function that
calls services) with what to do on success and on refusal, and carries on.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desk_app.core.errors import EnvironmentProblem, Refused
from desk_app.services.executor import SerialExecutor

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.05  # seconds between progress reports


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
        self.reported_at = 0.0

    def cancel(self) -> None:
        """Ask a long job to stop at its next progress report; nothing it did is kept."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class BackgroundWorker(QObject):
    """A Qt face for a :class:`SerialExecutor`: ``submit`` queues work on the executor's
    thread; the outcome comes back to the GUI thread through queued signals.
    ``busy_changed`` tells the status bar.

    The executor's thread is a Python thread, not a QThread: Python code called from a
    Qt-started thread gets a fresh thread state on every call, which would drop
    thread-local state (the SQLite connection, an open transaction) between jobs.
    """

    busy_changed = Signal(bool)
    _finished = Signal(object, object)  # job, result
    _failed = Signal(object, object)  # job, exception
    _progressed = Signal(object, int)  # job, value

    def __init__(self, executor: SerialExecutor | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        queued = Qt.ConnectionType.QueuedConnection
        self._finished.connect(self._on_finished, queued)
        self._failed.connect(self._on_failed, queued)
        self._progressed.connect(self._on_progressed, queued)
        self.executor = executor or SerialExecutor()
        self._pending = 0

    # --- the executor's thread -------------------------------------------------------

    def _run(self, job: Job) -> None:
        try:
            if job.cancelled:
                raise Cancelled()
            if job.long_running:
                result = job.work(lambda value, j=job: self._progress(j, value))
            else:
                result = job.work()
        except (Refused, Cancelled) as refusal:
            self._failed.emit(job, refusal)
        except EnvironmentProblem as problem:  # the machine, not a bug: no traceback
            log.warning("%s", problem)
            self._failed.emit(job, problem)
        except Exception as bug:  # a bug: logged and reported, the app lives on
            log.exception("background job failed")
            self._failed.emit(job, bug)
        else:
            self._finished.emit(job, result)

    def _progress(self, job: Job, value: int) -> None:
        if job.cancelled:
            raise Cancelled()
        now = time.monotonic()
        if now - job.reported_at >= PROGRESS_INTERVAL:  # a few redraws a second, not one
            job.reported_at = now                          # signal per row written
            self._progressed.emit(job, value)

    # --- the GUI thread --------------------------------------------------------------

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
        if self.executor.stopped:  # shutting down: a late timer's work is dropped
            log.debug("dropped a job submitted after the worker stopped")
            return job
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self.executor.submit(lambda: self._run(job))
        return job

    def _settle(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    def _on_finished(self, job: Job, result: Any) -> None:
        self._settle()
        if job.on_done is not None:
            job.on_done(result)

    def _on_failed(self, job: Job, error: Exception) -> None:
        self._settle()
        if job.on_error is not None:
            job.on_error(error)
        elif not isinstance(error, Refused | Cancelled | EnvironmentProblem):
            log.error("unhandled job failure: %r", error)

    def _on_progressed(self, job: Job, value: int) -> None:
        if job.on_progress is not None:
            job.on_progress(value)

    def stop(self, last: Callable[[], None] | None = None) -> None:
        """Finish the queued jobs, run ``last`` (closing the database) on the thread,
        then end the thread."""
        self.executor.stop(last)
