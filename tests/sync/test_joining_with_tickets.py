"""Desks that worked alone join a team with their tickets, first or later, while
others log: number blocks never hold a number that exists anywhere, a number another
desk holds is renumbered (the old one stays findable) and logging goes on at once."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desk_app.services.demo import write_demo_tickets
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.storage.meta import get_meta, set_meta
from desk_app.storage.models import Meta, NumberBlock, Ticket
from desk_app.storage.ticket_queries import TicketFilter, list_tickets
from tests.conftest import new_ticket


def _numbers() -> list[str]:
    return [t.number for t in Ticket.select()]


def _value(number: str) -> int:
    return int(number.split("-")[1])


def _log(client, count: int, label: str) -> list[str]:
    client.open()
    return [log_ticket(client.session, new_ticket(summary=f"{label} {i}")).number
            for i in range(count)]


@pytest.mark.parametrize("count", [1, 100])
def test_the_first_desk_joins_with_its_tickets_and_goes_on_logging(clients, team_db, count):
    amy = clients("amy")
    before = _log(amy, count, "Amy")
    report = amy.sync()
    assert report.renumbered == []
    assert sorted(_numbers()) == sorted(before)  # nothing was renumbered
    after = _log(amy, 3, "Amy later")  # used to fail: UNIQUE constraint failed
    assert min(_value(n) for n in after) > max(_value(n) for n in before)
    assert len(set(_numbers())) == count + 3
    amy.sync()
    assert team_db.scalar("SELECT count(*) FROM desk.ticket_number") == count + 3


def test_the_first_desk_joins_with_ten_thousand_tickets(clients, team_db):
    amy = clients("amy")
    amy.open()
    remote = get_meta("remote")
    Meta.delete().where(Meta.key == "remote").execute()  # standalone while it logs
    write_demo_tickets(amy.session, 10_000)
    set_meta("remote", remote)
    highest = {p: max((_value(n) for n in _numbers() if n.startswith(p)), default=0)
               for p in ("INC", "REQ")}
    assert amy.sync().renumbered == []
    for block in NumberBlock.select():
        assert block.first > highest.get(block.prefix, 0)
    after = _log(amy, 2, "Amy later")
    assert all(_value(n) > highest["INC"] for n in after)
    assert team_db.scalar("SELECT next FROM desk.number_counter WHERE prefix = 'INC'") \
        > highest["INC"]


def test_the_server_counter_moves_past_numbers_of_every_width(clients, team_db):
    amy = clients("amy")
    amy.open()
    with team_db.login("tech_kim") as conn:
        conn.execute("SELECT * FROM desk.claim_numbers('dev', %s, %s)",
                     (["t1", "t2"], ["INC-1000005", "INC-000007"]))
    assert team_db.scalar("SELECT next FROM desk.number_counter WHERE prefix = 'INC'") \
        == 1_000_006


def test_renumbered_tickets_keep_the_order_they_were_logged_in(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    _log(amy, 40, "Amy")
    amy.sync()
    ben_first = _log(ben, 40, "Ben")
    report = ben.sync()
    moved = dict(report.renumbered)
    assert sorted(moved, key=ben_first.index) == sorted(moved, key=lambda n: _value(moved[n]))


def test_two_desks_with_overlapping_ranges(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    amy_first = _log(amy, 30, "Amy")
    ben_first = _log(ben, 200, "Ben")
    amy.sync()
    amy_offline = _log(amy, 5, "Amy offline")  # from amy's new block, not yet claimed
    ben.open()
    report = ben.sync()
    moved = dict(report.renumbered)
    # ben's numbers that amy holds or that lie in amy's block are renumbered; the
    # others (past amy's block) are ben's
    assert set(amy_first + amy_offline) <= set(moved)
    assert all(_value(new) > 200 for new in moved.values())
    for old, new in list(moved.items())[:5]:
        found = ticket_by_number(old)
        if old not in amy_first + amy_offline:
            assert found.number == new
        assert [r["number"] for r in list_tickets(TicketFilter(search=old))
                ].count(new) == 1
    assert len(set(_numbers())) == 30 + 200  # amy's offline tickets are not here yet
    assert _log(ben, 1, "Ben later")
    amy.open()
    amy_report = amy.sync()
    assert amy_report.renumbered == []  # amy's offline numbers were hers to keep
    assert sorted(t.number for t in Ticket.select() if t.summary.startswith("Amy")) \
        == sorted(amy_first + amy_offline)
    ben.open()
    ben.sync()
    numbers = _numbers()
    assert len(numbers) == len(set(numbers)) == 236
    assert ben_first  # ben kept every ticket


# A desk in its own process: logs a ticket and syncs, ``rounds`` times.
LOGGING_DESK = textwrap.dedent("""
    import json, sys
    from desk_app.app import open_desk
    from desk_app.services.intake import log_ticket
    from desk_app.storage.meta import set_meta
    from desk_app.sync.engine import run_sync
    from desk_app.sync.remote import RemoteSettings
    from tests.conftest import new_ticket
    folder, settings, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    settings = RemoteSettings.from_json(settings)
    desk = open_desk(folder, login="amy")
    set_meta("remote", settings.to_json())
    for i in range(rounds):
        log_ticket(desk.session, new_ticket(summary=f"Amy {i}"))
        run_sync(settings, "amy", block_size=5)
    from desk_app.storage.database import database
    print(json.dumps([r[0] for r in database.execute_sql("SELECT number FROM ticket")]))
    desk.close()
""")


def test_a_desk_joins_while_another_logs(clients, team_db, tmp_path):
    amy = clients("amy")
    _log(amy, 3, "Amy")
    amy.sync(block_size=5)
    amy.close()
    process = subprocess.Popen(
        [sys.executable, "-c", LOGGING_DESK, str(amy.folder),
         team_db.settings(amy.login).to_json(), "40"],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]),
             "TZ": "Europe/London", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ben = clients("ben")
    _log(ben, 60, "Ben")
    for _ in range(3):
        ben.sync(block_size=5)
        _log(ben, 2, "Ben later")
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    amy_numbers = json.loads(out.strip().splitlines()[-1])
    ben.sync()
    amy.open()
    amy.sync()
    ben.open()
    ben.sync()
    numbers = _numbers()
    assert len(numbers) == len(set(numbers)) == 3 + 40 + 60 + 6
    assert set(amy_numbers) <= set(numbers)
