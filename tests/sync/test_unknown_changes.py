"""Changes in the team database's log that name a table this desk-app does not sync,
or a column a synced table lacks (a newer desk-app's, or a damaged or hostile push),
are skipped with one warning: they no longer stop every later pull."""

import time

from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.sync.outgoing import JsonText, send
from tests.conftest import new_ticket
from tests.sync.conftest import sync_all


def _stamp() -> str:
    return Stamp(int(time.time() * 1000), 0, "other").encode()


def test_a_change_naming_an_unknown_table_or_column_is_skipped_and_said(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Printer jam")).number
    sync_all(amy, ben)
    ticket_id = ticket_by_number(number).id
    with team_db.login("amy") as conn:  # what a newer or hostile desk could push
        assert send(conn, "other", [
            {"op_id": uuid7(), "entity": "bogus", "row_id": uuid7(), "field": None,
             "value": JsonText('{"id": "x"}'), "hlc": _stamp()},
            {"op_id": uuid7(), "entity": "ticket", "row_id": ticket_id,
             "field": "no_such_column", "value": "x", "hlc": _stamp()},
            {"op_id": uuid7(), "entity": "ticket", "row_id": ticket_id,
             "field": "summary", "value": "Printer jam on floor 3", "hlc": _stamp()},
        ]) == 3

    ben.open()
    report = ben.sync()

    assert report.pulled == 1 and not report.repaired
    assert [w for w in report.warnings if "skipped 2 change(s)" in w
            and "bogus" in w and "ticket.no_such_column" in w]
    assert ticket_by_number(number).summary == "Printer jam on floor 3"
    again = ben.sync(verify_all=True)  # the next pull goes on past them
    assert not again.repaired and not [w for w in again.warnings if "skipped" in w]


def test_a_desk_that_learns_a_skipped_table_gets_its_rows_at_the_next_sync(
        clients, team_db, monkeypatch):
    """The pull moves past what it skips; once the desk-app knows the table (an
    upgrade), the next sync checks everything and brings the rows it skipped."""
    from desk_app.services.worklog import add_worklog
    from desk_app.storage.models import Worklog
    from desk_app.sync.entities import ENTITIES

    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Printer jam")).number
    sync_all(amy, ben)
    amy.open()
    add_worklog(amy.session, number, "Cleared the paper path", minutes=5)
    amy.sync()

    with monkeypatch.context() as older:  # ben's desk-app does not sync worklog yet
        older.delitem(ENTITIES, "worklog")
        ben.open()
        report = ben.sync()
        assert [w for w in report.warnings if "skipped 1 change(s)" in w and "worklog" in w]
        assert Worklog.select().where(Worklog.note == "Cleared the paper path").count() == 0

    ben.sync()  # upgraded: it knows worklog now

    assert Worklog.select().where(Worklog.note == "Cleared the paper path").count() == 1
    assert not [w for w in ben.sync().warnings if "skipped" in w]
