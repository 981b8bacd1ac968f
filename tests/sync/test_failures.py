"""Sync under failure: a dropped connection, a killed client, concurrent writers
with a long transaction open on the server."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.worklog import add_worklog
from desk_app.storage.models import Outbox, Worklog
from desk_app.sync import engine, outgoing
from desk_app.sync.engine import SyncError
from desk_app.sync.outgoing import send
from tests.conftest import new_ticket
from tests.sync.conftest import same_as_server, server_copy, synced_copy


def _no_duplicate_changes(team_db) -> None:
    """Every ticket was created once in the log and every history or worklog row was
    sent once (a re-sent push would log them again under new op ids)."""
    assert team_db.scalar(
        "SELECT count(*) FROM (SELECT row_id FROM desk.change WHERE entity = 'ticket' "
        "AND field IS NULL GROUP BY row_id HAVING count(*) > 1) twice") == 0
    for table in ("history", "worklog"):
        assert team_db.scalar(
            "SELECT count(*) - count(DISTINCT r->>'id') FROM desk.change, "
            "json_array_elements(value) r WHERE entity = %s", table) == 0
        assert team_db.scalar(
            "SELECT count(*) FROM desk.change, json_array_elements(value) r "
            "WHERE entity = %s", table) > 0


def test_a_connection_dropped_in_the_middle_of_a_push_loses_and_duplicates_nothing(
        clients, team_db, monkeypatch):
    amy = clients("amy")
    amy.open()
    amy.sync()
    numbers = [log_ticket(amy.session, new_ticket(summary=f"Ticket {i}")).number
               for i in range(6)]
    add_worklog(amy.session, numbers[0], "Worklog before the drop")
    monkeypatch.setattr(engine, "PUSH_CHUNK", 2)
    real_acknowledge = outgoing.acknowledge
    calls = []

    def drop_after_first(entries):
        real_acknowledge(entries)
        calls.append(len(entries))
        if len(calls) == 1:
            with team_db.owner() as conn:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE application_name = 'desk-app' AND pid <> pg_backend_pid()")

    monkeypatch.setattr(outgoing, "acknowledge", drop_after_first)
    with pytest.raises(SyncError, match=r"unreachable|terminat|closed"):
        amy.sync()
    assert Outbox.select().count() > 0  # what was not acknowledged is still queued
    monkeypatch.setattr(outgoing, "acknowledge", real_acknowledge)
    amy.sync()
    assert Outbox.select().count() == 0
    _no_duplicate_changes(team_db)
    assert same_as_server(synced_copy(), server_copy(team_db))
    assert team_db.scalar("SELECT count(*) FROM desk.ticket_number") == len(numbers)


_KILLED_SYNC = textwrap.dedent("""
    import os, signal, sys
    from desk_app.app import open_desk
    from desk_app.storage.meta import get_meta
    from desk_app.sync import outgoing
    from desk_app.sync.engine import run_sync
    from desk_app.sync.remote import RemoteSettings

    def die(entries):  # the server has committed this push
        os.kill(os.getpid(), signal.SIGKILL)

    desk = open_desk(sys.argv[1], login="amy")
    outgoing.acknowledge = die
    run_sync(RemoteSettings.from_json(get_meta("remote")), "amy")
""")


def test_a_client_killed_after_the_server_committed_a_push_duplicates_nothing(
        clients, team_db, tmp_path):
    amy = clients("amy")
    amy.open()
    amy.sync()
    number = log_ticket(amy.session, new_ticket(summary="Killed mid-sync")).number
    add_worklog(amy.session, number, "Note before the crash")
    pending = Outbox.select().count()
    before = team_db.scalar("SELECT count(*) FROM desk.change")
    amy.close()
    script = tmp_path / "killed_sync.py"
    script.write_text(_KILLED_SYNC)
    done = subprocess.run([sys.executable, str(script), str(amy.folder)],
                          cwd=os.getcwd(), capture_output=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert team_db.scalar("SELECT count(*) FROM desk.change") > before  # it got there
    amy.open()
    assert Outbox.select().count() == pending  # not trimmed: the client died first
    amy.sync()
    assert Outbox.select().count() == 0
    _no_duplicate_changes(team_db)
    assert same_as_server(synced_copy(), server_copy(team_db))
    assert Worklog.select().where(Worklog.note == "Note before the crash").count() == 1


def _worklog_change(ticket_id: str, device: str, note: str) -> dict:
    now = int(time.time() * 1000)
    row = {"id": uuid7(), "ticket_id": ticket_id, "at": now, "by": "pusher", "kind": "note",
           "note": note, "minutes": 0}
    return {"op_id": uuid7(), "entity": "worklog", "row_id": ticket_id, "field": None,
            "value": [row], "hlc": Stamp(now, 0, device).encode()}


def test_a_puller_misses_nothing_from_concurrent_pushers_and_a_long_transaction(
        clients, team_db):

    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Busy ticket")).number
    amy.sync()
    ticket_id = ticket_by_number(number).id
    ben.open()
    ben.sync()

    long_running = team_db.login("tech_kim")
    long_running.autocommit = False
    long_running.execute("SELECT 1")  # the transaction is open; send() nests a savepoint
    send(long_running, "slow-device", [_worklog_change(ticket_id, "slow-device", "slow note")])
    expected = {"slow note"}

    def pusher(index: int) -> None:
        with team_db.login("tech_kim") as conn:
            for n in range(15):
                note = f"pusher {index} note {n}"
                send(conn, f"device-{index}",
                     [_worklog_change(ticket_id, f"device-{index}", note)])

    threads = [threading.Thread(target=pusher, args=(i,)) for i in range(3)]
    for index, thread in enumerate(threads):
        thread.start()
        expected |= {f"pusher {index} note {n}" for n in range(15)}
    while any(t.is_alive() for t in threads):
        ben.sync()  # pulls while others push, the long transaction still open
    for thread in threads:
        thread.join()
    ben.sync()
    notes = {w.note for w in Worklog.select()}
    assert "slow note" not in notes  # not committed yet
    long_running.commit()
    long_running.close()
    ben.sync()
    notes = {w.note for w in Worklog.select()}
    assert expected <= notes
    assert Worklog.select().count() == len(expected)
