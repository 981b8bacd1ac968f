"""desk-app remote unset: the desk leaves its team database, keeps its tickets and works
alone; set to another team database, it joins that one with all its tickets."""

import json
import sqlite3

import pytest

from tests.cli.test_commands import LOG
from tests.team_database import fresh_team


def _numbers(tmp_path) -> list[str]:
    with sqlite3.connect(tmp_path / "desk" / "desk.sqlite3") as con:
        return sorted(r[0] for r in con.execute("SELECT number FROM ticket"))


def _outbox(tmp_path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(tmp_path / "desk" / "desk.sqlite3") as con:
        return con.execute("SELECT entity, field FROM outbox ORDER BY op_id").fetchall()


def _meta(tmp_path, key: str) -> str | None:
    with sqlite3.connect(tmp_path / "desk" / "desk.sqlite3") as con:
        row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


@pytest.fixture
def second_team(postgres_url):
    with fresh_team(postgres_url) as team:
        yield team


def test_remote_unset_leaves_the_team_and_the_desk_works_alone(run, team_db, tmp_path,
                                                               memory_keyring):
    run(*LOG)
    url = team_db.remote_url("tech_kim").replace("tech_kim@", "tech_kim:kim-secret@")
    run("remote", "set", url)
    assert run("sync")[0] == 0
    device = _meta(tmp_path, "device_id")
    assert memory_keyring.passwords

    code, out, err = run("remote", "unset", "--json")
    assert code == 0, err
    left = json.loads(out)
    assert left["remote"] == team_db.remote_url("tech_kim")
    assert left["pending"] == 0 and left["password_removed"]
    assert not memory_keyring.passwords
    assert _meta(tmp_path, "device_id") != device  # a new identity for the next team
    assert _meta(tmp_path, "server_id") is None
    code, out, _ = run("sync", "status")
    assert "none (work is local only)" in out
    code, _, err = run("sync")
    assert code == 2 and "no team database set" in err
    code, out, err = run(*LOG)  # works alone, numbers go on past the highest here
    assert code == 0, err
    assert _numbers(tmp_path) == ["INC-000001", "INC-000002"]
    code, _, err = run("remote", "unset")
    assert code == 2 and "no team database set" in err


def test_a_desk_moves_to_another_team_database_with_all_its_tickets(
        run, team_db, second_team, tmp_path):
    # the second team already has INC-000001 and INC-000002 from another desk
    with second_team.login("tech_kim") as conn:
        conn.execute("SELECT * FROM desk.claim_numbers('elsewhere', %s, %s)",
                     (["x1", "x2"], ["INC-000001", "INC-000002"]))
    run(*LOG)
    run("remote", "set", team_db.remote_url("tech_kim"))
    run("sync")
    run(*LOG)  # from the first team's block
    code, _, err = run("remote", "set", second_team.remote_url("tech_kim"))
    assert code == 2 and "cannot switch to another team database" in err

    queued = _outbox(tmp_path)
    assert ("ticket", None) in {(entity, field) for entity, field in queued}  # the new ticket
    code, out, _ = run("remote", "unset")
    # everything queued (the ticket and whatever its logging made) stays for the next team
    assert code == 0 and f"{len(queued)} change(s) not yet pushed stay here" in out, out
    assert _outbox(tmp_path) == queued
    code, out, err = run("remote", "set", second_team.remote_url("tech_kim"))
    assert code == 0, err
    code, out, err = run("sync", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {old for old, _ in report["renumbered"]} == {"INC-000001", "INC-000002"}
    assert second_team.scalar(
        "SELECT count(DISTINCT row_id) FROM desk.change WHERE entity = 'ticket' "
        "AND field IS NULL") == 2  # both tickets arrived in the new team
    numbers = _numbers(tmp_path)
    assert len(numbers) == 2 and not {"INC-000001", "INC-000002"} & set(numbers)
    code, _, err = run(*LOG)  # and logging goes on at once
    assert code == 0, err
    assert run("sync")[0] == 0
    # the first team never saw the ticket logged after the move
    assert team_db.scalar("SELECT count(DISTINCT row_id) FROM desk.change "
                          "WHERE entity = 'ticket' AND field IS NULL") == 1
