"""Fixtures for the desktop client's tests: the database worker and a way to wait for it."""

import pytest

from desk_app.storage.database import close_database
from desk_app.ui.worker import DatabaseWorker


@pytest.fixture
def worker(qtbot, desk):
    running = DatabaseWorker()
    yield running
    running.stop(close_database)  # the worker thread's own connection


def settle(qtbot, worker, timeout: int = 10_000) -> None:
    """Wait until every queued database job ran and its result was delivered."""
    qtbot.waitUntil(lambda: worker.idle, timeout=timeout)
