"""Clocks days off, ticket numbers across devices, what a technician's login may do on
the server, and schema versions."""

from datetime import timedelta

import psycopg
import pytest

from desk_app.core.errors import PermissionDenied
from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.services import admin
from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.storage.models import Ticket
from desk_app.storage.numbering import TEMPORARY
from desk_app.storage.ticket_queries import TicketFilter, list_tickets
from desk_app.sync.engine import SyncError
from desk_app.sync.outgoing import send
from desk_app.sync.server_schema import SCHEMA_VERSION, SchemaError, init_server
from tests.conftest import new_ticket
from tests.sync.conftest import same_as_server, server_copy, synced_copy

DAYS_3 = timedelta(days=3)


def test_clocks_three_days_off_still_order_changes_and_converge(clients, team_db):
    fast, slow = clients("fast", skew=DAYS_3), clients("slow", skew=-DAYS_3)
    fast.open()
    number = log_ticket(fast.session, new_ticket(summary="Logged on a fast clock")).number
    report = fast.sync()  # stamps from before the first contact are corrected too
    assert "3.0 days ahead of the server" in " ".join(report.warnings)
    slow.open()
    report = slow.sync()
    assert "3.0 days behind the server" in " ".join(report.warnings)

    update_details(slow.session, number, {"summary": "First edit (slow clock)"})
    slow.later()
    fast.open()
    update_details(fast.session, number, {"summary": "Second edit (fast clock)"})
    fast.later()
    slow.open()
    update_details(slow.session, number, {"description": "Third edit (slow clock)"})
    for client in (slow, fast, slow, fast):
        client.open()
        client.sync()
    for client in (fast, slow):
        client.open()
        ticket = ticket_by_number(number)
        assert ticket.summary == "Second edit (fast clock)"  # real order, not clock order
        assert ticket.description == "Third edit (slow clock)"
    copy = synced_copy()
    fast.open()
    assert synced_copy() == copy
    assert same_as_server(copy, server_copy(team_db))
    newest = team_db.scalar("SELECT max(left(hlc, 13)::bigint) FROM desk.change")
    server_now = team_db.scalar("SELECT (extract(epoch FROM now()) * 1000)::bigint")
    assert newest <= server_now + 5 * 60 * 1000


def test_the_server_refuses_a_clock_far_in_its_future(team_db):
    future = Stamp(team_db.scalar("SELECT (extract(epoch FROM now()) * 1000)::bigint")
                   + 10 * 60 * 1000, 0, "dev").encode()
    with team_db.login("tech_kim") as conn, pytest.raises(psycopg.Error, match="clock"):
        send(conn, "dev", [{"op_id": uuid7(), "entity": "ticket", "row_id": "x",
                            "field": "summary", "value": "x", "hlc": future}])


def test_number_blocks_run_out_offline_then_temporary_numbers_are_renumbered(clients):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    amy.sync(block_size=3)
    ben.open()
    ben.sync(block_size=3)
    amy.open()
    amy_numbers = [log_ticket(amy.session, new_ticket(summary=f"Amy {i}")).number
                   for i in range(5)]
    temporary = [n for n in amy_numbers if TEMPORARY.match(n)]
    assert len(temporary) == 2 and len(set(amy_numbers)) == 5
    ben.open()
    ben_numbers = [log_ticket(ben.session, new_ticket(summary=f"Ben {i}")).number
                   for i in range(4)]
    assert len([n for n in ben_numbers if TEMPORARY.match(n)]) == 1

    renumbered = []
    for client in (amy, ben, amy):
        client.open()
        renumbered += client.sync(block_size=3).renumbered
    amy.open()
    numbers = [t.number for t in Ticket.select()]
    assert len(numbers) == 9 and len(set(numbers)) == 9
    assert not [n for n in numbers if TEMPORARY.match(n)]
    for old in temporary:  # the temporary number stays findable, on every desk
        found = ticket_by_number(old)
        assert found.number != old
        assert [r["number"] for r in list_tickets(TicketFilter(search=old))] == [found.number]
    ben.open()
    assert ticket_by_number(temporary[0]).summary.startswith("Amy")
    assert sorted(t.number for t in Ticket.select()) == sorted(numbers)
    assert sorted(old for old, _ in renumbered) == sorted(
        n for n in amy_numbers + ben_numbers if TEMPORARY.match(n))


