"""Devices for sync tests: desks in their own folders, each with its own clock,
opened one at a time (the local database handle is per process), all syncing with a
fresh team database (tests/team_database.py)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desk_app.app import Desk, open_desk
from desk_app.storage.meta import set_meta
from tests.conftest import LONDON
from tests.team_database import TeamDatabase


@pytest.fixture(autouse=True)
def _keyring(memory_keyring):
    return memory_keyring


_OPEN: dict[str, "Client"] = {}


class Client:
    """One technician's device: a desk in its own folder, with its own clock, acting as
    the login it syncs with: ``login`` when given (tech_kim, admin_ada), else a login
    named after the device, made on the team database with ``role``."""

    def __init__(self, root: Path, name: str, team: TeamDatabase, login: str | None = None,
                 skew: timedelta = timedelta(0), role: str = "technician") -> None:
        self.name = name
        self.folder = root / name
        self.team = team
        if login is None:
            login = name
            team.add_login(name, role)
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
            self.desk = open_desk(self.folder, login=self.login, now_fn=self.now)
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
        return run_sync(self.team.settings(self.login), self.login, self.device_millis,
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
    the sections someone changed; every desk starts from the same defaults; ticket
    counters derived from the merged history)."""
    from desk_app.core.merge import (
        Change,
        history_by_ticket,
        resolve_rows,
        union_rows,
        with_derived,
    )
    from desk_app.sync.entities import ENTITIES
    from desk_app.sync.verify import canonical

    with team.owner() as conn:
        changes = [Change(*r) for r in conn.execute(
            "SELECT entity, row_id, field, value, hlc FROM desk.change ORDER BY txid, seq")]
    history = history_by_ticket([c for c in changes if c.entity == "history"])
    copy = {}
    for name, kind in ENTITIES.items():
        mine = [c for c in changes if c.entity == name]
        if kind.appended:
            rows = list(union_rows(mine).values())
        else:
            states = resolve_rows(mine)
            rows = [{kind.key: i, **s.values} for i, s in states.items()
                    if s.created or name == "policy_section"]
            if name == "ticket":
                rows = [with_derived(r, history.get(r["id"], [])) for r in rows]
        copy[name] = sorted(canonical(kind, r) for r in rows)
    return copy


def sync_all(*desks) -> None:
    """Sync every desk twice round (what one pulls, the next pushes on); each sync's
    verification must agree with the server."""
    for desk in (*desks, *desks):
        report = desk.sync()
        assert not report.repaired, report.warnings


def each_desk(team, *desks):
    """Open each desk in turn (yielded); at the end every desk holds the server's copy."""
    copies = []
    for desk in desks:
        desk.open()
        copies.append(synced_copy())
        yield desk
    assert all(copy == copies[0] for copy in copies)
    assert same_as_server(copies[0], server_copy(team))
