"""Failures of the machine around the desk: each ends in exit 1 with what to do, no
traceback, and nothing written. Each runs the real command in its own process (a
file-size limit or dropped privileges must not touch the test process)."""

import hashlib
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

LOG = ["log", "--summary", "Printer jam", "--description", "Paper stuck " * 300,
       "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
       "--service", "Printing", "--impact", "low", "--urgency", "low"]


def desk_app(folder: Path, *args: str, limit_bytes: int | None = None,
             as_ordinary_user: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, DESK_APP_TECHNICIAN="alice", TZ="Europe/London",
               DESK_APP_LOG_DIR=str(folder.parent / "logs"))
    command = [sys.executable, "-m", "desk_app", "--data-dir", str(folder), *args]
    if as_ordinary_user and os.geteuid() == 0:
        # root writes into read-only folders; without these capabilities it cannot
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                   "--inh-caps=-dac_override,-dac_read_search", "--", *command]

    def cap_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60,
                          preexec_fn=cap_file_size if limit_bytes else None)


def assert_environment_failure(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "what to do:" in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def existing_desk(tmp_path) -> Path:
    folder = tmp_path / "desk"
    assert desk_app(folder, *LOG).returncode == 0
    return folder


def ticket_count(folder: Path) -> int:
    con = sqlite3.connect(folder / "desk.sqlite3")
    try:
        return con.execute("SELECT COUNT(*) FROM ticket").fetchone()[0]
    finally:
        con.close()


def test_a_text_file_in_place_of_the_database(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "desk.sqlite3").write_text("my shopping list\n")
    before = fingerprint(folder)
    assert_environment_failure(desk_app(folder, "list"), "is damaged or is not a desk-app "
                               "database", "move it aside")
    assert fingerprint(folder) == before


def test_a_damaged_database(existing_desk):
    path = existing_desk / "desk.sqlite3"
    with path.open("r+b") as damaged:
        damaged.seek(100)
        damaged.write(b"\xff" * 8000)  # the schema page and beyond
    before = fingerprint(existing_desk)
    assert_environment_failure(desk_app(existing_desk, "list"), "is damaged")
    assert_environment_failure(desk_app(existing_desk, *LOG), "is damaged")
    assert fingerprint(existing_desk) == before


def test_a_database_written_by_a_newer_desk_app(existing_desk):
    con = sqlite3.connect(existing_desk / "desk.sqlite3")
    con.execute("INSERT INTO schema_migration (name, applied) "
                "VALUES ('0099_from_the_future', '2030-01-01')")
    con.commit()
    con.close()
    before = fingerprint(existing_desk)
    result = desk_app(existing_desk, *LOG)
    assert_environment_failure(result, "written by a newer desk-app (0099_from_the_future",
                               "install the newer version")
    assert fingerprint(existing_desk) == before
    assert ticket_count(existing_desk) == 1


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None,
                    reason="root ignores folder permissions and setpriv is missing")
def test_a_read_only_data_folder(existing_desk, tmp_path):
    existing_desk.chmod(0o555)
    parent = tmp_path / "locked"
    parent.mkdir(mode=0o555)
    try:
        before = fingerprint(existing_desk)
        assert_environment_failure(desk_app(existing_desk, *LOG, as_ordinary_user=True),
                                   "cannot be written", "make it writable")
        assert_environment_failure(desk_app(existing_desk, "list", as_ordinary_user=True),
                                   "cannot be written")
        assert fingerprint(existing_desk) == before
        # a new desk inside a folder nobody may write
        assert_environment_failure(desk_app(parent / "desk", "status",
                                            as_ordinary_user=True), "cannot be written")
        assert not (parent / "desk").exists()
    finally:
        existing_desk.chmod(0o755)
        parent.chmod(0o755)
    assert ticket_count(existing_desk) == 1


def test_a_full_disk(existing_desk):
    """A file-size limit below what the write needs: SQLite reports it as an I/O error
    (on a full disk as "database or disk is full", which peewee's failed rollback
    used to hide behind "cannot rollback")."""
    limit = 40_000  # below the WAL a long ticket needs, above what opening needs
    result = desk_app(existing_desk, *LOG, limit_bytes=limit)
    assert_environment_failure(result, "is full", "free some space")
    assert ticket_count(existing_desk) == 1
    assert desk_app(existing_desk, "list").returncode == 0  # the desk is intact
