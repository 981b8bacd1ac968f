"""desk-app backup and restore through the real command line."""

import json
import os
import shutil
import sqlite3
import threading
from datetime import datetime

import pytest

from tests.cli.test_commands import LOG
from tests.cli.test_environment_failures import LOG as ENV_LOG
from tests.cli.test_environment_failures import desk_app


def _summaries(tmp_path) -> list[str]:
    with sqlite3.connect(tmp_path / "desk" / "desk.sqlite3") as con:
        return sorted(r[0] for r in con.execute("SELECT summary FROM ticket"))


def test_backup_then_restore_brings_the_desk_back_and_keeps_the_current_one(run, tmp_path):
    assert run(*LOG)[0] == 0
    code, out, err = run("backup", str(tmp_path / "saved.sqlite3"), "--json")
    assert code == 0, err
    assert json.loads(out)["backup"] == str(tmp_path / "saved.sqlite3")
    run(*LOG[:2], "Logged after the backup", *LOG[3:])
    assert _summaries(tmp_path) == ["Laptop will not boot", "Logged after the backup"]

    code, out, err = run("restore", str(tmp_path / "saved.sqlite3"))
    assert code == 0, err
    assert "restored" in out and "kept in" in out
    assert _summaries(tmp_path) == ["Laptop will not boot"]
    aside = [p for p in (tmp_path / "desk").iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1
    with sqlite3.connect(aside[0]) as con:
        assert con.execute("SELECT count(*) FROM ticket").fetchone()[0] == 2
    code, out, _ = run("log", *LOG[1:], "--json")  # the restored desk works on
    assert code == 0


def test_backup_into_a_folder_names_a_dated_file_and_never_overwrites(run, tmp_path):
    run(*LOG)
    code, out, _ = run("backup", str(tmp_path))
    assert code == 0 and "backed up the desk to" in out
    written = out.strip().rsplit(" ", 1)[1]
    assert written.endswith(".sqlite3")
    code, _, err = run("backup", written)
    assert code == 2 and "refused: path:" in err and "exists already" in err
    code, _, err = run("backup", str(tmp_path / "no-such-folder" / "x.sqlite3"))
    assert code == 2 and "does not exist" in err


def test_backup_is_consistent_while_another_connection_writes(run, tmp_path):
    run(*LOG)
    desk = tmp_path / "desk" / "desk.sqlite3"
    stop = threading.Event()

    def write() -> None:  # another process's writer (the window), seen as a connection
        con = sqlite3.connect(desk, timeout=30)
        while not stop.is_set():
            with con:
                con.execute("INSERT INTO meta (key, value) VALUES ('noise', '1') "
                            "ON CONFLICT (key) DO UPDATE SET value = value + 1")
        con.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for index in range(3):
            code, _, err = run("backup", str(tmp_path / f"copy{index}.sqlite3"))
            assert code == 0, err
    finally:
        stop.set()
        writer.join()
    for index in range(3):
        with sqlite3.connect(tmp_path / f"copy{index}.sqlite3") as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert con.execute("SELECT count(*) FROM ticket").fetchone()[0] == 1


def test_restore_refuses_what_is_not_a_desk_or_is_newer_and_changes_nothing(run, tmp_path):
    run(*LOG)
    run(*LOG[:2], "Second", *LOG[3:])
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    run("backup", str(tmp_path / "newer.sqlite3"))
    with sqlite3.connect(tmp_path / "newer.sqlite3") as con:
        con.execute("INSERT INTO schema_migration (name, applied) "
                    "VALUES ('0099_future', '2030-01-01')")
    for path, reason in ((text, "is not a desk-app database"),
                         (other, "is not a desk-app database"),
                         (tmp_path / "missing.sqlite3", "is not a file"),
                         (tmp_path / "newer.sqlite3", "newer desk-app (0099_future")):
        code, _, err = run("restore", str(path))
        assert code == 2 and "refused: path:" in err and reason in err, (path, err)
    assert _summaries(tmp_path) == ["Laptop will not boot", "Second"]
    assert not [p for p in (tmp_path / "desk").iterdir() if ".before-restore-" in p.name]


def test_a_backup_is_one_file_and_restoring_it_leaves_its_folder_as_it_was(run, tmp_path):
    """A backup on a read-only share or a CD: one self-contained file (no WAL), read
    without writing anything next to it."""
    run(*LOG)
    folder = tmp_path / "backups"
    folder.mkdir()
    code, _, err = run("backup", str(folder / "saved.sqlite3"))
    assert code == 0, err
    with sqlite3.connect(folder / "saved.sqlite3") as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in folder.iterdir()) == ["saved.sqlite3"]
    code, _, err = run("restore", str(folder / "saved.sqlite3"))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["saved.sqlite3"]
    assert run("log", *LOG[1:])[0] == 0  # the restored desk works on


def test_a_wal_backup_in_a_folder_nothing_may_write_to_is_still_read(tmp_path, monkeypatch):
    """Older backups kept the desk's WAL mode; where the folder refuses the -shm file
    (read-only media, or a user without write access) the file is read as immutable."""
    from desk_app.storage import backup

    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = wal")
    for table in ("meta (key, value)", "ticket (id)", "schema_migration (name)",
                  "outbox (op_id)", "policy_section (id)"):
        con.execute(f"CREATE TABLE {table}")
    con.execute("INSERT INTO meta VALUES ('device_id', 'd1')")
    con.commit()
    con.close()
    real_connect = sqlite3.connect

    def read_only_folder(database, *args, **kwargs):  # SQLite there, without -shm
        if "immutable=1" not in str(database):
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(backup.sqlite3, "connect", read_only_folder)
    found = backup.read_desk_file(path)
    assert (found.device_id, found.tickets) == ("d1", 0)


