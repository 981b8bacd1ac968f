"""Bad GLPI, osTicket, Zammad and Jira exports through ``desk-app import``: wrong
columns, undecodable bytes, impossible dates, huge cells. Each exits 2, names the line
(or the byte) and writes nothing; ``--skip-bad`` imports the rest."""

import json
import re
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parents[1] / "data"
FILES = {"glpi": "glpi_tickets.csv", "osticket": "osticket_tickets.csv",
         "zammad": "zammad_tickets.json", "jira": "jira_issues.csv"}
# (format, text to replace on the second ticket's line, with what, the line it is on)
BAD_DATE = [("glpi", "2024-03-06 08:30", "2024-02-30 08:30", 5),
            ("osticket", "2024-04-02 09:30:05", "02/04/2024 9h30", 3),
            ("zammad", '"2024-05-14T09:15:00.000Z"', '"14 May 2024"', 65),
            ("jira", "14/Feb/24 10:02 AM", "14/Feb/24 25:02 AM", 3)]
WRONG_COLUMN = [("glpi", '"Opening date"', '"Opened"', "missing column(s) Opening date"),
                ("osticket", "Ticket Number", "Ticket", "missing column(s) Ticket Number"),
                ("zammad", '"state": "pending reminder"', '"status": "pending reminder"',
                 "line 65 (ZAM-31019): state: is required"),
                ("jira", "Issue key", "Key", "missing column(s) Issue key")]
HUGE = "x" * 1_000_001


def _copy(tmp_path: Path, fmt: str) -> Path:
    target = tmp_path / FILES[fmt]
    shutil.copy(DATA / FILES[fmt], target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _nothing_written(run) -> None:
    code, out, _ = run("list", "--json")
    assert code == 0 and json.loads(out) == []


@pytest.mark.parametrize("fmt", FILES)
def test_each_fixture_is_detected_and_imported(run, tmp_path, fmt):
    code, out, err = run("import", str(_copy(tmp_path, fmt)), "--time-zone", "UTC")
    assert code == 0, err
    assert out.startswith("imported ")
    number = {"glpi": "glpi-4711", "osticket": "ost-548213", "zammad": "zam-31018",
              "jira": "itsm-231"}[fmt]
    code, out, err = run("show", number, "--json")
    assert code == 0, err
    assert json.loads(out)["number"] == number.upper()  # the original number, kept


@pytest.mark.parametrize(("fmt", "old", "new", "line"), BAD_DATE)
def test_an_impossible_date_is_refused_at_its_line(run, tmp_path, fmt, old, new, line):
    path = _copy(tmp_path, fmt)
    _replace(path, old, new)
    code, _, err = run("import", str(path), "--format", fmt, "--time-zone", "UTC")
    assert code == 2, err
    assert f"{path.name}: line {line} (" in err and "is not a time like" in err
    assert "internal error" not in err
    _nothing_written(run)
    code, out, err = run("import", str(path), "--format", fmt, "--time-zone", "UTC",
                         "--skip-bad")
    assert code == 0 and f"line {line}" in err
    imported = int(out.split()[1])
    assert imported == {"zammad": 1}.get(fmt, 2)


@pytest.mark.parametrize(("fmt", "old", "new", "message"), WRONG_COLUMN)
def test_a_wrong_column_or_key_is_refused(run, tmp_path, fmt, old, new, message):
    path = _copy(tmp_path, fmt)
    _replace(path, old, new)
    code, _, err = run("import", str(path), "--format", fmt)
    assert code == 2, err
    assert message in err and "line " in err
    _nothing_written(run)


@pytest.mark.parametrize("fmt", FILES)
def test_a_huge_cell_is_refused_at_its_line(run, tmp_path, fmt):
    path = _copy(tmp_path, fmt)
    if fmt == "zammad":
        _replace(path, '"Please create a mailbox for the new front desk"', f'"{HUGE}"')
    else:
        title = {"glpi": "VPN drops every ten minutes", "osticket": "Request: second monitor",
                 "jira": "Checkout page returns 502 for all users"}[fmt]
        _replace(path, title, HUGE)
    code, _, err = run("import", str(path), "--format", fmt)
    assert code == 2, err
    line = {"glpi": 6, "osticket": 4, "zammad": 65, "jira": 4}[fmt]
    assert f"line {line}" in err and "internal error" not in err
    _nothing_written(run)


@pytest.mark.parametrize("fmt", FILES)
def test_bytes_in_no_known_encoding_are_refused(run, tmp_path, fmt):
    path = _copy(tmp_path, fmt)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"e", b"\x81", 1))  # neither UTF-8 nor Windows-1252
    code, _, err = run("import", str(path), "--format", fmt)
    assert code == 2, err
    assert "byte " in err and "UTF-8" in err and "internal error" not in err
    _nothing_written(run)


def test_date_format_reads_dates_a_tool_was_set_to_write(run, tmp_path):
    path = _copy(tmp_path, "osticket")
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):\d\d", r"\3.\2.\1 \4.\5",
                           text), encoding="utf-8")
    code, _, err = run("import", str(path))
    assert code == 2 and "line 2 (OST-548213): Date Created: '02.04.2024 08.14'" in err
    _nothing_written(run)
    code, out, err = run("import", str(path), "--date-format", "dd.MM.yyyy HH.mm",
                         "--time-zone", "UTC")
    assert code == 0, err
    code, out, _ = run("show", "OST-548213", "--json")
    assert json.loads(out)["logged_at"] == "2024-04-02T09:14:00+01:00"  # 08:14 UTC
