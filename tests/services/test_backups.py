"""A backup carries the attachments' contents; one that cannot is not left half-made."""

import pytest

from desk_app.core.errors import DiskFull
from desk_app.services.attachments import attach_bytes
from desk_app.services.backups import attachments_beside, backup_desk
from desk_app.services.intake import log_ticket
from desk_app.storage.attachment_store import ContentStore
from tests.conftest import new_ticket


def test_every_stored_content_is_copied_beside_the_backup(session, tmp_path):
    number = log_ticket(session, new_ticket()).number
    attach_bytes(session, number, "a.txt", "text/plain", b"first", source="upload")
    attach_bytes(session, number, "b.txt", "text/plain", b"second", source="upload")
    written = backup_desk(tmp_path / "saved.sqlite3")
    copied = ContentStore(attachments_beside(written))
    assert len(list(copied.contents())) == 2


def test_a_full_disk_while_copying_attachments_leaves_no_backup(session, tmp_path,
                                                                  monkeypatch):
    number = log_ticket(session, new_ticket()).number
    attach_bytes(session, number, "a.txt", "text/plain", b"first", source="upload")

    def full(self, blocks, expected=None):
        raise DiskFull("the disk is full", "free some space")

    monkeypatch.setattr(ContentStore, "put_stream", full)
    with pytest.raises(DiskFull):
        backup_desk(tmp_path / "saved.sqlite3")
    assert list(tmp_path.glob("saved.sqlite3*")) == []
