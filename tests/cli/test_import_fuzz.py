"""Fuzzing every import format through the command line, in-process: wrong types,
huge sizes, broken encodings, duplicate ids, unknown kinds, bad versions, truncated
files. Whatever the file holds, ``import`` exits 0 or 2 and never with an internal
error; a refused import writes nothing; an accepted one leaves a desk that still lists
and exports."""

import csv
import io
import itertools
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

SERVICENOW = Path(__file__).parents[3] / "shared" / "data" / "servicenow_incident_event_log.csv"
TABLES = ("ticket", "history", "worklog", "checklist_tick", "link", "technician",
          "support_group", "outbox")
FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

MEGABYTE = "\u00e9" * 600_000  # over 1 MB as UTF-8
WILD = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.sampled_from([10 ** 40, -1, 0, 1441, 2 ** 63, float("nan"), float("inf"), 1.5]),
    st.text(max_size=30),
    st.sampled_from([
        "", " ", "inc-000777", "INC-999999", "INC-1", "fax", "P9", "high", "note",
        "duplicate_of", "0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00",
        "2026-13-01T00:00", "2026-02-29T10:00", "9999-12-29T12:00+00:00",
        "0001-01-02T12:00+00:00", "2026-03-01T10:00:00+01:00", "\u00b2",
        "1\u00b2", "x" * 201, MEGABYTE, "\x1b[31mred", "\ud800".encode("utf-8", "surrogatepass")
        .decode("utf-8", "replace"), "a\nb,\"c\"", "NaN", "true", "01a22bd5-4236-7bfe-9e4b-"
        "4a35a7ee607f"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


class Desk:
    """The desk the CLI fixture opens, seen directly through SQLite (read only)."""

    def __init__(self, run, tmp_path: Path) -> None:
        self.run, self.folder = run, tmp_path
        self.file = tmp_path / "desk" / "desk.sqlite3"
        self.numbers = itertools.count(500_000)

    def state(self) -> tuple:
        with sqlite3.connect(f"file:{self.file}?mode=ro", uri=True) as db:
            counts = tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                           for t in TABLES)
            blocks = tuple(db.execute("SELECT prefix, last, next FROM number_block "
                                      "ORDER BY prefix, first").fetchall())
        return counts + blocks

    def fresh_number(self) -> str:
        return f"INC-{next(self.numbers):06d}"

    def check_import(self, data: bytes, name: str, skip_bad: bool) -> None:
        path = self.folder / name
        path.write_bytes(data)
        before = self.state()
        code, _out, err = self.run("import", str(path), *(["--skip-bad"] if skip_bad else []))
        event(f"exit {code}")
        assert code in (0, 2), err
        assert "internal error" not in err and "Traceback" not in err, err
        if code == 2:
            assert "refused" in err
            assert self.state() == before, err
            return
        for command in (["list", "--limit", "5"], ["housekeeping"], ["report"]):
            code, _, err = self.run(*command)
            assert code == 0, err
        code, _, err = self.run("export", "--format", "json",
                                "--out", str(self.folder / "after.json"))
        assert code == 0, err


@pytest.fixture
def desk(run, tmp_path):
    code, _, err = run("log", "--summary", "Printer jams", "--reporter", "Ann",
                       "--contact", "ann@example.com", "--channel", "phone",
                       "--service", "Printing", "--impact", "low", "--urgency", "low",
                       "--description", "It jams, \"always\"\nsince Monday")
    assert code == 0, err
    number = run("list", "--json")[1]
    assert "INC-000001" in number
    run("note", "INC-000001", "Called the user", "--minutes", "5")
    run("export", "--format", "json", "--out", str(tmp_path / "base.json"))
    run("export", "--format", "csv", "--out", str(tmp_path / "base.csv"))
    return Desk(run, tmp_path)


def _fresh_record(desk: Desk) -> dict:
    record = json.loads((desk.folder / "base.json").read_text())["tickets"][0]
    record = dict(record, id=None, number=desk.fresh_number())
    for key in ("history", "worklog", "ticks", "links"):
        record[key] = [dict(child, id=None) for child in record[key]]
    return record


def _encoded(text: str, data: st.DataObject) -> bytes:
    """``text`` as UTF-8, sometimes damaged: a BOM, stray bytes, another encoding, cut."""
    raw = text.encode("utf-8", "surrogatepass")
    damage = data.draw(st.sampled_from(["none", "none", "bom", "latin", "bytes", "cut"]))
    if damage == "bom":
        return b"\xef\xbb\xbf" + raw
    if damage == "latin":
        return text.encode("latin-1", "replace")
    if damage == "bytes":
        at = data.draw(st.integers(0, len(raw)))
        return raw[:at] + data.draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    if damage == "cut":
        return raw[:data.draw(st.integers(0, max(0, len(raw) - 1)))]
    return raw


@FUZZ
@given(data=st.data())
def test_json_import_never_fails_with_a_traceback(desk, data):
    records = [_fresh_record(desk) for _ in range(data.draw(st.integers(1, 3)))]
    for _ in range(data.draw(st.integers(1, 3))):
        record = data.draw(st.sampled_from(records))
        field = data.draw(st.sampled_from([*sorted(record), "unknown_field", "child"]))
        if field == "child":
            kind = data.draw(st.sampled_from(["history", "worklog", "links", "ticks"]))
            entry = {"history": {"at": "2026-01-01T10:00", "by": "a", "field": "summary"},
                     "worklog": {"at": "2026-01-01T10:00", "by": "a", "kind": "note",
                                 "note": "n", "minutes": 5},
                     "links": {"at": "2026-01-01T10:00", "by": "a", "kind": "related",
                               "number": records[0]["number"]},
                     "ticks": {"at": "2026-01-01T10:00", "by": "a", "checklist": "closure",
                               "item": "1"}}[kind]
            key = data.draw(st.sampled_from([*sorted(entry), "id"]))
            earlier = record.get(kind)  # an earlier draw may have made it any value
            earlier = earlier if isinstance(earlier, list) else []
            record[kind] = [*earlier, dict(entry, **{key: data.draw(WILD)})]
        else:
            record[field] = data.draw(WILD)
    if data.draw(st.booleans()):  # duplicate a record or its ids
        records.append(dict(records[0]))
    document: object = {"format": "desk-app tickets", "version": 1, "tickets": records}
    envelope = data.draw(st.sampled_from(["ok", "ok", "version", "list", "tickets"]))
    if envelope == "version":
        document["version"] = data.draw(WILD)
    elif envelope == "list":
        document = records
    elif envelope == "tickets":
        document["tickets"] = data.draw(WILD)
    text = json.dumps(document, ensure_ascii=data.draw(st.booleans()))
    desk.check_import(_encoded(text, data), "tickets.json", data.draw(st.booleans()))


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _wild_cell(data: st.DataObject) -> str:
    value = data.draw(WILD)
    return value if isinstance(value, str) else json.dumps(value)


@FUZZ
@given(data=st.data())
def test_csv_import_never_fails_with_a_traceback(desk, data):
    header, *rows = list(csv.reader(io.StringIO((desk.folder / "base.csv").read_text())))
    row = rows[0]
    rows = [[desk.fresh_number(), *row[1:]] for _ in range(data.draw(st.integers(1, 3)))]
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(rows))
        column = data.draw(st.integers(0, len(header) - 1))
        target[column] = _wild_cell(data)
    shape = data.draw(st.sampled_from(["ok", "ok", "short", "long", "header", "twice"]))
    if shape == "short":
        rows[0] = rows[0][:-1]
    elif shape == "long":
        rows[0] = [*rows[0], "extra"]
    elif shape == "header":
        header = [*header[:-1], _wild_cell(data)]
    elif shape == "twice":
        rows.append(list(rows[0]))
    text = _csv_text(header, rows)
    desk.check_import(_encoded(text, data), "tickets.csv", data.draw(st.booleans()))


@pytest.mark.skipif(not SERVICENOW.exists(), reason="shared data not beside repo")
@FUZZ
@given(data=st.data())
def test_servicenow_import_never_fails_with_a_traceback(desk, data):
    with SERVICENOW.open(newline="") as source:
        header, *rows = itertools.islice(csv.reader(source), 9)
    rows = [list(r) for r in rows]
    number = f"INC{next(desk.numbers):07d}"
    for r in rows:  # fresh numbers: the rows of one or two incidents
        r[0] = number if r[0] == rows[0][0] else number + "1"
    for _ in range(data.draw(st.integers(1, 3))):
        target = data.draw(st.sampled_from(rows))
        column = data.draw(st.sampled_from(
            [header.index(c) for c in ("reopen_count", "reassignment_count", "opened_at",
                                       "sys_updated_at", "impact", "priority",
                                       "incident_state", "contact_type", "number",
                                       "resolved_at", "category")]
            + list(range(len(header)))))
        target[column] = _wild_cell(data)
    if data.draw(st.booleans()):
        rows.append([*rows[0], "extra"])
    text = _csv_text(header, rows)
    desk.check_import(_encoded(text, data), "incidents.csv", data.draw(st.booleans()))
