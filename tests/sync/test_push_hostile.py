"""A hostile review of the first push (CSV lines SQLite writes, version 6's plain
insert, the session's temporary buffers): framing, repeats, guards and sessions."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database
from desk_app.storage.models import Worklog
from desk_app.sync import engine, identity, outgoing, server_schema
from desk_app.sync.engine import SyncError
from desk_app.sync.entities import owner
from desk_app.sync.remote import PUSH_TEMP_BUFFERS, _hold_a_push_in_memory
from tests.conftest import new_ticket


@pytest.mark.parametrize("autocommit", [True, False])
def test_a_session_that_used_temporary_tables_already_still_connects(team_db, autocommit):
    """A pooled server session may have used temporary tables before the desk asks for
    more buffers, which PostgreSQL then refuses: the desk keeps the session's buffers
    and the session stays usable."""
    with psycopg.connect(team_db.url("tech_kim"), autocommit=autocommit) as conn:
        conn.execute("CREATE TEMP TABLE used_before (a int)")
        conn.execute("INSERT INTO used_before VALUES (1)")
        conn.commit()
        _hold_a_push_in_memory(conn)
        assert conn.execute("SELECT pg_size_bytes(current_setting('temp_buffers'))"
                            ).fetchone()[0] < PUSH_TEMP_BUFFERS
        assert conn.execute("SELECT count(*) FROM used_before").fetchone()[0] == 1


def _push_what_the_desk_queued(conn) -> int:
    """Push the open desk's whole outbox as the engine does: its change records as the
    CSV lines SQLite writes, sent in one COPY."""
    batch = outgoing.change_records(outgoing.read_pending())
    return outgoing.send_batch(conn, "dev", batch.copy_text)


def _queue_raw(op_id: str, entity: str, row_id: str, field: str | None,
               value: str | None, hlc: str | None = None) -> None:
    """An outbox entry as written into the desk's file (a damaged one included)."""
    hlc = hlc or database.execute_sql("SELECT max(hlc) FROM outbox").fetchone()[0]
    database.execute_sql("INSERT INTO outbox (op_id, entity, row_id, field, value, hlc, "
                         "device_id) VALUES (?, ?, ?, ?, ?, ?, 'dev')",
                         (op_id, entity, row_id, field, value, hlc))


# Texts a desk can hold: the push's delimiter and quote, line ends, PostgreSQL's
# end-of-data marker on a line of its own, backslashes, other control characters,
# characters outside the BMP; long ones too.
_TEXTS = st.lists(st.one_of(
    st.sampled_from(["\x01", "\x02", "\r", "\n", "\\", ".", "\\.", "\n\\.\n", '"', ",",
                     "\x7f", "\x1f", "\U0001F600", "\u2028", "{", "}", "[", "]"]),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    max_size=20).map("".join)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS, long=st.booleans())
def test_any_text_in_ids_fields_and_values_is_logged_exactly(session, team_db, text, long):
    """Op ids, row ids, field names and values (a field change's, a new ticket's row
    and its appended rows) arrive in the log exactly as the desk holds them: one record
    per change, nothing shifted into a neighbouring field."""
    text = text * 2000 if long and text else text
    database.execute_sql("DELETE FROM outbox")  # what an example before left
    ticket = log_ticket(session, new_ticket())
    add_worklog(session, ticket.number, "note")
    with database.atomic():
        database.execute_sql("UPDATE ticket SET summary = ? WHERE id = ?", (text, ticket.id))
        database.execute_sql("UPDATE worklog SET note = ? WHERE ticket_id = ?",
                             (text, ticket.id))
        created = database.execute_sql("SELECT op_id FROM outbox WHERE entity = 'ticket' "
                                       "AND field IS NULL").fetchone()[0]
        database.execute_sql("UPDATE outbox SET op_id = ? WHERE op_id = ?",
                             (created + text, created))
        _queue_raw("op" + text, "ticket", "row" + text, "field" + text, json.dumps(text))
    expected = {"op" + text: ("row" + text, "field" + text, text),
                created + text: (ticket.id, None, text),
                "worklog": (ticket.id, None, text)}

    with team_db.login("tech_kim") as conn:
        device = f"dev{uuid7()}"
        batch = outgoing.change_records(outgoing.read_pending())
        assert outgoing.send_batch(conn, device, batch.copy_text) == batch.records
        logged = conn.execute(
            "SELECT op_id, row_id, field, value::text FROM desk.change WHERE device_id = %s",
            (device,)).fetchall()

    found = {}
    for op_id, row_id, field, value in logged:
        value = json.loads(value)
        if op_id == created + text:
            value = value["summary"]
        elif op_id.endswith(":worklog"):
            assert op_id.startswith(created + text)
            op_id, value = "worklog", value[0]["note"]
        elif op_id.endswith(":history"):
            continue
        found[op_id] = (row_id, field, value)
    assert found == expected


