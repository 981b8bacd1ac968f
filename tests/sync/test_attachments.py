"""Attachments between two desks through a real team database: the row syncs with
the ticket, the content goes up in chunks after the push and comes down checked, on
demand or ahead of time for my tickets; a damaged chunk is never stored."""

import hashlib
import os

import psycopg
import pytest

from desk_app.core.errors import Refused
from desk_app.services import workflow
from desk_app.services.attachments import (
    attach_bytes,
    content_path,
    content_store,
    list_attachments,
)
from desk_app.services.intake import log_ticket
from desk_app.sync import attachment_content
from desk_app.sync.errors import SchemaError
from desk_app.sync.server_schema import SCHEMA_VERSION, check_schema, init_server
from tests.conftest import new_ticket
from tests.team_database import OWNER, empty_database, ensure_login

DATA = os.urandom(10_000)  # ten chunks of 1000 bytes with the chunk size below
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    monkeypatch.setattr(attachment_content, "CHUNK_BYTES", 1000)


def _shared_ticket(amy, ben, assignee=None):
    """A ticket with a file, made on amy's desk and synced to ben's."""
    for client in (amy, ben, amy):
        client.open()
        client.sync()
    ticket = log_ticket(amy.session, new_ticket(summary="Screen flickers"))
    if assignee:
        workflow.assign(amy.session, ticket.number, technician=assignee)
    attach_bytes(amy.session, ticket, "flicker.mp4", "video/mp4", DATA, source="upload")
    amy.sync()
    ben.open()
    ben.sync()
    return ticket.number


