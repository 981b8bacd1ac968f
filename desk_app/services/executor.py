"""The one owner of the local database in a long-running process (the desktop client):
a single thread that holds the SQLite connection and runs every local database
operation in order: the window's activities, sync's local steps (reading the outbox,
applying pulled rows, acknowledgements), and any later background job.

Threads that do network I/O hand their local steps to it with :meth:`call` and wait;
they never open a connection of their own. Anki's collection operations are the model.
"""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class SerialExecutor:
    """One thread that runs operations one at a time in submission order. The thread
    that opens the local database becomes its owner (one connection); the sync's
    network thread is another one, with no database connection."""

    def __init__(self, name: str = "desk-database") -> None:
        self._owner: int | None = None
        self._ready = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name,
                                        initializer=self._claim)
        self._pool.submit(lambda: None)  # start the thread now, so its identity is known
        self._ready.wait()
        self._stopped = False

    def _claim(self) -> None:
        self._owner = threading.get_ident()
        self._ready.set()

    @property
    def on_owner_thread(self) -> bool:
        """Whether the calling thread is the one that owns the database."""
        return threading.get_ident() == self._owner

    @property
    def stopped(self) -> bool:
        return self._stopped

    def submit(self, operation: Callable[[], T]) -> "Future[T]":
        """Queue ``operation``; its future holds the result or the exception."""
        if self._stopped:
            raise RuntimeError("the executor has stopped")
        return self._pool.submit(operation)

    def call(self, operation: Callable[[], T]) -> T:
        """Run ``operation`` on the owner thread and wait for its result (exceptions
        are raised here). Called from the owner thread itself, it runs inline: an
        operation that hands a step back to its own executor must not deadlock."""
        if self.on_owner_thread:
            return operation()
        return self.submit(operation).result()

    def stop(self, last: Callable[[], None] | None = None) -> None:
        """Run the queued operations, then ``last`` (closing the database) on the owner
        thread, then end the thread."""
        if self._stopped:
            return
        if last is not None:
            def closing() -> None:
                try:
                    last()
                except Exception:  # closing at exit: log, never hang the shutdown
                    log.exception("closing the database failed")
            self._pool.submit(closing)
        self._stopped = True
        self._pool.shutdown(wait=True)
