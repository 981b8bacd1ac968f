"""The background worker: results and refusals come back on the GUI thread; a problem
of the machine around the desk is shown like a refusal, never logged as a bug."""

import logging

from desk_app.core.errors import DiskFull
from desk_app.services.executor import SerialExecutor
from desk_app.ui.worker import BackgroundWorker


def test_an_environment_problem_reaches_on_error_without_a_traceback(qtbot, caplog):
    worker = BackgroundWorker(SerialExecutor("test-worker"))
    errors = []

    def disk_full():
        raise DiskFull("the disk is full", "free some space")

    with caplog.at_level(logging.WARNING, logger="desk_app.ui.worker"):
        worker.submit(disk_full, on_error=errors.append)
        qtbot.waitUntil(lambda: worker.idle, timeout=5_000)
    worker.stop()
    assert [type(e) for e in errors] == [DiskFull]
    assert all(record.exc_info is None for record in caplog.records)
    assert any("disk is full" in record.getMessage() for record in caplog.records)


def test_jobs_run_in_order_on_the_executors_one_thread(qtbot):
    import threading

    worker = BackgroundWorker(SerialExecutor("test-order"))
    seen: list[tuple[int, str]] = []
    for n in range(20):
        worker.submit(lambda n=n: (n, threading.current_thread().name), seen.append)
    qtbot.waitUntil(lambda: worker.idle, timeout=5_000)
    worker.stop()
    assert [n for n, _ in seen] == list(range(20))
    assert len({name for _, name in seen}) == 1 and seen[0][1].startswith("test-order")