def test_a_field_change_without_a_value_is_not_sent(session):
    """A desk queues a field set to nothing as JSON ``null``; an entry whose value is
    missing (a damaged outbox) is not pushed: stored without a value, it made every
    other desk's pull fail on the ticket's NOT NULL columns."""
    ticket = log_ticket(session, new_ticket())
    with database.atomic():
        queued = outgoing.read_pending()
        outgoing.acknowledge(queued)
        _queue_raw("damaged", "ticket", ticket.id, "updated_at", None, queued[0].hlc)
        _queue_raw("kept", "ticket", ticket.id, "contact", "null", queued[0].hlc)

    batch = outgoing.change_records(outgoing.read_pending())

    assert batch.records == 1 and b"damaged" not in batch.copy_text
    assert batch.copy_text.startswith(outgoing.QUOTE.encode() + b"kept")


def _change(conn, entity: str = "ticket", field: str | None = None,
            value: object = None) -> dict:
    now = conn.execute("SELECT (extract(epoch FROM now()) * 1000)::bigint").fetchone()[0]
    row_id = str(uuid7())
    return {"op_id": str(uuid7()), "entity": entity, "row_id": row_id, "field": field,
            "value": value if value is not None else outgoing.JsonText(
                json.dumps({"id": row_id, "role": "admin"})),
            "hlc": Stamp(now, 0, "dev").encode()}


@pytest.mark.parametrize(("entity", "field", "value", "refused"), [
    ("service", None, None, server_schema.CATALOGUE_REFUSED),
    ("policy_section", "value", {"x": 1}, server_schema.POLICY_REFUSED),
    ("technician", None, None, server_schema.PEOPLE_REFUSED)])
def test_a_technicians_chunk_mixing_tickets_with_the_administrators_rows_is_refused(
        team_db, entity, field, value, refused):
    """Version 6's plain insert (no repeat in the chunk) still runs every guard: the
    whole chunk is refused and nothing of it stored."""
    with team_db.login("tech_kim") as conn:
        chunk = [_change(conn), _change(conn, entity, field, value), _change(conn)]
        with pytest.raises(psycopg.Error) as error:
            outgoing.send(conn, "dev", chunk)
    assert error.value.sqlstate == refused
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE device_id = 'dev'") == 0


def test_a_chunk_holding_one_op_id_twice_stores_it_once(team_db):
    with team_db.login("tech_kim") as conn:
        first, second = _change(conn), _change(conn)
        assert outgoing.send(conn, "dev", [first, second, first]) == 2
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE device_id = 'dev'") == 2


def test_two_sessions_pushing_the_same_changes_at_once_store_them_once(team_db):
    """A desk's copy restored elsewhere pushes under the same device id: the second
    push waits for the first, then skips what it stored."""
    with team_db.login("tech_kim") as first, team_db.login("tech_kim") as second:
        chunk = [_change(first) for _ in range(3)]
        first.autocommit = False
        first.execute("SELECT 1")  # a transaction the push only adds a savepoint to
        assert outgoing.send(first, "dev", chunk) == 3
        with ThreadPoolExecutor(max_workers=1) as pool:
            waiting = pool.submit(outgoing.send, second, "dev", chunk)
            time.sleep(0.3)
            assert not waiting.done()  # held by the first push's keys
            first.commit()
            assert waiting.result(timeout=30) == 0
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE device_id = 'dev'") == 3


