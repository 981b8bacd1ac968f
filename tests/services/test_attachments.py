import hashlib
import json

import pytest

from desk_app.core.errors import InvalidValue, NotFound, Refused
from desk_app.services.admin import change_policy
from desk_app.services.attachments import (
    attach_bytes,
    attach_files,
    content_path,
    content_store,
    list_attachments,
    save_copy,
)
from desk_app.services.intake import log_ticket
from desk_app.storage.models import Attachment, Outbox, Worklog

from ..conftest import new_ticket


def files_in(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_files_are_attached_listed_and_queued_for_sync(session, tmp_path):
    ticket = log_ticket(session, new_ticket())
    log = tmp_path / "vpn.log"
    log.write_text("connection reset\n")
    shot = tmp_path / "error.png"
    shot.write_bytes(b"\x89PNG fake")
    made = attach_files(session, ticket.number, [log, shot])
    listed = list_attachments(session, ticket.number)
    assert [(a.name, a.size, a.by, a.source, a.here) for a in listed] == [
        ("vpn.log", 17, "alice", "upload", True), ("error.png", 9, "alice", "upload", True)]
    assert listed[1].content_type == "image/png" and listed[1].is_image
    assert listed[1].sha256 == hashlib.sha256(b"\x89PNG fake").hexdigest()
    queued = Outbox.select().where(Outbox.entity == "attachment")
    assert {q.row_id for q in queued} == {ticket.id}
    assert sorted(i for q in queued for i in json.loads(q.value)) == sorted(a.id for a in made)


def test_the_same_file_on_two_tickets_is_stored_once(session):
    first = log_ticket(session, new_ticket())
    second = log_ticket(session, new_ticket(summary="Printer jams"))
    attach_bytes(session, first, "a.txt", "text/plain", b"same bytes", source="email")
    attach_bytes(session, second.number, "b.txt", None, b"same bytes", source="email")
    assert Attachment.select().count() == 2
    assert len(files_in(content_store().root)) == 1


def test_an_unsafe_name_is_stored_safe(session):
    ticket = log_ticket(session, new_ticket())
    row = attach_bytes(session, ticket, "../../etc/passwd", "text/plain", b"root:x:0:0")
    assert row.name == "passwd"


def test_a_file_over_the_limit_is_refused_naming_the_limit_and_nothing_is_stored(session,
                                                                                 tmp_path):
    ticket = log_ticket(session, new_ticket())
    change_policy(session, {"attachments": {"max_size_mb": 1}})
    big = tmp_path / "dump.bin"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    small = tmp_path / "ok.txt"
    small.write_text("fine")
    with pytest.raises(InvalidValue, match=r"over the limit of 1 MB.*attachments.max_size_mb"):
        attach_files(session, ticket.number, [small, big])
    with pytest.raises(InvalidValue, match="over the limit"):
        attach_bytes(session, ticket, "dump.bin", None, b"\0" * (1024 * 1024 + 1))
    assert Attachment.select().count() == 0
    assert files_in(content_store().root) == []


def test_missing_files_and_tickets_are_refused(session, tmp_path):
    ticket = log_ticket(session, new_ticket())
    with pytest.raises(InvalidValue, match="does not exist"):
        attach_files(session, ticket.number, [tmp_path / "nope.txt"])
    with pytest.raises(InvalidValue, match="is not a file"):
        attach_files(session, ticket.number, [tmp_path])
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(NotFound):
        attach_files(session, "INC-999999", [tmp_path / "a.txt"])
    with pytest.raises(InvalidValue, match="source"):
        attach_bytes(session, ticket, "a.txt", None, b"x", source="carrier pigeon")
    assert Attachment.select().count() == 0


def test_a_copy_is_written_once_unless_forced_and_into_a_folder_by_its_name(session,
                                                                            tmp_path):
    ticket = log_ticket(session, new_ticket())
    row = attach_bytes(session, ticket, "report.txt", "text/plain", b"version 1")
    out = tmp_path / "out"
    out.mkdir()
    assert save_copy(row.id, out) == out / "report.txt"
    with pytest.raises(Refused, match="exists; use --force"):
        save_copy(row.id, out / "report.txt")
    (out / "report.txt").write_text("changed")
    save_copy(row.id, out / "report.txt", force=True)
    assert (out / "report.txt").read_bytes() == b"version 1"


def test_a_damaged_local_copy_without_a_team_database_is_refused_clearly(session):
    ticket = log_ticket(session, new_ticket())
    row = attach_bytes(session, ticket, "a.txt", "text/plain", b"original")
    content_store().path_of(row.sha256).write_bytes(b"damaged!")
    with pytest.raises(Refused, match="no team database"):
        content_path(row.id)


def test_a_full_disk_refuses_the_file_and_records_nothing(session, monkeypatch):
    import errno
    import os

    from desk_app.core.errors import DiskFull

    ticket = log_ticket(session, new_ticket())

    def full(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull, match="attachments folder"):
        attach_bytes(session, ticket, "a.txt", "text/plain", b"some bytes")
    monkeypatch.undo()
    assert Attachment.select().count() == 0
    assert not Outbox.select().where(Outbox.entity == "attachment").exists()
    assert files_in(content_store().root) == []


def test_attaching_joins_a_running_activity_mail_import_style(session):
    from desk_app.core.permissions import Permission
    from desk_app.services.session import activity
    from desk_app.services.worklog import write_worklog

    @activity(Permission.WORKLOG)
    def import_message(context, number, files):
        from desk_app.services.lookup import ticket_by_number

        ticket = ticket_by_number(number)
        write_worklog(context, ticket, "email from Bob: files attached", "email")
        return [attach_bytes(context, ticket, name, None, data, source="email")
                for name, data in files]

    change_policy(session, {"attachments": {"max_size_mb": 1}})
    ticket = log_ticket(session, new_ticket())
    [row] = import_message(session, ticket.number, [("shot.png", b"\x89PNG")])
    assert (row.source, row.by, row.content_type) == ("email", "alice", "image/png")
    with pytest.raises(InvalidValue, match="over the limit"):  # the whole message rolls back
        import_message(session, ticket.number, [("a.txt", b"fine"),
                                                ("big.bin", b"\0" * (1024 * 1024 + 1))])
    assert Attachment.select().count() == 1
    assert Worklog.select().where(Worklog.kind == "email").count() == 1
