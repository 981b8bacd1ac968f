"""Version 4 of the team database (a faster push): the change log keeps values as the
JSON text desks send, still checked to be well-formed, and a version 3 database
upgrades to it by init with its changes intact."""

import psycopg
import pytest

from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.sync.errors import SchemaError
from desk_app.sync.outgoing import JsonText, send
from desk_app.sync.server_schema import SCHEMA_VERSION, add_user, check_schema, init_server
from tests.team_database import OWNER, empty_database, ensure_login


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

    ensure_login(postgres_url, OWNER, "LOGIN CREATEROLE")
    with empty_database(postgres_url, OWNER) as team:
        with team.owner() as conn, monkeypatch.context() as version_3:
            version_3.setattr(server_schema, "SCHEMA_VERSION", 3)  # as desk-app 3 made it
            init_server(conn)
            add_user(conn, "tech_kim", "technician", None)
        with team.login("tech_kim") as conn:  # a push of version 3 (values as jsonb)
            before = _record(conn, {"id": "t1", "summary": "Old push", "tags": [1, 2]})
            assert send(conn, "dev", [before]) == 1
        with team.owner() as conn:
            with pytest.raises(SchemaError, match="older than this desk-app needs"):
                check_schema(conn)
            assert init_server(conn) == (3, SCHEMA_VERSION)
            assert check_schema(conn)[0] == SCHEMA_VERSION == 5
        with team.login("tech_kim") as conn:
            after = _record(conn, JsonText('{"id": "t2", "summary": "New push"}'))
            assert send(conn, "dev", [before, after]) == 1  # the old one is not stored twice
            values = dict(conn.execute("SELECT op_id, value FROM desk.change").fetchall())
        assert values == {before["op_id"]: {"id": "t1", "summary": "Old push", "tags": [1, 2]},
                          after["op_id"]: {"id": "t2", "summary": "New push"}}
        with team.login("tech_kim") as conn, pytest.raises(psycopg.Error) as refused:
            send(conn, "dev", [_record(conn, JsonText('{"role": "admin"}'), "technician")])
        assert refused.value.sqlstate == server_schema.PEOPLE_REFUSED  # guards kept
