"""ServiceNow's incident list (CSV, Excel) and Table API JSON: the mapping onto the desk,
and every kind of bad input refused with its position, nothing written."""

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from desk_app.core.errors import BatchRefused, InvalidValue
from desk_app.services.lookup import ticket_by_number
from desk_app.services.transfer.files import import_file
from desk_app.storage.models import History, SupportGroup, Technician, Ticket, Worklog
from desk_app.storage.ticket_queries import search_ranked

DATA = Path(__file__).parents[2] / "data"
FIXTURES = {"servicenow-list": "servicenow_list.csv", "servicenow-xlsx": "servicenow_list.xlsx",
            "servicenow-json": "servicenow_table_api.json"}


def copied(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(DATA / name, target)
    return target


def written() -> tuple[int, int, int, int]:
    return (Ticket.select().count(), History.select().count(), Worklog.select().count(),
            Technician.select().count())


def statuses(number: str) -> list[tuple[str | None, str | None, str]]:
    ticket = ticket_by_number(number)
    return [(h.old, h.new, h.by) for h in History.select().where(
        (History.ticket == ticket.id) & (History.field == "status")).order_by(History.at)]


@pytest.mark.parametrize("fmt", ["servicenow-list", "servicenow-xlsx"])
def test_the_list_export_maps_onto_the_desk(session, tmp_path, fmt):
    result = import_file(session, copied(tmp_path, FIXTURES[fmt]))
    assert (result.format, result.imported, result.skipped) == (fmt, 6, [])
    assert any("Europe/London" in w for w in result.warnings)  # the assumed zone is said
    assert any("not imported" in w and "vip_caller" in w for w in result.warnings)

    closed = ticket_by_number("INC0010001")  # the original number is the ticket's
    assert (closed.status, closed.priority, closed.impact, closed.urgency) == (
        "closed", "P3", "medium", "medium")
    assert closed.summary == "Email not syncing on mobile"
    assert closed.description.startswith("Outlook on my phone")
    assert (closed.group.name, closed.assignee.login) == ("Service Desk", "Beth Anglin")
    assert (closed.reporter, closed.contact, closed.logged_by) == (
        "Abel Tuter", "Abel Tuter", "Fred Luddy")
    assert (closed.category, closed.subcategory, closed.ci, closed.service) == (
        "Software", "Email", "EXCH-SRV-01", "Email")
    assert closed.channel == "phone" and closed.reassignment_count == 1
    assert (closed.resolution_type, closed.resolution_code) == ("permanent", "Solved (Permanently)")
    assert closed.resolution_notes == "Removed and re-added the account on the phone."
    assert closed.logged_at.isoformat() == "2024-03-04T08:12:45+00:00"  # London, winter
    assert statuses("INC0010001") == [(None, "new", "Fred Luddy"),
                                      ("new", "resolved", "Beth Anglin"),
                                      ("resolved", "closed", "servicenow")]
    notes = [(w.by, w.note) for w in Worklog.select().where(Worklog.ticket == closed.id)
             .order_by(Worklog.at)]
    assert notes == [("Beth Anglin", "Caller on iOS 17; other users fine."),
                     ("Beth Anglin", "Re-added the account; mail flows again."),
                     ("Beth Anglin", "Comment to the caller: Please confirm mail arrives now.")]

    assert ticket_by_number("INC0010002").priority == "P2"
    assert ticket_by_number("INC0010002").problem_ref == "PRB0040001"
    on_hold = ticket_by_number("INC0010003")
    assert (on_hold.status, on_hold.hold_reason, on_hold.priority) == (
        "on_hold", "awaiting_supplier", "P4")
    critical = ticket_by_number("INC0010004")
    assert (critical.status, critical.priority, critical.resolution_type) == (
        "resolved", "P1", "workaround")
    assert ticket_by_number("INC0010005").status == "cancelled"
    assert ticket_by_number("INC0010005").priority == "P4"  # 5 - Planning
    assert ticket_by_number("INC0010006").channel == "web"  # chat
    assert {g.name for g in SupportGroup.select()} >= {
        "Service Desk", "Network", "Field Services", "Application Support"}
    assert [t["number"] for t in search_ranked("INC0010004")] == ["INC0010004"]
    assert [t["number"] for t in search_ranked("payroll")] == ["INC0010004"]


def test_the_table_api_json_reads_raw_dates_as_utc_and_names_from_display_values(
        session, tmp_path):
    result = import_file(session, copied(tmp_path, FIXTURES["servicenow-json"]))
    assert (result.format, result.imported) == ("servicenow-json", 3)
    ticket = ticket_by_number("INC0020001")
    assert ticket.logged_at.isoformat() == "2024-03-04T07:12:45+00:00"  # raw value, UTC
    assert ticket.assignee.login == "Beth Anglin"  # display value, not the sys_id
    assert ticket.ci == "EXCH-SRV-01" and ticket.status == "closed"
    note = Worklog.get(Worklog.ticket == ticket.id)  # journal header in the user's zone
    assert note.at.isoformat() == "2024-03-04T10:29:12+00:00"
    held = ticket_by_number("INC0020003")
    assert (held.status, held.hold_reason, held.priority) == ("on_hold", "awaiting_supplier", "P2")
    assert held.resolution_breached and held.problem_ref == "PRB0040002"
    assert [w.note for w in Worklog.select().where(Worklog.ticket == held.id)
            .order_by(Worklog.at)] == ["Scheduler service down since 02:00.",
                                       "Vendor case 88123 opened for the scheduler."]


def test_raw_and_display_only_table_api_responses(session, tmp_path):
    raw = {"number": "INC0030001", "short_description": "Disk full", "state": "6",
           "priority": "1", "impact": "1", "urgency": "1",
           "opened_at": "2024-05-02 10:00:00", "resolved_at": "2024-05-02 11:00:00",
           "assignment_group": {"link": "https://x/api/now/table/sys_user_group/abc",
                                "value": "abc"}}
    shown = {"number": "INC0030002", "short_description": "Mouse", "state": "New",
             "priority": "4 - Low", "opened_at": "02/05/2024 10:00",
             "sys_updated_on": "13/05/2024 10:00"}
    for name, records in (("raw.json", [raw]), ("shown.json", [shown])):
        (tmp_path / name).write_text(json.dumps({"result": records}))
        assert import_file(session, tmp_path / name, time_zone="Europe/Paris").imported == 1
    first = ticket_by_number("INC0030001")
    assert (first.status, first.priority, first.group.name) == ("resolved", "P1", "abc")
    assert first.logged_at.isoformat() == "2024-05-02T10:00:00+00:00"
    # display values in the given zone, day first (13/05 settles it for the file)
    assert ticket_by_number("INC0030002").logged_at.isoformat() == "2024-05-02T08:00:00+00:00"


def test_format_is_detected_from_content_and_can_be_forced(session, tmp_path):
    source = copied(tmp_path, "servicenow_list.csv")
    renamed = tmp_path / "export.txt"
    source.rename(renamed)
    assert import_file(session, renamed).format == "servicenow-list"
    with pytest.raises(InvalidValue, match="not valid JSON: line 1"):
        import_file(session, copied(tmp_path, "servicenow_list.csv"), fmt="servicenow-json")
    with pytest.raises(InvalidValue, match=r"unknown format 'glpx'.*servicenow-list"):
        import_file(session, renamed, fmt="glpx")


def _list_csv(tmp_path: Path, rows: list[str], header: str | None = None) -> Path:
    path = tmp_path / "list.csv"
    header = header or "number,short_description,state,priority,opened_at,assigned_to"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_day_and_month_are_decided_from_the_whole_column(session, tmp_path):
    path = _list_csv(tmp_path, ["INC0040001,A,New,3,01/02/2016 10:00,",
                                "INC0040002,B,New,3,29/2/2016 10:00,"])
    assert import_file(session, path).imported == 2
    assert ticket_by_number("INC0040001").logged_at.date().isoformat() == "2016-02-01"


def test_undecidable_dates_are_refused_naming_the_column(session, tmp_path):
    path = _list_csv(tmp_path, ["INC0040003,A,New,3,01/02/2016 10:00,",
                                "INC0040004,B,New,3,03/04/2016 10:00,"])
    with pytest.raises(InvalidValue, match="opened_at: dates such as '01/02/2016 10:00'"):
        import_file(session, path)
    assert written()[0] == 0
    assert import_file(session, path, date_format="MM/dd/yyyy HH:mm").imported == 2
    assert ticket_by_number("INC0040003").logged_at.date().isoformat() == "2016-01-02"


def test_twelve_hour_times_and_an_explicit_zone(session, tmp_path):
    path = _list_csv(tmp_path, ["INC0040005,A,New,3,02-29-2016 01:05:00 PM,",
                                "INC0040006,B,New,3,02-13-2016 12:30:00 AM,"])
    result = import_file(session, path, time_zone="America/New_York")
    assert result.imported == 2 and not any("time zone" in w for w in result.warnings)
    assert ticket_by_number("INC0040005").logged_at.isoformat() == "2016-02-29T18:05:00+00:00"
    assert ticket_by_number("INC0040006").logged_at.isoformat() == "2016-02-13T05:30:00+00:00"
    with pytest.raises(InvalidValue, match="time_zone: 'Mars/Olympus' is not a time zone"):
        import_file(session, path, time_zone="Mars/Olympus")


def test_bad_rows_are_refused_with_their_lines_and_nothing_is_written(session, tmp_path):
    path = _list_csv(tmp_path, [
        "INC0050001,Good,New,3,2024-01-02 10:00:00,",
        "INC0050002,Bad date,New,3,2024-02-30 10:00:00,",
        'INC0050003,"Two\nlines",Flying,3,2024-01-02 10:00:00,',
        "INC0050004,Bad priority,New,9 - Cosmic,2024-01-02 10:00:00,",
        "INC0050005,Too many,New,3,2024-01-02 10:00:00,,extra",
        "INC0050006,,New,3,2024-01-02 10:00:00,",
        "INC0050007," + "x" * 300 + ",New,3,2024-01-02 10:00:00," + "y" * 300,
    ])
    before = written()
    with pytest.raises(BatchRefused) as refused:
        import_file(session, path)
    reasons = [str(p) for p in refused.value.problems]
    assert reasons[0] == ("list.csv: line 3 (INC0050002): opened_at: '2024-02-30 10:00:00' "
                          "is not a date")
    assert reasons[1] == "list.csv: line 4 (INC0050003): state: unknown value 'Flying'"
    assert reasons[2] == "list.csv: line 6 (INC0050004): priority: unknown value '9 - Cosmic'"
    assert reasons[3] == "list.csv: line 7: 7 fields where the header has 6"
    assert reasons[4].startswith("list.csv: line 8 (INC0050006): short_description: is required")
    assert reasons[5].startswith("list.csv: line 9 (INC0050007): assignee: at most 200")
    assert len(reasons) == 6 and written() == before

    result = import_file(session, path, skip_bad=True)
    assert result.imported == 1 and [p.position for p in result.skipped] == [3, 4, 6, 7, 8, 9]
    assert ticket_by_number("INC0050001").summary == "Good"


@pytest.mark.parametrize("header, message", [
    ("number,summary,status", "missing column(s) short_description, state, opened_at"),
    ("number,short_description,state,opened_at,state", "column(s) named twice: state"),
])
def test_wrong_columns_refuse_the_file(session, tmp_path, header, message):
    path = _list_csv(tmp_path, ["INC0060001,a,New,2024-01-02 10:00:00,New"], header=header)
    with pytest.raises(InvalidValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_file(session, path, fmt="servicenow-list")
    assert written()[0] == 0


def test_a_csv_exported_with_labels_and_in_windows_1252(session, tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes("Number,Short description,State,Priority,Opened,Assigned to\r\n"
                     "INC0070001,Caf\u00e9 machine r\u00e9seau,In Progress,2 - High,"
                     "2024-01-02 10:00:00,Ren\u00e9e\r\n".encode("cp1252"))
    result = import_file(session, path)
    assert result.imported == 1 and "read as Windows-1252" in result.warnings[0]
    ticket = ticket_by_number("INC0070001")
    assert ticket.summary == "Caf\u00e9 machine r\u00e9seau"
    assert ticket.assignee.login == "Ren\u00e9e"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks(session, tmp_path, encoding):
    path = tmp_path / "list.csv"
    path.write_bytes((DATA / "servicenow_list.csv").read_text("utf-8").encode(encoding))
    assert import_file(session, path).imported == 6


def test_a_file_in_an_unknown_encoding_is_refused(session, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"number,short_description,state,opened_at\nINC0080001,\x81\x8d,New,"
                     b"2024-01-02 10:00:00\n")
    with pytest.raises(InvalidValue, match=r"not UTF-8 text .* not Windows-1252"):
        import_file(session, path)


def test_a_huge_cell_is_refused_not_a_traceback(session, tmp_path):
    path = _list_csv(tmp_path, ['INC0090001,"' + "z" * 1_000_000 + '",New,3,2024-01-02,'])
    with pytest.raises(InvalidValue, match="line 2: not readable as CSV: field larger"):
        import_file(session, path)


@pytest.mark.parametrize("damage", ["truncated", "not a workbook", "empty zip"])
def test_a_damaged_workbook_is_refused(session, tmp_path, damage):
    path = tmp_path / "list.xlsx"
    good = (DATA / "servicenow_list.xlsx").read_bytes()
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "not a workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        path.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    with pytest.raises(InvalidValue, match="not a readable Excel workbook"):
        import_file(session, path, fmt="servicenow-xlsx")
    assert written()[0] == 0


def test_a_workbook_with_a_bad_row_names_the_row(session, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Number", "Short description", "State", "Opened"])
    book.active.append(["INC0100001", "Fine", "New", "2024-01-02 10:00:00"])
    book.active.append(["INC0100002", "Broken", "Sideways", "2024-01-02 10:00:00"])
    book.save(tmp_path / "list.xlsx")
    with pytest.raises(BatchRefused, match=r"list.xlsx: row 3 \(INC0100002\): state: unknown"):
        import_file(session, tmp_path / "list.xlsx")
    assert written()[0] == 0


def test_huge_values_in_the_table_api_are_refused_naming_the_field(session, tmp_path):
    record = {"number": "INC0110001", "short_description": "Big", "state": "1",
              "opened_at": "2024-01-02 10:00:00", "description": "d" * 300_000}
    path = tmp_path / "api.json"
    path.write_text(json.dumps({"result": [record, {**record, "number": "INC0110002",
                                                    "description": "small",
                                                    "caller_id": ["not", "text"]}]}))
    with pytest.raises(BatchRefused) as refused:
        import_file(session, path)
    assert [str(p) for p in refused.value.problems] == [
        "api.json: record 1 (INC0110001): description: at most 200000 characters",
        "api.json: record 2 (INC0110002): caller_id: must be text, not list"]
    assert written()[0] == 0
