"""Importing other tools' exports as a person runs it: the format found or forced,
dates and zones said, refusals exit 2 naming the line, nothing written."""

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data"


def _numbers(run) -> str:
    code, out, err = run("list", "--json")
    assert code == 0, err
    return out


@pytest.mark.parametrize("file", ["servicenow_list.csv", "servicenow_list.xlsx",
                                  "servicenow_table_api.json"])
def test_import_of_each_servicenow_export(run, tmp_path, file):
    source = tmp_path / file
    shutil.copy(DATA / file, source)
    code, out, err = run("import", str(source))
    assert code == 0, err
    assert out.startswith("imported ")
    code, out, _ = run("list", "--search", "INC00", "--json")
    assert code == 0 and "INC00" in out


def test_the_assumed_zone_is_a_warning_and_a_given_one_is_not(run, tmp_path):
    source = tmp_path / "list.csv"
    shutil.copy(DATA / "servicenow_list.csv", source)
    code, out, err = run("import", str(source))
    assert code == 0 and out == "imported 6 ticket(s)\n"
    assert "warning: times without a time zone were read in the desk's time zone" in err
    assert "warning: column(s) not imported: u_vip_caller" in err
    again = tmp_path / "again.csv"
    again.write_text(source.read_text().replace("INC00100", "INC00200"))
    code, out, err = run("import", str(again), "--time-zone", "Europe/Paris")
    assert code == 0 and "time zone" not in err


def test_a_bad_row_exits_2_naming_the_line_and_writes_nothing(run, tmp_path):
    source = tmp_path / "list.csv"
    text = (DATA / "servicenow_list.csv").read_text()
    source.write_text(text.replace("2024-03-06 09:00:00", "2024-03-36 09:00:00"))
    before = _numbers(run)
    code, out, err = run("import", str(source))
    assert code == 2 and out == ""
    assert "list.csv: line 16 (INC0010003): opened_at: '2024-03-36 09:00:00' is not a date" in err
    assert "Traceback" not in err and _numbers(run) == before
    code, out, err = run("import", str(source), "--skip-bad")
    assert code == 0 and out == "imported 5 ticket(s)\n" and "line 16" in err


def test_undecidable_dates_exit_2_until_the_format_is_given(run, tmp_path):
    source = tmp_path / "list.csv"
    source.write_text("number,short_description,state,opened_at\n"
                      "INC0300001,A,New,01/02/2016 10:00\nINC0300002,B,New,03/04/2016 10:00\n")
    code, _, err = run("import", str(source))
    assert code == 2 and "date_format: opened_at: dates such as '01/02/2016 10:00'" in err
    code, out, err = run("import", str(source), "--date-format", "dd/MM/yyyy HH:mm")
    assert code == 0 and out == "imported 2 ticket(s)\n", err


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04garbage", "not a readable Excel workbook"),
    ("number,short_description\n".encode("utf-32"), "is UTF-32 text"),
    (b"number,summary,status\nINC0300003,a,new\n", "missing column(s)"),
])
def test_bad_files_exit_2_with_a_clear_refusal(run, tmp_path, content, message):
    source = tmp_path / "broken.xlsx"
    source.write_bytes(content)
    before = _numbers(run)
    code, _, err = run("import", str(source), "--format", "servicenow-xlsx"
                       if content.startswith(b"PK") else "servicenow-list")
    assert code == 2 and message in err and "Traceback" not in err
    assert _numbers(run) == before


def test_an_empty_time_zone_date_format_or_file_is_refused_not_taken_as_not_given(
        run, tmp_path):
    source = tmp_path / "list.csv"
    shutil.copy(DATA / "servicenow_list.csv", source)
    for args, field in (((str(source), "--time-zone", ""), "time_zone"),
                        ((str(source), "--date-format", " "), "date_format"),
                        (("",), "file")):
        code, out, err = run("import", *args)
        assert code == 2 and f"{field}:" in err and "empty" in err, err
        assert "Traceback" not in err
    code, out, _ = run("list", "--json")
    assert code == 0 and "INC00" not in out