def test_a_file_added_on_one_desk_opens_on_the_other(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    number = _shared_ticket(amy, ben)
    assert team_db.scalar("SELECT count(*) FROM desk.attachment_chunk WHERE sha256 = %s",
                          SHA) == 10
    assert team_db.scalar("SELECT size FROM desk.attachment_content WHERE sha256 = %s",
                          SHA) == len(DATA)
    [info] = list_attachments(ben.session, number)
    assert (info.name, info.size, info.by, info.here) == ("flicker.mp4", len(DATA), "amy",
                                                          False)
    path = content_path(info.id)  # opened: fetched on demand
    assert path.read_bytes() == DATA
    assert list_attachments(ben.session, number)[0].here


def test_my_tickets_files_come_ahead_of_time(clients):
    amy, ben = clients("amy"), clients("ben")
    number = _shared_ticket(amy, ben, assignee="ben")
    [info] = list_attachments(ben.session, number)
    assert info.here  # the sync fetched it: ben's ticket, prefetch on by default


def test_an_upload_is_not_sent_twice(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    _shared_ticket(amy, ben)
    amy.open()
    amy.sync()
    with team_db.owner() as conn:
        assert conn.execute("SELECT count(*) FROM desk.attachment_content").fetchone()[0] == 1


def test_a_damaged_chunk_on_the_server_is_refused_and_nothing_stored(clients, team_db):
    amy, ben = clients("amy"), clients("ben")
    number = _shared_ticket(amy, ben)
    with team_db.owner() as conn:  # the disk under the server flips bytes
        conn.execute("ALTER TABLE desk.attachment_chunk DROP CONSTRAINT attachment_chunk_hash")
        conn.execute("UPDATE desk.attachment_chunk SET data = %s WHERE sha256 = %s AND idx = 3",
                     (b"\0" * 1000, SHA))
    ben.open()
    [info] = list_attachments(ben.session, number)
    with pytest.raises(Refused, match="damaged"):
        content_path(info.id)
    store = content_store()
    assert not store.has(SHA)
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_a_chunk_that_does_not_match_its_hash_is_refused_by_the_server(team_db):
    block = b"x" * 100
    with team_db.login("tech_kim") as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO desk.attachment_chunk (sha256, chunk_bytes, idx, "
                     "chunk_sha256, data) VALUES (%s, 100, 0, %s, %s)",
                     ("a" * 64, hashlib.sha256(b"y").digest(), block))


def test_technicians_may_not_change_or_remove_contents(team_db):
    with team_db.login("tech_kim") as conn:
        for statement in ("UPDATE desk.attachment_chunk SET idx = 1",
                          "DELETE FROM desk.attachment_content"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_a_version_2_team_database_upgrades_by_init(postgres_url, monkeypatch):
    from desk_app.sync import server_schema

    ensure_login(postgres_url, OWNER, "LOGIN CREATEROLE")
    with empty_database(postgres_url, OWNER) as team, team.owner() as conn:
        with monkeypatch.context() as version_2:  # as a desk-app of version 2 made it
            version_2.setattr(server_schema, "SCHEMA_VERSION", 2)
            init_server(conn)
        with pytest.raises(SchemaError, match="older than this desk-app needs"):
            check_schema(conn)
        assert init_server(conn) == (2, SCHEMA_VERSION)
        team_roles = conn.execute("SELECT role_name FROM desk.team_role "
                                  "WHERE kind = 'technician'").fetchone()[0]
        assert conn.execute("SELECT has_table_privilege(%s, 'desk.attachment_chunk', "
                            "'INSERT')", (team_roles,)).fetchone()[0]
        assert check_schema(conn)[0] == SCHEMA_VERSION


def test_a_desk_that_moves_to_another_team_sends_its_files_there_too(clients, postgres_url,
                                                                     tmp_path):
    from desk_app.services.team_sync import leave_team
    from tests.sync.conftest import client_factory
    from tests.team_database import fresh_team

    amy = clients("amy")
    amy.open()
    amy.sync()
    ticket = log_ticket(amy.session, new_ticket(summary="Badge reader dead"))
    attach_bytes(amy.session, ticket, "reader.jpg", "image/jpeg", DATA, source="upload")
    amy.sync()
    leave_team(amy.session)
    amy.close()
    with fresh_team(postgres_url) as other, client_factory(amy.folder.parent, other) as make:
        moved = make("amy")  # the same folder, now syncing with another team
        moved.open()
        moved.sync()
        assert other.scalar("SELECT count(*) FROM desk.attachment_content WHERE sha256 = %s",
                            SHA) == 1


def test_a_file_whose_content_has_not_arrived_yet_is_no_sync_warning(clients):
    amy, ben = clients("amy"), clients("ben")
    for client in (amy, ben, amy):
        client.open()
        client.sync()
    ticket = log_ticket(amy.session, new_ticket(summary="Scanner offline"))
    workflow.assign(amy.session, ticket.number, technician="ben")
    row = attach_bytes(amy.session, ticket, "scan.pdf", "application/pdf", DATA)
    content_store().path_of(row.sha256).unlink()  # its content cannot go up this time
    amy.sync()
    ben.open()
    report = ben.sync()
    assert report.warnings == []
    [info] = list_attachments(ben.session, ticket.number)
    assert not info.here


def test_desks_that_cut_a_content_differently_never_mix_their_chunks(team_db, tmp_path):
    from desk_app.storage.attachment_store import ContentStore

    store = ContentStore(tmp_path / "up")
    store.put_bytes(DATA)
    with team_db.login("tech_kim") as conn:
        # an older desk sent two chunks of 3000 bytes, then stopped
        for index in range(2):
            attachment_content._send_chunk(conn, SHA, 3000, index,
                                           DATA[index * 3000:(index + 1) * 3000])
        assert attachment_content.upload(conn, store, SHA, len(DATA)) == len(DATA)
        fetched = ContentStore(tmp_path / "down")
        assert attachment_content.download(conn, fetched, SHA) == len(DATA)
    assert fetched.path_of(SHA).read_bytes() == DATA


def test_a_damaged_local_copy_is_never_sent_under_its_name(clients, team_db):
    amy = clients("amy")
    amy.open()
    amy.sync()
    ticket = log_ticket(amy.session, new_ticket(summary="Router config"))
    row = attach_bytes(amy.session, ticket, "running.cfg", "text/plain", DATA)
    content_store().path_of(row.sha256).write_bytes(b"flipped bits")
    report = amy.sync()
    assert any("not sent" in warning for warning in report.warnings)
    assert team_db.scalar("SELECT count(*) FROM desk.attachment_chunk") == 0
