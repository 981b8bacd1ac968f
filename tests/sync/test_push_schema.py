"""Versions 4 to 6 of the team database (a faster push): the change log keeps values
as the JSON text desks send, still checked to be well-formed; version 5 appends pushes
straight from the session's inbox and compares the log's keys bytewise; version 6
appends with a plain insert, skipping changes the log has only when a push repeats
one. Older databases upgrade by init with their changes intact."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.sync.errors import SchemaError
from desk_app.sync.outgoing import JsonText, send
from desk_app.sync.remote import connect
from desk_app.sync.server_schema import SCHEMA_VERSION, add_user, check_schema, init_server
from tests.team_database import OWNER, empty_database, ensure_login


def _send_as_before(conn, device: str, records: list[dict]) -> int:
    """A push as desk-app 3 and 4 made it: the caller's staging table and
    desk.push_staged (values as given: JSON-encoded unless already JSON text)."""
    with conn.transaction():
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS push_stage (op_id text, entity text, "
                     "row_id text, field text, value text, hlc text)")
        with conn.cursor().copy("COPY push_stage FROM STDIN") as copy:
            for r in records:
                value = r["value"] if isinstance(r["value"], JsonText) \
                    else json.dumps(r["value"])
                copy.write_row((r["op_id"], r["entity"], r["row_id"], r["field"], value,
                                r["hlc"]))
        return conn.execute("SELECT desk.push_staged(%s)", (device,)).fetchone()[0]


@contextmanager
def _team_made_by(postgres_url, monkeypatch, version: int) -> Iterator:
    """A team database as desk-app ``version`` made it, with the technician tech_kim
    and the administrator admin_ada."""
    from desk_app.sync import server_schema

    ensure_login(postgres_url, OWNER, "LOGIN CREATEROLE")
    with empty_database(postgres_url, OWNER) as team:
        with team.owner() as conn, monkeypatch.context() as older:
            older.setattr(server_schema, "SCHEMA_VERSION", version)
            init_server(conn)
            add_user(conn, "tech_kim", "technician", None)
            add_user(conn, "admin_ada", "admin", None)
        yield team


def _record(conn, value, entity: str = "ticket", field: str | None = None) -> dict:
    now = conn.execute("SELECT (extract(epoch FROM now()) * 1000)::bigint").fetchone()[0]
    return {"op_id": uuid7(), "entity": entity, "row_id": uuid7(), "field": field,
            "value": value, "hlc": Stamp(now, 0, "dev").encode()}


def test_a_value_that_is_not_json_is_refused_and_nothing_stored(team_db):
    with team_db.login("tech_kim") as conn:
        good = _record(conn, JsonText('{"id": "a", "summary": "Printer"}'))
        bad = _record(conn, JsonText('{"id": "b", "summary": '))
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            send(conn, "dev", [good, bad])
        assert send(conn, "dev", [good]) == 1
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE device_id = 'dev'") == 1
    assert team_db.scalar("SELECT value->>'summary' FROM desk.change "
                          "WHERE device_id = 'dev'") == "Printer"


def test_the_log_keeps_values_as_sent_without_compressing_small_rows(team_db):
    with team_db.owner() as conn:
        kind = conn.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                            "WHERE attrelid = 'desk.change'::regclass "
                            "AND attname = 'value'").fetchone()[0]
        options = conn.execute("SELECT reloptions FROM pg_class "
                               "WHERE oid = 'desk.change'::regclass").fetchone()[0]
        config = conn.execute("SELECT proconfig FROM pg_proc "
                              "WHERE proname = 'append_changes'").fetchone()[0]
    assert kind == "json"
    assert "toast_tuple_target=8160" in options
    assert "work_mem=256MB" in config


def test_a_version_3_team_database_upgrades_by_init(postgres_url, monkeypatch):
    from desk_app.sync import server_schema

    with _team_made_by(postgres_url, monkeypatch, 3) as team:
        with team.login("tech_kim") as conn:  # a push of version 3 (values as jsonb)
            before = _record(conn, {"id": "t1", "summary": "Old push", "tags": [1, 2]})
            assert _send_as_before(conn, "dev", [before]) == 1
        with team.owner() as conn:
            with pytest.raises(SchemaError, match="older than this desk-app needs"):
                check_schema(conn)
            assert init_server(conn) == (3, SCHEMA_VERSION)
            assert check_schema(conn)[0] == SCHEMA_VERSION == 6
        with team.login("tech_kim") as conn:
            after = _record(conn, JsonText('{"id": "t2", "summary": "New push"}'))
            assert send(conn, "dev", [before, after]) == 1  # the old one is not stored twice
            values = dict(conn.execute("SELECT op_id, value FROM desk.change").fetchall())
        assert values == {before["op_id"]: {"id": "t1", "summary": "Old push", "tags": [1, 2]},
                          after["op_id"]: {"id": "t2", "summary": "New push"}}
        with team.login("tech_kim") as conn, pytest.raises(psycopg.Error) as refused:
            send(conn, "dev", [_record(conn, JsonText('{"role": "admin"}'), "technician")])
        assert refused.value.sqlstate == server_schema.PEOPLE_REFUSED  # guards kept


def test_a_version_4_team_database_upgrades_to_5_keeping_its_log_and_guards(
        postgres_url, monkeypatch):
    from desk_app.sync import server_schema

    with _team_made_by(postgres_url, monkeypatch, 4) as team:
        with team.login("tech_kim") as conn:
            before = _record(conn, JsonText('{"id": "t1", "summary": "Pushed by 4"}'))
            assert _send_as_before(conn, "dev", [before]) == 1
        with team.owner() as conn:
            assert init_server(conn) == (4, SCHEMA_VERSION)
            collations = dict(conn.execute(
                "SELECT a.attname, c.collname FROM pg_attribute a "
                "JOIN pg_collation c ON c.oid = a.attcollation "
                "WHERE a.attrelid = 'desk.change'::regclass "
                "AND a.attname IN ('device_id', 'op_id', 'entity', 'row_id')").fetchall())
        assert collations == dict.fromkeys(("device_id", "op_id", "entity", "row_id"), "C")
        with team.login("tech_kim") as conn:
            after = _record(conn, JsonText('{"id": "t2", "summary": "Pushed by 5"}'))
            assert send(conn, "dev", [before, after]) == 1  # a cut push sent again: once
            values = dict(conn.execute("SELECT op_id, value::text FROM desk.change").fetchall())
            assert values == {before["op_id"]: '{"id": "t1", "summary": "Pushed by 4"}',
                              after["op_id"]: '{"id": "t2", "summary": "Pushed by 5"}'}
            for record, refused in (
                    (_record(conn, JsonText('{"id": "s1"}'), "service"),
                     server_schema.CATALOGUE_REFUSED),
                    (_record(conn, {"x": 1}, "policy_section", "value"),
                     server_schema.POLICY_REFUSED),
                    (_record(conn, JsonText('{"role": "admin"}'), "technician"),
                     server_schema.PEOPLE_REFUSED)):
                with pytest.raises(psycopg.Error) as error:
                    send(conn, "dev", [after, record])
                assert error.value.sqlstate == refused, record["entity"]
            ahead = dict(_record(conn, "x", "ticket", "summary"),
                         hlc=Stamp(10**13 - 1, 0, "dev").encode())
            with pytest.raises(psycopg.Error) as error:
                send(conn, "dev", [ahead])
            assert error.value.sqlstate == server_schema.CLOCK_REFUSED
        with team.login("admin_ada") as conn:
            assert send(conn, "dev", [_record(conn, JsonText('{"id": "s1"}'), "service")]) == 1
        assert team.scalar("SELECT count(*) FROM desk.change") == 3


def test_a_repeated_push_stores_only_what_the_log_lacks_and_says_how_many(team_db):
    """Version 6 appends with a plain insert and only falls back to skipping the
    changes the log has when a push repeats one (its acknowledgement was lost)."""
    with team_db.login("tech_kim") as conn:
        first = [_record(conn, JsonText(f'{{"id": "t{i}"}}')) for i in range(3)]
        assert send(conn, "dev", first) == 3
        again = [*first[1:], _record(conn, JsonText('{"id": "t3"}'))]
        assert send(conn, "dev", again) == 1
        assert send(conn, "dev", again) == 0
        assert send(conn, "other", first[:1]) == 1  # another device's op id is its own
    assert team_db.scalar("SELECT count(*) FROM desk.change "
                          "WHERE device_id IN ('dev', 'other')") == 5


def test_texts_that_look_like_the_pushs_own_separators_arrive_as_written(team_db):
    """Row ids, field names and values holding the push's delimiter and quote, tabs,
    newlines and backslashes are stored exactly as the desk has them."""
    awkward = "a\x01b\x02c\x02\x02d\te\nf\r\\N\\g"
    with team_db.login("tech_kim") as conn:
        record = dict(_record(conn, awkward, "ticket", "summary"), row_id=awkward)
        assert send(conn, "dev", [record]) == 1
        stored = conn.execute("SELECT row_id, field, value ->> 0 IS NULL, value #>> '{}' "
                              "FROM desk.change WHERE device_id = 'dev'").fetchone()
    assert stored == (awkward, "summary", True, awkward)


def test_the_push_inbox_keeps_a_pages_rows_uncompressed(team_db):
    with team_db.login("tech_kim") as conn:
        conn.execute("SELECT desk.open_push_inbox()")
        options = conn.execute("SELECT reloptions FROM pg_class "
                               "WHERE oid = 'pg_temp.push_inbox'::regclass").fetchone()[0]
    assert "toast_tuple_target=8160" in options


def test_a_version_5_team_database_upgrades_to_6_keeping_its_log(postgres_url, monkeypatch):
    from desk_app.sync import server_schema

    with _team_made_by(postgres_url, monkeypatch, 5) as team:
        with team.login("tech_kim") as conn:
            before = _record(conn, JsonText('{"id": "t1", "summary": "Pushed by 5"}'))
            assert send(conn, "dev", [before]) == 1
        with team.owner() as conn:
            assert init_server(conn) == (5, SCHEMA_VERSION) == (5, 6)
            index = conn.execute("SELECT indexdef FROM pg_indexes "
                                 "WHERE indexname = 'change_row'").fetchone()[0]
        assert index.endswith("(row_id)")
        with team.login("tech_kim") as conn:
            after = _record(conn, JsonText('{"id": "t2", "summary": "Pushed by 6"}'))
            assert send(conn, "dev", [before, after]) == 1  # a cut push sent again: once
            assert conn.execute("SELECT count(*) FROM desk.change WHERE row_id = %s",
                                (before["row_id"],)).fetchone()[0] == 1
            with pytest.raises(psycopg.Error) as refused:
                send(conn, "dev", [_record(conn, JsonText('{"id": "s1"}'), "service")])
            assert refused.value.sqlstate == server_schema.CATALOGUE_REFUSED
        assert team.scalar("SELECT count(*) FROM desk.change") == 2


def test_a_desks_session_holds_a_push_chunk_in_memory(team_db):
    """The push inbox is a temporary table: a desk's session takes up to 32 MB of
    temporary buffers (the default 8 MB made a first push's chunk go to disk and back),
    and a server that gives more keeps its own."""
    with connect(team_db.settings("tech_kim")) as conn:
        assert conn.execute("SHOW temp_buffers").fetchone()[0] == "32MB"
    with team_db.owner() as owner:
        owner.execute("ALTER ROLE tech_kim SET temp_buffers = '64MB'")
    try:
        with connect(team_db.settings("tech_kim"), autocommit=False) as conn:
            assert conn.execute("SHOW temp_buffers").fetchone()[0] == "64MB"
    finally:
        with team_db.owner() as owner:
            owner.execute("ALTER ROLE tech_kim RESET temp_buffers")


def test_a_version_written_as_an_edit_of_an_earlier_one_refuses_a_missing_piece():
    """A later function is written as edits of an earlier one's text: an edit whose
    piece is not there stops the import instead of shipping the earlier behaviour."""
    from desk_app.sync.server_schema import _edited

    assert _edited("a b a", ("a", "x"), ("b", "y", 1)) == "x y x"
    with pytest.raises(ValueError, match="'ON CONFLICT' is not in the text"):
        _edited("INSERT INTO t SELECT 1", ("ON CONFLICT", "x"))
