"""``desk-app report --format ...``: every format carries the figures."""

import csv
import io
import json

import pytest

from ..pdf_text import pdf_image_count, pdf_text

LOG = ("log", "--summary", "Laptop will not boot", "--description", "Black screen",
       "--reporter", "Bob", "--contact", "bob@example.com", "--channel", "phone",
       "--service", "Workplace", "--impact", "medium", "--urgency", "medium",
       "--category", "Hardware", "--subcategory", "Laptop")


def _two_incidents(run):
    for _ in range(2):
        code, _, err = run(*LOG)
        assert code == 0, err
    code, _, err = run("resolve", "INC-000001", "--type", "permanent", "--code", "solved",
                       "--notes", "ok")
    assert code == 0, err


def test_text_keeps_the_old_report_and_adds_the_targets(run):
    _two_incidents(run)
    code, out, err = run("report", "--by", "category")
    assert code == 0, err
    assert "Mean time to resolve (hours, incidents)" in out  # the report as it was
    assert "SLA compliance: 100 % (target >= 90 %, green) over 1" in out
    assert "Satisfaction: - (target >= 80 %) over 0" in out
    assert "First contact resolution: 100 % (target >= 70 %, green) over 1" in out
    assert "By category" in out and "Hardware" in out


def test_json_has_the_old_keys_and_the_dashboard(run):
    _two_incidents(run)
    code, out, _ = run("report", "--format", "json", "--by", "priority")
    assert code == 0
    data = json.loads(out)
    assert data["tickets"]["by_status"] == {"new": 1, "resolved": 1}
    tiles = {t["key"]: t for t in data["kpi"]["tiles"]}
    assert tiles["backlog"]["value"] == 1 and tiles["sla_compliance"]["rating"] == "green"
    assert list(data["kpi"]["breakdowns"]) == ["priority"]
    assert json.loads(run("report", "--json")[1])["kpi"]["totals"]["logged"] == 2


def test_csv_parses_into_every_table(run):
    _two_incidents(run)
    code, out, _ = run("report", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    names = [row[0][2:] for row in rows if row and row[0].startswith("# ")]
    assert names == ["tiles", "trend_week", "trend_month", "by_priority", "by_category",
                     "by_service", "by_group", "by_technician", "by_channel", "backlog",
                     "time_by_technician", "time_by_group", "time_by_ticket"]
    start = rows.index(["# by_category"])
    header, network = rows[start + 1], rows[start + 2]
    assert network[:5] == ["Hardware", "Hardware", "2", "1", "1"]
    assert dict(zip(header, network, strict=True))["SLA compliance (%)"] == "100"
    tiles = rows[rows.index(["# tiles"]) + 1:rows.index(["# trend_week"]) - 1]
    by_key = {row[1]: dict(zip(tiles[0], row, strict=True)) for row in tiles[1:]}
    assert by_key["sla_compliance"]["Value"] == "100" and by_key["sla_compliance"]["Target"] \
        == "90" and by_key["sla_compliance"]["Rating"] == "Green"
    assert float(by_key["mttr_logging_hours"]["Value"]) >= 0


def test_markdown_and_pdf_show_the_tiles_with_targets(run, tmp_path):
    _two_incidents(run)
    target = tmp_path / "report.md"
    code, out, _ = run("report", "--format", "md", "--since", "2026-01-01", "--out",
                       str(target))
    assert code == 0 and "wrote the report" in out
    markdown = target.read_text(encoding="utf-8")
    assert markdown.startswith("# KPI report")
    assert "| SLA compliance | 100 % | >= 90 % | Green | 1 |" in markdown
    assert "## By technician" in markdown and "## Open incidents by age" in markdown
    pdf = tmp_path / "report.pdf"
    code, _, err = run("report", "--format", "pdf", "--out", str(pdf))
    assert code == 0, err
    text = pdf_text(pdf)
    assert "KPI report" in text and "SLA compliance" in text and "Green" in text
    assert pdf_image_count(pdf, min_width=200) >= 2  # the charts, not placeholders


def test_bad_options_are_refused_by_name(run):
    code, _, err = run("report", "--format", "pdf")
    assert code != 0 and "out" in err
    with pytest.raises(SystemExit):
        run("report", "--by", "colour")
    code, _, err = run("report", "--since", "2026-12-01", "--until", "2026-11-01",
                       "--format", "csv")
    assert code != 0 and "since" in err


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_an_out_that_cannot_be_a_report_file_is_refused_by_name(run, tmp_path, fmt):
    folder = tmp_path / "reports"
    folder.mkdir()
    missing = folder / "no such folder" / "kpi.out"
    for out, why in ((str(folder), "folder"), ("/dev/null", "not a regular file"),
                     (str(missing), "does not exist"), ("", "empty"), ("  ", "empty")):
        code, stdout, err = run("report", "--format", fmt, "--out", out)
        assert code == 2 and "out:" in err and why in err, (out, err)
        assert "Traceback" not in err and "wrote" not in stdout, out
    assert list(folder.iterdir()) == []


def test_a_failed_write_leaves_no_partial_file_and_the_old_one_intact(run, tmp_path,
                                                                         monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    existing = folder / "kpi.md"
    existing.write_text("the earlier report", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pathlib.Path.write_text", refuse)
    code, _, err = run("report", "--format", "md", "--out", str(existing))
    monkeypatch.undo()
    assert code == 2 and "out: cannot write" in err and "Permission denied" in err, err
    assert existing.read_text(encoding="utf-8") == "the earlier report"
    assert [p.name for p in folder.iterdir()] == ["kpi.md"]


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "json"])
def test_ticket_text_reaches_the_terminal_without_escape_sequences(run, fmt):
    evil = "Evil \x1b]0;owned\x07 \x1b[2J\x9b31m summary"
    code, _, err = run("log", "--summary", evil, *LOG[3:])
    assert code == 0, err
    code, _, err = run("note", "INC-000001", "--minutes", "30", "worked")
    assert code == 0, err
    code, out, err = run("report", "--format", fmt, "--by", "category")
    assert code == 0, err
    assert not any(c in out for c in "\x1b\x07\x9b"), out
    if fmt in ("md", "csv"):
        assert "Evil" in out and "summary" in out  # the ticket is still listed