def test_a_row_appended_after_a_push_lost_its_acknowledgement_still_reaches_the_team(
        clients, team_db, monkeypatch):
    """The server stored a new ticket with its rows, the desk never heard: the retry
    sends the ticket's rows again. A note added in between must go with them (under the
    same op id as before, the server skipped it and only the check's repair saved it)."""
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    amy.sync()
    number = log_ticket(amy.session, new_ticket()).number
    add_worklog(amy.session, number, "first note")
    acknowledge = outgoing.acknowledge

    def cut(entries):
        raise OSError("cut after the server committed")

    monkeypatch.setattr(outgoing, "acknowledge", cut)
    with pytest.raises(SyncError):
        amy.sync()
    monkeypatch.setattr(outgoing, "acknowledge", acknowledge)
    add_worklog(amy.session, number, "second note")

    report = amy.sync(verify_all=True)

    assert not report.repaired and not report.warnings
    ben.open()
    ben.sync()
    notes = Worklog.select().where(Worklog.ticket == ticket_by_number(number).id)
    assert sorted(w.note for w in notes) == ["first note", "second note"]


def test_a_push_in_chunks_checks_every_row_it_touched(clients, team_db, monkeypatch):
    """However the push is cut into chunks (sent while the next is read), every row an
    entry touched is checked against the team database afterwards."""
    amy = clients("amy")
    amy.open()
    amy.sync()
    old = log_ticket(amy.session, new_ticket(summary="Pushed before")).number
    amy.sync()
    numbers = [log_ticket(amy.session, new_ticket(summary=f"New {i}")).number
               for i in range(4)]
    add_worklog(amy.session, old, "appended to a ticket the team has")
    update_details(amy.session, numbers[0], {"contact": "changed"})
    expected = {owner(e.entity, e.row_id) for e in outgoing.read_pending()}
    monkeypatch.setattr(engine, "PUSH_CHUNK", 2)
    checked = []
    real_check = engine.Sync.check

    def recording_check(sync, verify_all):
        checked.append(set(sync.touched))
        return real_check(sync, verify_all)

    monkeypatch.setattr(engine.Sync, "check", recording_check)
    report = amy.sync()
    assert not report.repaired
    assert checked and expected <= checked[0]


@pytest.mark.parametrize(("entity", "field"), [("ticket", "contact"), ("worklog", None)])
def test_an_outbox_value_that_is_not_json_is_refused_naming_the_entry(session, entity,
                                                                      field):
    ticket = log_ticket(session, new_ticket())
    with database.atomic():
        queued = outgoing.read_pending()
        outgoing.acknowledge(queued)
        _queue_raw("damaged-op", entity, ticket.id, field, '["cut', queued[0].hlc)

    with pytest.raises(SyncError, match=r"outbox entry damaged-op .*not JSON"):
        outgoing.change_records(outgoing.read_pending())


def test_pushes_cut_twice_leave_the_desks_count_of_its_changes_exact(
        clients, team_db, monkeypatch):
    """Each retry of a push whose acknowledgement was lost stores the rows appended in
    between: the desk's count of its changes on the server (how it recognises a copy of
    its file) ends equal to the server's, not above it."""
    amy = clients("amy")
    amy.open()
    amy.sync()
    number = log_ticket(amy.session, new_ticket()).number
    acknowledge = outgoing.acknowledge

    def cut(entries):
        raise OSError("cut after the server committed")

    monkeypatch.setattr(outgoing, "acknowledge", cut)
    for note in ("first", "second"):
        add_worklog(amy.session, number, note)
        with pytest.raises(SyncError):
            amy.sync()
    monkeypatch.setattr(outgoing, "acknowledge", acknowledge)
    report = amy.sync()

    assert not report.new_identity
    device = identity.device_id()
    with team_db.login("amy") as conn:
        assert identity.pushed_count(device) == identity.server_count(conn, device)


def test_empty_texts_arrive_as_empty_not_as_missing(session, team_db):
    """An empty row id or field name is quoted (PostgreSQL reads an empty unquoted
    field as NULL): it arrives as the empty text it is."""
    log_ticket(session, new_ticket())  # an entry whose stamp the raw one takes
    with database.atomic():
        queued = outgoing.read_pending()
        outgoing.acknowledge(queued)
        _queue_raw("empty", "ticket", "", "", json.dumps(""), queued[0].hlc)
    batch = outgoing.change_records(outgoing.read_pending())
    with team_db.login("tech_kim") as conn:
        assert outgoing.send_batch(conn, "dev", batch.copy_text) == 1
        logged = conn.execute("SELECT row_id, field, value::text FROM desk.change "
                              "WHERE device_id = 'dev'").fetchall()
    assert logged == [("", "", '""')]
