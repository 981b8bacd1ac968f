"""import and export as a person runs them: refusals exit 2 with a message naming the
file, record and field, and change nothing."""

import json

import pytest

LOG = ("log", "--summary", "Printer jams", "--description", "Tray 2", "--reporter", "Ann",
       "--contact", "ann@example.com", "--channel", "phone", "--service", "Printing",
       "--impact", "low", "--urgency", "low")


@pytest.fixture
def exported(run, tmp_path):
    assert run(*LOG)[0] == 0
    path = tmp_path / "tickets.json"
    assert run("export", "--format", "json", "--out", str(path))[0] == 0
    return path


def _listing(run) -> str:
    code, out, err = run("list", "--json")
    assert code == 0, err
    return out


@pytest.mark.parametrize("where", ["database", "wal", "data folder", "inside data folder",
                                   "a folder", "missing folder"])
def test_export_refuses_a_dangerous_or_impossible_target(run, tmp_path, exported, where):
    database = tmp_path / "desk" / "desk.sqlite3"
    target = {"database": database,
              "wal": tmp_path / "desk" / "desk.sqlite3-wal",
              "data folder": tmp_path / "desk",
              "inside data folder": tmp_path / "desk" / "backup" / "x.json",
              "a folder": tmp_path,
              "missing folder": tmp_path / "nowhere" / "x.json"}[where]
    listing = _listing(run)
    code, _out, err = run("export", "--format", "json", "--out", str(target))
    assert code == 2, err
    assert err.startswith("desk-app: refused: out: ") and "internal error" not in err
    assert database.read_bytes()[:16] == b"SQLite format 3\x00"
    assert _listing(run) == listing
    assert not list(tmp_path.rglob("*.partial"))


def test_export_to_a_relative_path_through_the_data_folder_is_refused(run, tmp_path, exported,
                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path / "desk")
    code, _, err = run("export", "--format", "csv", "--out", "../desk/desk.sqlite3")
    assert code == 2 and "data folder" in err


def test_import_reports_file_record_and_field(run, tmp_path, exported):
    document = json.loads(exported.read_text())
    record = document["tickets"][0]
    fresh = [dict(record, id=None, history=[], number=f"INC-00001{i}") for i in range(3)]
    fresh[2]["summary"] = "s" * 201
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps({"tickets": fresh}))
    listing = _listing(run)
    code, out, err = run("import", str(path))
    assert code == 2
    assert "tickets.json: record 3 (INC-000012): summary: at most 200 characters" in err
    assert _listing(run) == listing
    code, out, err = run("import", str(path), "--skip-bad")
    assert code == 0 and out.strip() == "imported 2 ticket(s)"
    assert "skipped 1 bad record(s):\n  tickets.json: record 3 (INC-000012): summary" in err


def test_importing_the_top_number_leaves_numbers_for_logging(run, tmp_path, exported):
    record = json.loads(exported.read_text())["tickets"][0]
    path = tmp_path / "top.json"
    path.write_text(json.dumps([dict(record, id=None, history=[], number="inc-999999")]))
    assert run("import", str(path))[0] == 0
    code, out, err = run(*LOG)
    assert code == 0, err
    assert out.strip() == "INC-1000000"
    assert run("show", "INC-1000000")[0] == 0
    assert run("show", "inc-999999")[0] == 0


@pytest.mark.parametrize("moment", ["0001-01-01T00:00+14:00", "0001-01-01T00:00",
                                    "9999-12-31T23:59-14:00"])
def test_log_refuses_a_detection_time_outside_the_years_1_to_9999(run, moment):
    code, _, err = run(*LOG, "--detected-at", moment)
    assert code == 2
    assert err.startswith("desk-app: refused: detected_at: ")
    assert "internal error" not in err
    assert json.loads(_listing(run)) == []
    assert run("housekeeping")[0] == 0


def test_link_parent_refuses_a_cycle(run):
    for _ in range(2):
        assert run(*LOG)[0] == 0
    assert run("link", "INC-000002", "--parent", "INC-000001")[0] == 0
    code, _, err = run("link", "INC-000001", "--parent", "INC-000002")
    assert code == 2 and "parent" in err


def test_export_refuses_a_pipe_and_another_desks_database(run, tmp_path, exported):
    import os
    import sqlite3

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    other = tmp_path / "other" / "desk.sqlite3"
    other.parent.mkdir()
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for target, words in ((pipe, "not a regular file"), (other, "is a database")):
        code, _out, err = run("export", "--format", "json", "--out", str(target))
        assert code == 2 and words in err, err
    assert pipe.is_fifo() and other.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not list(tmp_path.rglob("*.partial"))


def test_an_export_carries_the_articles_to_an_empty_desk(run, tmp_path, monkeypatch):
    code, out, err = run("kb", "new", "--title", "Printer jams", "--solution", "Open tray 2",
                         "--json")
    assert code == 0, err
    number = json.loads(out)["number"]
    path = tmp_path / "desk.json"
    assert run("export", "--format", "json", "--out", str(path))[0] == 0
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "empty"))
    code, out, err = run("import", str(path))
    assert code == 0 and out.strip() == "imported 0 ticket(s) and 1 knowledge article(s)", err
    code, out, err = run("kb", "show", number, "--json")
    assert code == 0 and json.loads(out)["title"] == "Printer jams", err
    code, out, err = run("import", str(path), "--json", "--skip-bad")
    assert code == 0 and json.loads(out)["articles"] == 0
    assert f"article 1 ({number}): number: {number} is already on this desk" in out
