"""server init / add-user, remote set / test, sync and sync status through the real
command line, against a real PostgreSQL."""

import json
import logging

from desk_app.sync.server_schema import SCHEMA_VERSION


def test_server_init_is_idempotent_and_add_user_creates_a_login(run, team_db, monkeypatch):
    code, out, _ = run("server", "init", "--url", team_db.url())
    assert code == 0 and f"up to date (version {SCHEMA_VERSION})" in out
    monkeypatch.setenv("NEW_PASSWORD", "s3cret")
    code, out, _ = run("server", "add-user", "tech_lee", "--role", "technician",
                       "--password-env", "NEW_PASSWORD", "--url", team_db.url())
    assert code == 0 and "login tech_lee created as technician" in out
    assert team_db.scalar("SELECT pg_has_role('tech_lee', %s, 'MEMBER')",
                          f"{team_db.name}_technician")
    assert not team_db.scalar("SELECT pg_has_role('tech_lee', %s, 'MEMBER')",
                              f"{team_db.name}_admin")
    code, _, err = run("server", "add-user", "Bad Name", "--no-password", "--url", team_db.url())
    assert code == 2 and "refused: name:" in err


def test_server_init_refuses_a_newer_schema(run, team_db):
    with team_db.owner() as conn:
        conn.execute("UPDATE desk.schema_info SET version = 7")
    code, _, err = run("server", "init", "--url", team_db.url())
    assert code == 1 and "schema version 7, newer than this desk-app" in err


def test_remote_set_keeps_the_password_in_the_keyring_only(run, team_db, tmp_path,
                                                           memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)
    url = team_db.remote_url("tech_kim").replace("tech_kim@", "tech_kim:Pa55word@")
    code, out, _ = run("-v", "remote", "set", url)
    assert code == 0 and "Pa55word" not in out
    assert list(memory_keyring.passwords.values()) == ["Pa55word"]
    stored = (tmp_path / "desk" / "desk.sqlite3").read_bytes()
    wal = tmp_path / "desk" / "desk.sqlite3-wal"
    assert b"Pa55word" not in stored + (wal.read_bytes() if wal.exists() else b"")
    assert "Pa55word" not in caplog.text

    code, out, _ = run("remote", "test")
    assert code == 0
    assert f"reachable, schema version {SCHEMA_VERSION}" in out and "clock" in out
    code, out, _ = run("remote", "test", "--json")
    check = json.loads(out)
    assert check["reachable"] and check["schema_version"] == SCHEMA_VERSION
    assert abs(check["clock_offset_ms"]) < 60_000


def test_remote_set_refuses_a_bad_url_and_changes_nothing(run):
    code, _, err = run("remote", "set", "mysql://x@y/z")
    assert code == 2 and "url: must start with postgresql://" in err
    code, _, err = run("remote", "set", "postgresql://kim@host/db?sslmode=sometimes")
    assert code == 2 and "sslmode" in err
    code, out, _ = run("sync", "status")
    assert "none (work is local only)" in out


def test_remote_test_says_what_is_wrong_when_unreachable(run):
    run("remote", "set", "postgresql://kim@127.0.0.1:1/desk")
    code, out, _ = run("remote", "test")
    assert code == 1 and "unreachable" in out


def test_sync_and_sync_status(run, team_db):
    run("log", "--summary", "Synced from the CLI", "--description", "d", "--reporter", "Bob",
        "--contact", "bob@example.com", "--channel", "phone", "--service", "Workplace",
        "--impact", "low", "--urgency", "low", "--category", "Hardware",
        "--subcategory", "Laptop")
    code, out, _ = run("sync", "status")
    assert code == 0 and "pending changes: " in out and "never" in out
    run("remote", "set", team_db.remote_url("tech_kim"))
    code, out, err = run("sync")
    assert code == 0, err
    assert out.startswith("synced: pushed ")
    code, out, _ = run("sync", "status", "--json")
    state = json.loads(out)
    assert state["pending"] == 0 and state["last_sync"] and state["last_error"] is None
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE entity = 'ticket' "
                          "AND value->>'summary' = 'Synced from the CLI'") == 1
    assert team_db.scalar("SELECT DISTINCT author FROM desk.change") == "tech_kim"


def test_a_failed_sync_keeps_local_work_and_reports_the_error(run):
    run("remote", "set", "postgresql://kim@127.0.0.1:1/desk")
    run("log", "--summary", "Offline work", "--description", "d", "--reporter", "Bob",
        "--contact", "bob@example.com", "--channel", "phone", "--service", "Workplace",
        "--impact", "low", "--urgency", "low", "--category", "Hardware",
        "--subcategory", "Laptop")
    code, _, err = run("sync")
    assert code == 1 and "sync failed: team database unreachable" in err
    assert "local work is kept" in err
    code, out, _ = run("sync", "status")
    assert "last error: team database unreachable" in out
    assert "pending changes: 0" not in out