def test_two_desks_that_worked_standalone_keep_numbers_unique(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    first = log_ticket(amy.session, new_ticket(summary="Amy standalone")).number
    ben.open()
    same = log_ticket(ben.session, new_ticket(summary="Ben standalone")).number
    assert first == same  # both issued INC-000001 on their own
    amy.open()
    amy.sync()
    ben.open()
    report = ben.sync()
    assert report.renumbered and report.renumbered[0][0] == same
    assert ticket_by_number(same).summary == "Amy standalone"  # the number is amy's
    renamed = report.renumbered[0][1]
    assert ticket_by_number(renamed).summary == "Ben standalone"
    amy.open()
    amy.sync()
    numbers = [t.number for t in Ticket.select()]
    assert len(numbers) == len(set(numbers)) == 2


def _push(conn, device, records):
    return send(conn, device, records)


def test_a_technician_login_cannot_rewrite_the_log_or_change_policy(clients, team_db):
    amy = clients("amy")
    amy.open()
    log_ticket(amy.session, new_ticket())
    amy.sync()
    stamp = Stamp(team_db.scalar("SELECT (extract(epoch FROM now()) * 1000)::bigint"), 0,
                  "dev").encode()
    with team_db.login("tech_kim") as conn:
        for statement in ("UPDATE desk.change SET value = '\"x\"'", "DELETE FROM desk.change",
                          "INSERT INTO desk.change (device_id, op_id, entity, row_id, hlc) "
                          "VALUES ('d', 'o', 'ticket', 'r', 'h')",
                          "UPDATE desk.schema_info SET version = 1"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        with pytest.raises(psycopg.Error, match="not an administrator"):
            _push(conn, "dev", [{"op_id": uuid7(), "entity": "policy_section",
                                 "row_id": "lifecycle", "field": "value",
                                 "value": {"reopen_window_days": 99}, "hlc": stamp}])
        forged = {"op_id": uuid7(), "entity": "ticket", "row_id": "r1", "field": "summary",
                  "value": "x", "hlc": stamp, "author": "admin_ada", "device_id": "other"}
        assert _push(conn, "dev", [forged]) == 1
    assert team_db.scalar("SELECT author FROM desk.change WHERE op_id = %s",
                          forged["op_id"]) == "tech_kim"
    assert team_db.scalar("SELECT device_id FROM desk.change WHERE op_id = %s",
                          forged["op_id"]) == "dev"
    with team_db.login("admin_ada") as conn:
        assert _push(conn, "dev", [{"op_id": uuid7(), "entity": "policy_section",
                                    "row_id": "lifecycle", "field": "value",
                                    "value": {"auto_close_grace_days": 3,
                                              "reopen_window_days": 9}, "hlc": stamp}]) == 1


def test_a_technician_desks_policy_edit_is_not_shared_and_the_team_policy_returns(clients):
    boss = clients("boss", login="admin_ada")
    boss.open()
    admin.change_policy(boss.session, {"lifecycle": {"reopen_window_days": 9,
                                                     "auto_close_grace_days": 3}})
    boss.sync()
    kim = clients("kim")  # a technician's login on the server, admin of her own desk
    kim.open()
    admin.change_policy(kim.session, {"lifecycle": {"reopen_window_days": 1,
                                                    "auto_close_grace_days": 3}})
    report = kim.sync()  # she joins with her edit
    assert any("not an administrator" in w for w in report.warnings)
    assert kim.session.policy.reopen_window == timedelta(days=9)  # the team's policy
    with pytest.raises(PermissionDenied, match="change policy needs one of: administrator"):
        admin.change_policy(kim.session, {"lifecycle": {"reopen_window_days": 2,
                                                        "auto_close_grace_days": 3}})
    boss.open()
    boss.sync()
    assert boss.session.policy.reopen_window == timedelta(days=9)


def test_an_older_client_is_refused_by_a_newer_server_schema(clients, team_db):
    amy = clients("amy")
    amy.open()
    with team_db.owner() as conn:
        conn.execute("UPDATE desk.schema_info SET version = 99")
        with pytest.raises(SchemaError, match="version 99, newer than this desk-app"):
            init_server(conn)
    with pytest.raises(SyncError, match="version 99, newer than this desk-app understands"):
        amy.sync()


def test_server_init_is_idempotent(team_db):
    with team_db.owner() as conn:
        assert init_server(conn) == (SCHEMA_VERSION, SCHEMA_VERSION)
        assert init_server(conn) == (SCHEMA_VERSION, SCHEMA_VERSION)
        assert conn.execute("SELECT count(*) FROM desk.schema_info").fetchone()[0] == 1
