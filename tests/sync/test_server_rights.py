"""``server init`` and ``server add-user`` without a superuser: a database owner with
CREATEROLE, an owner with group roles an administrator created beforehand, and a
clear refusal naming the missing right otherwise. Every server function works for
technician logins."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import psycopg
import pytest
from psycopg import sql

from desk_app.core.hlc import Stamp
from desk_app.core.ids import uuid7
from desk_app.services import admin
from desk_app.services.intake import log_ticket
from desk_app.sync.errors import SetupRefused
from desk_app.sync.outgoing import send
from desk_app.sync.server_schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    TeamRoles,
    add_user,
    check_setup_rights,
    init_server,
    team_roles,
)
from tests.conftest import new_ticket
from tests.sync.conftest import client_factory, same_as_server, server_copy, synced_copy
from tests.team_database import OWNER, TeamDatabase, empty_database, ensure_login


def _superuser(postgres_url: str, statement: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(statement)


@contextmanager
def _roles(postgres_url: str, *options: str) -> Iterator[list[str]]:
    """Fresh role names (created by the superuser WITH the options given, one per
    option string; '' leaves the name unused); dropped afterwards."""
    names = [f"r_{uuid.uuid4().hex[:10]}" for _ in options]
    for name, option in zip(names, options, strict=True):
        if option:
            ensure_login(postgres_url, name, option)
    try:
        yield names
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            for name in reversed(names):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def _stamp(conn) -> str:
    now = conn.execute("SELECT (extract(epoch FROM now()) * 1000)::bigint").fetchone()[0]
    return Stamp(now, 0, "dev").encode()


def test_the_team_database_and_its_logins_hold_no_superuser(team_db):
    with team_db.owner() as conn:
        supers = conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolsuper AND rolname = ANY(%s)",
            ([team_db.owner_login, "tech_kim", "admin_ada"],)).fetchall()
        assert supers == []
        definers = conn.execute(
            """SELECT p.proname, p.proconfig FROM pg_proc p
               JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'desk' AND p.prosecdef""").fetchall()
        assert {name for name, _ in definers} >= {"append_changes", "claim_numbers",
                                                  "reserve_numbers", "is_team_admin",
                                                  "open_push_inbox", "append_inbox"}
        for name, config in definers:  # every definer function pins its search_path
            assert "search_path=desk, pg_temp" in (config or []), name
        invoker = conn.execute("SELECT prosecdef FROM pg_proc WHERE proname = 'push_staged'"
                               ).fetchone()[0]
        assert invoker is False  # it reads the caller's own staging table


def test_logins_read_only_what_a_desk_reads(team_db):
    """The change log and the schema's version; the number bookkeeping and the team's
    role names are the server functions' business (least privilege)."""
    for login in ("tech_kim", "admin_ada"):
        with team_db.login(login) as conn:
            conn.execute("SELECT count(*) FROM desk.change, desk.schema_info")
            for table in ("ticket_number", "number_block", "number_counter", "team_role"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(f"SELECT 1 FROM desk.{table}")


def test_a_technician_login_pushes_through_an_inbox_it_may_only_insert_into(team_db):
    """The push inbox is the schema owner's temporary table: the technician may insert
    into it and nothing else (no reading, no trigger, rule or policy of their own that
    would run when the owner's function reads it)."""
    with team_db.login("tech_kim") as conn:
        record = {"op_id": uuid7(), "entity": "ticket", "row_id": "r1", "field": "summary",
                  "value": "x", "hlc": _stamp(conn)}
        assert send(conn, "dev", [record]) == 1
        assert send(conn, "dev", [record]) == 0  # idempotent, the same inbox again
        owner = conn.execute("SELECT tableowner FROM pg_tables WHERE tablename = "
                             "'push_inbox' AND schemaname LIKE 'pg_temp%'").fetchone()[0]
        assert owner == team_db.owner_login
        for statement in ("SELECT * FROM pg_temp.push_inbox",
                          "DELETE FROM pg_temp.push_inbox",
                          "ALTER TABLE pg_temp.push_inbox ENABLE ROW LEVEL SECURITY",
                          "CREATE RULE r AS ON INSERT TO pg_temp.push_inbox DO INSTEAD NOTHING",
                          "CREATE TRIGGER t BEFORE INSERT ON pg_temp.push_inbox "
                          "FOR EACH ROW EXECUTE FUNCTION desk.refuse_catalogue_change()"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(statement)
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE device_id = 'dev'") == 1


def test_a_session_with_a_push_inbox_of_its_own_is_refused(team_db):
    """A technician's own table in the inbox's place (one they could hang code on) is
    never read by the owner's function: the push is refused and nothing stored."""
    with team_db.login("tech_kim") as conn:
        conn.execute("CREATE TEMP TABLE push_inbox (op_id text, entity text, row_id text, "
                     "field text, value text, hlc text)")
        record = {"op_id": uuid7(), "entity": "ticket", "row_id": "r1", "field": "summary",
                  "value": "x", "hlc": _stamp(conn)}
        with pytest.raises(psycopg.errors.RaiseException, match="push_inbox of its own"):
            send(conn, "dev", [record])
        conn.execute("INSERT INTO pg_temp.push_inbox VALUES ('o', 'ticket', 'r', NULL, "
                     "'{}', %s)", (_stamp(conn),))
        with pytest.raises(psycopg.errors.RaiseException, match="push_inbox of its own"):
            conn.execute("SELECT desk.append_inbox('dev')")
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE device_id = 'dev'") == 0


def test_init_refuses_without_createrole_when_the_roles_do_not_exist(postgres_url):
    with _roles(postgres_url, "LOGIN", "", "") as (owner, tech, boss), \
            empty_database(postgres_url, owner) as team, team.owner() as conn:
        with pytest.raises(SetupRefused, match=f"{owner} has no CREATEROLE right") as refused:
            init_server(conn, tech, boss)
        assert f'CREATE ROLE "{tech}" NOLOGIN;' in str(refused.value)
        assert "--technician-role" in str(refused.value)
        assert conn.execute("SELECT to_regnamespace('desk')").fetchone()[0] is None


def test_the_sql_init_asks_for_is_the_sql_that_lets_it_succeed(postgres_url):
    """The refusal's SQL, run as written by the server's administrator, is all init
    needs; roles under the default names need no option afterwards."""
    with _roles(postgres_url, "LOGIN") as (owner,), \
            empty_database(postgres_url, owner) as team, team.owner() as conn:
        roles = TeamRoles.default(team.name)
        with pytest.raises(SetupRefused) as refused:
            init_server(conn)
        message = str(refused.value)
        assert f'GRANT "{roles.technician}" TO "{roles.admin}";' in message
        assert "--technician-role" not in message
        statements = message.split("runs: ", 1)[1].split(" then ", 1)[0]
        _superuser(postgres_url, statements)
        assert init_server(conn)[1] == SCHEMA_VERSION
        assert team_roles(conn) == roles


def test_init_refuses_a_login_without_create_on_the_database(postgres_url, team_db):
    with _roles(postgres_url, "LOGIN CREATEROLE") as (stranger,), \
            empty_database(postgres_url, team_db.owner_login) as team:
        with psycopg.connect(team.url(stranger), autocommit=True) as conn, \
                pytest.raises(SetupRefused, match=f"{stranger} has no CREATE right on the "
                                                  f"database {team.name}"):
            init_server(conn)
        with psycopg.connect(team_db.url(stranger), autocommit=True) as conn, \
                pytest.raises(SetupRefused, match=f"the desk schema belongs to "
                                                  f"{team_db.owner_login}"):
            init_server(conn)


def test_init_refuses_a_login_without_temporary_on_the_database(postgres_url):
    """The schema's owner makes each session's push inbox (a temporary table)."""
    with _roles(postgres_url, "LOGIN CREATEROLE") as (owner,), \
            empty_database(postgres_url, OWNER) as team:
        with psycopg.connect(postgres_url, dbname=team.name, autocommit=True) as admin:
            admin.execute(sql.SQL("REVOKE TEMPORARY ON DATABASE {} FROM PUBLIC").format(
                sql.Identifier(team.name)))
            admin.execute(sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(
                sql.Identifier(team.name), sql.Identifier(owner)))
        with psycopg.connect(team.url(owner), autocommit=True) as conn:
            with pytest.raises(SetupRefused, match=f"{owner} has no TEMPORARY right on the "
                                                   f"database {team.name}; an administrator "
                                                   "runs: GRANT TEMPORARY"):
                init_server(conn)
            assert conn.execute("SELECT to_regclass('desk.change')").fetchone()[0] is None


def test_init_refuses_postgresql_older_than_13():
    old = SimpleNamespace(info=SimpleNamespace(server_version=120011, user="o", dbname="d"))
    with pytest.raises(SetupRefused, match="PostgreSQL 12; desk-app needs PostgreSQL 13"):
        check_setup_rights(old)


def test_an_owner_without_createrole_works_with_roles_made_beforehand(
        postgres_url, tmp_path, memory_keyring, monkeypatch):
    """A managed service: the administrator creates the group roles and the logins; the
    owner (no CREATEROLE) names the roles to init, and add-user says what to run."""
    monkeypatch.setenv("TZ", "Europe/London")
    with _roles(postgres_url, "LOGIN", "NOLOGIN", "NOLOGIN", "", "") as (
            owner, tech, boss, lee, max_), empty_database(postgres_url, owner) as team:
        with team.owner() as conn:
            assert init_server(conn, technician_role=tech, admin_role=boss)[1] >= 2
            assert init_server(conn) == init_server(conn)  # the names are remembered
            with pytest.raises(SetupRefused) as refused:
                add_user(conn, lee, "technician", "pw")
            assert f'CREATE ROLE "{lee}" LOGIN PASSWORD' in str(refused.value)
            assert f'GRANT "{tech}" TO "{lee}";' in str(refused.value)
            with pytest.raises(SetupRefused, match=f'GRANT "{boss}" TO "{max_}";'):
                add_user(conn, max_, "admin", None)
        for login, groups in ((lee, [tech]), (max_, [tech, boss])):  # the administrator
            ensure_login(postgres_url, login, "LOGIN")
            for group in groups:
                _superuser(postgres_url, f'GRANT "{group}" TO "{login}"')
        _sync_two_desks(TeamDatabase(team.server_url, team.name, owner), tmp_path, lee, max_)


def _sync_two_desks(team: TeamDatabase, root, technician: str, administrator: str) -> None:
    with client_factory(root, team) as make:
        lee, max_ = make("lee", login=technician), make("max", login=administrator)
        lee.open()
        log_ticket(lee.session, new_ticket(summary="Printer jams"))
        lee.sync()
        max_.open()
        admin.change_policy(max_.session, {"lifecycle": {"reopen_window_days": 9,
                                                         "auto_close_grace_days": 3}})
        max_.sync()
        assert max_.session.role == "administrator"  # a team administrator
        lee.open()
        assert lee.sync().pulled > 0
        assert lee.session.role == "service_desk"  # no longer administrator of her desk
        assert lee.session.policy.reopen_window.days == 9
        assert same_as_server(synced_copy(), server_copy(team))


def test_an_owner_given_admin_option_on_the_roles_adds_users_itself(postgres_url):
    with _roles(postgres_url, "LOGIN CREATEROLE", "NOLOGIN", "NOLOGIN", "") as (
            owner, tech, boss, lee), empty_database(postgres_url, owner) as team:
        for group in (tech, boss):
            _superuser(postgres_url, f'GRANT "{group}" TO "{owner}" WITH ADMIN OPTION')
        with team.owner() as conn:
            init_server(conn, technician_role=tech, admin_role=boss)
            assert add_user(conn, lee, "technician", "pw") is True
            assert conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (lee, tech)
                                ).fetchone()[0]


def test_a_technician_login_cannot_change_technicians_on_the_server(team_db):
    with team_db.login("tech_kim") as conn:
        stamp = _stamp(conn)
        demote = {"op_id": uuid7(), "entity": "technician", "row_id": "t1", "field": "role",
                  "value": "support", "hlc": stamp}
        with pytest.raises(psycopg.Error, match="technicians: tech_kim is not an "
                                                "administrator of the team database"):
            send(conn, "dev", [demote])
        boss = {"op_id": uuid7(), "entity": "technician", "row_id": "t2", "field": None,
                "value": {"id": "t2", "login": "kim2", "role": "administrator"}, "hlc": stamp}
        with pytest.raises(psycopg.Error, match="technicians: tech_kim"):
            send(conn, "dev", [boss])
        manager = dict(boss, op_id=uuid7(), value={"id": "t2", "login": "kim2",
                                                   "role": "incident_manager"})
        with pytest.raises(psycopg.Error, match="technicians: tech_kim"):
            send(conn, "dev", [manager])  # a manager's rights are the team's to give
        newcomer = dict(boss, op_id=uuid7(), value={"id": "t2", "login": "kim2",
                                                    "role": "support"})
        assert send(conn, "dev", [newcomer]) == 1  # a person the team does not know yet
        again = dict(newcomer, op_id=uuid7(), value={"id": "t2", "login": "kim2",
                                                     "role": "service_desk"})
        with pytest.raises(psycopg.Error, match="technicians: tech_kim"):
            send(conn, "dev", [again])  # ...but only once: then the row is the team's
    with team_db.login("admin_ada") as conn:
        assert send(conn, "dev", [dict(demote, op_id=uuid7())]) == 1


def test_a_version_1_database_upgrades_keeping_its_server_wide_roles(postgres_url):
    tag = uuid.uuid4().hex[:8]
    tech, boss = f"v1_tech_{tag}", f"v1_boss_{tag}"
    ensure_login(postgres_url, OWNER, "LOGIN CREATEROLE")
    ensure_login(postgres_url, "desk_technician", "NOLOGIN")
    ensure_login(postgres_url, "desk_admin", "NOLOGIN IN ROLE desk_technician")
    ensure_login(postgres_url, tech, "LOGIN IN ROLE desk_technician")
    ensure_login(postgres_url, boss, "LOGIN IN ROLE desk_technician, desk_admin")
    try:
        with empty_database(postgres_url, OWNER) as team:
            with team.owner() as conn:  # what version 1's init left behind
                for statement in MIGRATIONS[1]:
                    conn.execute(statement)
                conn.execute("INSERT INTO desk.schema_info (version, server_id) "
                             "VALUES (1, 'old')")
                conn.execute("GRANT USAGE ON SCHEMA desk TO desk_technician")
                assert init_server(conn) == (1, SCHEMA_VERSION)
                assert team_roles(conn) == TeamRoles("desk_technician", "desk_admin")
            with team.login(tech) as conn:
                assert send(conn, "dev", [{"op_id": uuid7(), "entity": "ticket",
                                           "row_id": "r", "field": "summary", "value": "x",
                                           "hlc": _stamp(conn)}]) == 1
                assert conn.execute("SELECT desk.is_team_admin()").fetchone()[0] is False
            with team.login(boss) as conn:
                assert conn.execute("SELECT desk.is_team_admin()").fetchone()[0] is True
    finally:
        for login in (tech, boss):
            _superuser(postgres_url, f'DROP ROLE IF EXISTS "{login}"')