def test_an_empty_path_is_refused_and_writes_nothing_in_the_current_folder(
        run, tmp_path, monkeypatch):
    run(*LOG)
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    for command in ("backup", "restore"):
        code, _, err = run(command, "  ")
        assert code == 2, err
        assert "path" in err and "empty" in err and "Traceback" not in err
    assert list(here.iterdir()) == []
    assert _summaries(tmp_path) == ["Laptop will not boot"]


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None,
                    reason="root ignores file permissions and setpriv is missing")
def test_an_unwritable_backup_folder_and_an_unreadable_backup_name_the_path(tmp_path):
    """Neither blames the data folder, which is fine."""
    desk = tmp_path / "desk"
    assert desk_app(desk, *ENV_LOG).returncode == 0
    saved = tmp_path / "saved.sqlite3"
    assert desk_app(desk, "backup", str(saved)).returncode == 0
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    saved.chmod(0o000)
    try:
        for args in (("backup", str(locked / "x.sqlite3")), ("backup", str(locked)),
                     ("restore", str(saved))):
            result = desk_app(desk, *args, as_ordinary_user=True)
            assert result.returncode == 2, result.stderr
            assert "path:" in result.stderr and "data folder" not in result.stderr
            assert "Traceback" not in result.stderr
        assert "cannot write in the folder" in desk_app(
            desk, "backup", str(locked), as_ordinary_user=True).stderr
        assert "cannot read" in desk_app(
            desk, "restore", str(saved), as_ordinary_user=True).stderr
        assert list(locked.iterdir()) == []
        assert not [p for p in desk.iterdir() if "before-restore" in p.name]
    finally:
        locked.chmod(0o755)
        saved.chmod(0o644)


def test_two_restores_in_the_same_second_each_keep_the_desk_as_it_was(
        run, tmp_path, monkeypatch):
    class _FrozenClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 30, 14, 0, 0, tzinfo=tz)

    monkeypatch.setattr("desk_app.storage.backup.datetime", _FrozenClock)
    run(*LOG)
    saved = str(tmp_path / "saved.sqlite3")
    assert run("backup", saved)[0] == 0
    results = [run("restore", saved) for _ in range(3)]
    assert [code for code, _, _ in results] == [0, 0, 0], results
    aside = [p for p in (tmp_path / "desk").iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 3
    assert _summaries(tmp_path) == ["Laptop will not boot"]


def test_a_backup_inside_a_file_says_the_file_is_not_a_folder(run, tmp_path):
    run(*LOG)
    plain = tmp_path / "notes.txt"
    plain.write_text("mine")
    code, _, err = run("backup", str(plain / "x.sqlite3"))
    assert code == 2 and f"path: {plain} is a file, not a folder" in err, err
    assert plain.read_text() == "mine"


def test_a_backup_carries_the_attachments_and_a_restore_brings_them_back(run, tmp_path):
    code, out, _ = run(*LOG, "--json")
    number = json.loads(out)["number"]
    photo = tmp_path / "screen.png"
    photo.write_bytes(b"\x89PNG not really" * 100)
    assert run("attach", number, str(photo))[0] == 0
    code, out, err = run("backup", str(tmp_path / "saved.sqlite3"))
    assert code == 0, err
    saved_files = [p for p in (tmp_path / "saved.sqlite3.attachments").rglob("*")
                   if p.is_file()]
    assert len(saved_files) == 1 and saved_files[0].read_bytes() == photo.read_bytes()

    shutil.rmtree(tmp_path / "desk" / "attachments")  # the disk that held them is gone
    code, out, err = run("restore", str(tmp_path / "saved.sqlite3"))
    assert code == 0, err
    assert "brought back 1 attachment file(s)" in out
    listed = json.loads(run("attachments", number, "--json")[1])
    (tmp_path / "out").mkdir()
    code, out, err = run("attachment", "get", listed[0]["id"], "--out",
                         str(tmp_path / "out"))
    assert code == 0, err
    assert (tmp_path / "out" / "screen.png").read_bytes() == photo.read_bytes()


def test_a_damaged_file_in_a_backup_is_not_restored_over_a_good_one(run, tmp_path):
    code, out, _ = run(*LOG, "--json")
    number = json.loads(out)["number"]
    note = tmp_path / "note.txt"
    note.write_text("the router's serial number")
    assert run("attach", number, str(note))[0] == 0
    assert run("backup", str(tmp_path / "saved.sqlite3"))[0] == 0
    (saved,) = [p for p in (tmp_path / "saved.sqlite3.attachments").rglob("*")
                if p.is_file()]
    saved.write_text("bit rot")
    shutil.rmtree(tmp_path / "desk" / "attachments")
    code, out, err = run("restore", str(tmp_path / "saved.sqlite3"))
    assert code == 0, err
    assert "attachment file" not in out
    assert not any(p.is_file() for p in (tmp_path / "desk").rglob("attachments/*/*"))


def test_a_backup_of_a_desk_without_attachments_makes_no_folder(run, tmp_path):
    assert run(*LOG)[0] == 0
    assert run("backup", str(tmp_path / "saved.sqlite3"))[0] == 0
    assert not (tmp_path / "saved.sqlite3.attachments").exists()
