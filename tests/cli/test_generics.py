"""What every command shares: refused arguments exit 2 with the reason, text for the
terminal carries no control sequences, repeated filters combine as a union."""

import json
import re
import sqlite3

import pytest

from desk_app.cli.output import plain

from .test_commands import LOG

ESCAPES = "Laptop \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x9b2J beep\x07 back\x08"


def test_plain_strips_every_control_and_escape_sequence():
    assert plain(ESCAPES) == "Laptop RED   beep back"
    assert plain("one\ntwo\tthree") == "one two three"
    assert plain("one\ntwo\tthree", multiline=True) == "one\ntwo\tthree"
    assert plain("link \x1b]8;;http://x\x1b\\here\x1b]8;;\x1b\\") == "link here"
    assert plain(None) == "" and plain("Ünïcödé €") == "Ünïcödé €"


def no_controls(text: str) -> bool:
    return re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text) is None


def test_list_and_show_print_ticket_text_without_control_sequences(run):
    args = list(LOG)
    args[args.index("--summary") + 1] = ESCAPES
    args[args.index("--description") + 1] = "first line\n\x1b[2Jsecond line"
    assert run(*args)[0] == 0
    run("note", "INC-000001", "note \x1b[5mblink\x1b[0m\nline two")
    for command in (("list",), ("show", "INC-000001")):
        code, out, _ = run(*command)
        assert code == 0 and no_controls(out) and "RED" in out, out
    _, out, _ = run("show", "INC-000001")
    assert "first line\n  second line" in out and "blink" in out
    code, out, _ = run("show", "INC-000001", "--json")
    assert json.loads(out)["summary"] == ESCAPES  # JSON keeps the data, escaped
    assert no_controls(out)


def test_missing_resolution_fields_are_not_printed_as_none(run, tmp_path):
    """An imported or synced ticket may be resolved with no code or notes."""
    run(*LOG)
    run("resolve", "INC-000001", "--type", "workaround", "--code", "solved", "--notes",
        "Rebooted")
    con = sqlite3.connect(tmp_path / "desk" / "desk.sqlite3")
    con.execute("UPDATE ticket SET resolution_type = NULL, resolution_code = NULL, "
                "resolution_notes = NULL")
    con.commit()
    con.close()
    code, out, _ = run("show", "INC-000001")
    assert code == 0 and "None" not in out
    assert "resolved " in out and "(-, -): -" in out


def test_repeated_status_filters_are_a_union(run):
    run(*LOG)
    run(*LOG)
    assert run("cancel", "INC-000002", "--reason", "mislogged")[0] == 0

    def numbers(*statuses: str) -> set[str]:
        args = [a for s in statuses for a in ("--status", s)]
        code, out, err = run("list", *args, "--json")
        assert code == 0, err
        return {row["number"] for row in json.loads(out)}

    assert numbers("open") == {"INC-000001"}
    assert numbers("cancelled") == {"INC-000002"}
    assert numbers("open", "cancelled") == {"INC-000001", "INC-000002"}
    assert numbers("new", "cancelled") == {"INC-000001", "INC-000002"}
    assert numbers("open", "new") == {"INC-000001"}


def test_an_empty_data_dir_is_refused_not_the_default_desk(run):
    for empty in ("", "   "):
        code, _, err = run("--data-dir", empty, "status")
        assert code == 2 and "refused: data_dir: is empty" in err


def test_an_argument_that_is_not_utf8_is_refused(run, tmp_path):
    broken = b"Printer \xff\xfe jam".decode("utf-8", "surrogateescape")  # as Python gets it
    args = list(LOG)
    args[args.index("--summary") + 1] = broken
    code, out, err = run(*args)
    assert code == 2 and "is not valid UTF-8 text" in err and "\\xff\\xfe" in err
    assert "Traceback" not in err and not out
    assert not (tmp_path / "desk").exists()  # refused before anything was opened


@pytest.mark.parametrize("number", ["\x1b[31mINC-1", "INC-\x9b2J1"])
def test_refusals_quote_input_without_control_sequences(run, number):
    run(*LOG)
    code, _, err = run("show", number)
    assert code == 2 and no_controls(err.replace("\n", ""))


@pytest.mark.parametrize(("name", "value"), [
    ("DESK_APP_DATA_DIR", ""), ("DESK_APP_DATA_DIR", "   "), ("DESK_APP_TECHNICIAN", ""),
    ("DESK_APP_TECHNICIAN", "ab\udcff\udcfecd"),  # bytes that are not UTF-8, as os gives them
])
def test_an_empty_or_undecodable_environment_setting_is_refused(run, monkeypatch, name,
                                                               value):
    monkeypatch.setenv(name, value)
    code, _out, err = run("status")
    assert code == 2 and f"refused: {name}" in err and "internal error" not in err


@pytest.mark.parametrize("kind", ["a file", "a folder as the database"])
def test_a_data_folder_that_is_a_file_or_a_database_that_is_a_folder(run, tmp_path, kind):
    folder = tmp_path / "odd"
    if kind == "a file":
        folder.write_text("x")
    else:
        (folder / "desk.sqlite3").mkdir(parents=True)
    code, _out, err = run("--data-dir", str(folder), "status")
    assert code == 1 and "internal error" not in err
    assert ("is a file, not a folder" if kind == "a file" else "is a folder, not") in err


def test_demo_refuses_an_absurd_count(run):
    code, _out, err = run("demo", "--tickets", "99999999999999999999")
    assert code == 2 and "refused: tickets: must be between 1 and 10,000,000" in err


def test_a_report_without_resolved_incidents_prints_no_none(run):
    code, out, err = run("report")
    assert code == 0, err
    assert "None" not in out and "overall: - (no resolved incidents)" in out


@pytest.mark.parametrize(("extra", "field"), [
    (["link", "{number}", "--rfc", "R" * 201], "rfc"),
    (["resolve", "{number}", "--type", "permanent", "--code", "c" * 201, "--notes", "n"],
     "code"),
    (["group", "add", "G" * 201, "--level", "L2"], "name"),
    (["technician", "add", "l" * 201, "--name", "N", "--role", "support"], "login"),
    (["technician", "add", "eve", "--name", "Eve\x1b]0;PWN\x07", "--role", "support"],
     "name"),
])
def test_values_the_import_would_refuse_are_refused_when_typed(run, extra, field):
    """What the desk accepts it must be able to import back from its own export."""
    code, out, err = run(*LOG)
    assert code == 0, err
    args = [a.replace("{number}", out.strip()) for a in extra]
    code, _out, err = run(*args)
    assert code == 2 and f"refused: {field}:" in err, err


def test_bidirectional_overrides_are_stripped_from_terminal_text():
    assert plain("Printer \u202ereversed\u202c jam \u2066x\u2069") == "Printer reversed jam x"


def test_an_export_that_fills_the_disk_names_the_target_folder(run, tmp_path, monkeypatch):
    import errno

    from desk_app.services.transfer import json_format

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(json_format, "write_json", full)
    out = tmp_path / "exports"
    out.mkdir()
    code, _out, err = run("export", "--format", "json", "--out", str(out / "t.json"))
    assert code == 1 and f"the disk holding {out} is full" in err
    assert not list(out.iterdir())
