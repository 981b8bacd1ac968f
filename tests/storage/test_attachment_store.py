import errno
import hashlib
import os

import pytest

from desk_app.core.errors import DeskUnavailable, DiskFull
from desk_app.storage.attachment_store import ContentMismatch, ContentStore


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_content_is_stored_by_its_hash_and_once(tmp_path):
    store = ContentStore(tmp_path / "attachments")
    data = b"error log\n" * 100
    sha = hashlib.sha256(data).hexdigest()
    assert store.put_bytes(data) == (sha, len(data))
    source = tmp_path / "copy.log"
    source.write_bytes(data)
    assert store.put_file(source) == (sha, len(data))
    assert stored_files(store.root) == [f"{sha[:2]}/{sha[2:]}"]
    assert store.path_of(sha).read_bytes() == data


def test_a_stream_with_the_wrong_hash_is_not_stored(tmp_path):
    store = ContentStore(tmp_path / "attachments")
    expected = hashlib.sha256(b"the real bytes").hexdigest()
    with pytest.raises(ContentMismatch):
        store.put_stream([b"the ", b"false bytes"], expected=expected)
    assert stored_files(store.root) == []  # no temporary file left either


def test_a_crash_while_writing_leaves_nothing_under_a_hash_name(tmp_path):
    store = ContentStore(tmp_path / "attachments")

    def interrupted():
        yield b"first half"
        raise KeyboardInterrupt  # the process stops mid-write

    with pytest.raises(KeyboardInterrupt):
        store.put_stream(interrupted())
    assert stored_files(store.root) == []


def test_a_damaged_copy_is_dropped_when_read(tmp_path):
    store = ContentStore(tmp_path / "attachments")
    sha, _ = store.put_bytes(b"picture")
    store.path_of(sha).write_bytes(b"pictura")
    assert store.verified_path(sha) is None
    assert not store.has(sha)


def test_a_full_disk_is_a_clear_error_and_nothing_is_stored(tmp_path, monkeypatch):
    store = ContentStore(tmp_path / "attachments")
    real_fsync = os.fsync

    def full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull) as refused:
        store.put_bytes(b"x" * 1000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert "full" in refused.value.problem and "nothing was stored" in refused.value.advice
    assert stored_files(store.root) == []


def test_a_read_only_folder_is_a_clear_error(tmp_path, monkeypatch):
    import tempfile

    def read_only(**options):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)  # root writes into any folder
    with pytest.raises(DeskUnavailable, match="cannot be written"):
        ContentStore(tmp_path / "attachments").put_bytes(b"x")


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(DeskUnavailable, match="attachments folder"):
        ContentStore(blocker / "attachments").put_bytes(b"x")
    assert blocker.read_text().startswith("a file")
