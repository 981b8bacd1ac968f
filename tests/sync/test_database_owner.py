"""The database's one owner in a long-running process: the window's activities and the
sync's local steps run on one thread; the sync thread only talks to the network."""

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from desk_app.app import open_desk
from desk_app.services import team_sync, workflow
from desk_app.services.executor import SerialExecutor
from desk_app.services.intake import log_ticket
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database
from tests.conftest import new_ticket

# Another desk in its own process: logs and syncs in a loop until told to stop, so the
# desk under test keeps pulling real changes while it works.
OTHER_DESK = textwrap.dedent("""
    import contextlib, io, pathlib, sys
    from desk_app.cli import main
    url, stop = sys.argv[1], pathlib.Path(sys.argv[2])

    def quiet(*argv):
        with contextlib.redirect_stdout(io.StringIO()):
            return main(list(argv))

    assert quiet("remote", "set", url) == 0
    while not stop.exists():
        for _ in range(5):
            assert quiet("log", "--summary", "From the other desk", "--description",
                         "Mail will not send", "--reporter", "Ann",
                         "--contact", "ann@example.com", "--channel", "email",
                         "--service", "Mail", "--impact", "low", "--urgency", "low",
                         "--category", "Software", "--subcategory", "Office suite") == 0
        assert quiet("sync") == 0
""")


def _activity(session, step: int, numbers: list[str]) -> None:
    """One of a mix of activities, picked by step, on tickets logged earlier."""
    kind = step % 6
    if kind == 0 or not numbers:
        numbers.append(log_ticket(session, new_ticket(summary=f"Stress {step}")).number)
        return
    number = numbers[-1]
    if kind == 1:
        workflow.assign(session, number, group="Service Desk", technician="tech_kim")
    elif kind == 2:
        workflow.start_work(session, number)
    elif kind == 3:
        add_worklog(session, number, f"Looked at it ({step})", minutes=5)
    elif kind == 4:
        workflow.hold(session, number, "awaiting_user", note="Asked the user")
    else:
        workflow.resume(session, number)


@pytest.mark.slow
def test_500_activities_while_sync_pulls_and_pushes_without_a_single_failure(
        tmp_path, team_db, memory_keyring, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/London")
    owner = SerialExecutor()
    connections: list[str] = []
    real_connect = database._connect

    def connect_counting():
        connections.append(threading.current_thread().name)
        return real_connect()

    monkeypatch.setattr(database, "_connect", connect_counting)
    desk = owner.call(lambda: open_desk(tmp_path / "mine", "tech_kim"))
    try:
        _stress(tmp_path, team_db, owner, desk.session, connections)
    finally:
        owner.stop(desk.close)


def _stress(tmp_path, team_db, owner, session, connections) -> None:
    owner.call(lambda: team_sync.set_remote(session, team_db.remote_url("tech_kim")
                                            .replace("tech_kim@", "tech_kim:kim-secret@")))

    stop_file = tmp_path / "stop"
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_DESK, team_db.remote_url("admin_ada"), str(stop_file)],
        env={**os.environ, "DESK_APP_DATA_DIR": str(tmp_path / "other"),
             "DESK_APP_TECHNICIAN": "admin_ada", "PGPASSWORD": "ada-secret",
             "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
             "PYTHONPATH": str(Path(__file__).parents[2])},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    stop = threading.Event()
    outcomes: list[team_sync.BackgroundSync] = []

    def sync_continuously() -> None:
        while not stop.is_set():
            outcomes.append(team_sync.background_sync(session, local=owner.call))

    syncing = threading.Thread(target=sync_continuously, name="desk-sync")
    syncing.start()
    numbers: list[str] = []
    try:
        deadline = time.monotonic() + 120  # the other desk's first tickets have come in
        while not any(o.report and o.report.pulled for o in outcomes):
            assert time.monotonic() < deadline and other.poll() is None, "no pull"
            time.sleep(0.05)
        futures = []
        for step in range(500):  # spread over the syncs, as a person's work would be
            futures.append(owner.submit(lambda s=step: _activity(session, s, numbers)))
            if step % 20 == 19:
                time.sleep(0.1)
        failures = [repr(e) for f in futures if (e := f.exception(timeout=300)) is not None]
    finally:
        stop.set()
        syncing.join(timeout=300)
        stop_file.touch()
        _, other_err = other.communicate(timeout=300)
    assert failures == []
    assert other.returncode == 0, other_err
    final = team_sync.background_sync(session, local=owner.call)
    bad = [(o.state, o.reason) for o in [*outcomes, final] if o.state != "up to date"]
    assert bad == []
    assert sum(o.report.pulled for o in [*outcomes, final] if o.report) > 0
    assert sum(o.report.pushed for o in [*outcomes, final] if o.report) > 0
    assert final.status.pending == 0

    def numbers_on_desk() -> list[str]:
        return [r[0] for r in database.execute_sql("SELECT number FROM ticket")]

    on_desk = owner.call(numbers_on_desk)
    assert len(on_desk) == len(set(on_desk))
    assert set(numbers) <= set(on_desk) and len(on_desk) > len(numbers)
    assert set(connections) == {owner_thread_name(owner)}  # the sync thread never connected


def owner_thread_name(executor: SerialExecutor) -> str:
    return executor.call(lambda: threading.current_thread().name)
