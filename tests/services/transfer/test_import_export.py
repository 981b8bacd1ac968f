import io
import json
import shutil
from pathlib import Path

import pytest

from desk_app.core.errors import BatchRefused, InvalidValue
from desk_app.services import workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.transfer.files import export_tickets, import_file
from desk_app.storage.models import History, Outbox, Ticket
from desk_app.storage.numbering import issue_number

from ...conftest import new_ticket

SERVICENOW = Path(__file__).parents[4] / "shared" / "data" / "servicenow_incident_event_log.csv"
needs_data = pytest.mark.skipif(not SERVICENOW.exists(), reason="shared data not beside repo")


def counts():
    return Ticket.select().count(), History.select().count(), Outbox.select().count()


@needs_data
def test_servicenow_event_log_import(session, tmp_path):
    source = tmp_path / "export.csv"
    shutil.copy(SERVICENOW, source)
    result = import_file(session, source)
    assert (result.imported, result.skipped) == (890, [])
    t = ticket_by_number("INC0000045")  # original numbers are kept
    assert (t.status, t.priority, t.impact, t.urgency) == ("closed", "P3", "medium", "medium")
    assert t.group.name == "Group 56" and t.channel == "phone"
    assert t.resolution_code == "code 5" and t.resolved_by == "Resolved by 149"
    assert t.resolved_at.isoformat().startswith("2016-02-29T11:29")
    statuses = [h.new for h in History.select().where(
        (History.ticket == t.id) & (History.field == "status")).order_by(History.at)]
    assert statuses == ["new", "resolved", "closed"]  # rebuilt from the event rows
    with_problem = Ticket.select().where(Ticket.problem_ref.is_null(False)).count()
    with_rfc = Ticket.select().where(Ticket.rfc.is_null(False)).count()
    assert with_problem > 0 and with_rfc > 0
    import csv

    final_rows = {r["number"]: r for r in csv.DictReader(SERVICENOW.open())}
    missed = sum(1 for r in final_rows.values() if r["made_sla"] == "FALSE")
    assert Ticket.select().where(Ticket.resolution_breached == True).count() == missed  # noqa: E712
    no_resolution = Ticket.select().where(Ticket.resolved_at.is_null()).count()
    assert no_resolution == 29  # as the data's README says; nothing invented
    # our numbers do not collide with the imported ones
    assert log_ticket(session, new_ticket()).number == "INC-000001"


@needs_data
def test_broken_servicenow_rows_refuse_the_whole_import(session, tmp_path):
    lines = SERVICENOW.read_text().splitlines()
    lines[4] = lines[4].replace("29-02-2016 01:16", "31-02-2016 01:16")  # impossible date
    lines[9] = lines[9].replace("2 - Medium", "7 - Enormous", 1)  # unknown impact
    lines[14] = lines[14] + ",extra"  # broken row
    source = tmp_path / "broken.csv"
    source.write_text("\n".join(lines) + "\n")
    before = counts()
    with pytest.raises(BatchRefused) as err:
        import_file(session, source)
    reasons = {p.position: str(p) for p in err.value.problems}
    assert reasons[5].startswith("broken.csv: line 5 (INC0000045): opened_at: ")
    assert 10 in reasons and "impact: unknown value '7 - Enormous'" in reasons[10]
    assert 15 in reasons and "fields" in reasons[15]
    assert counts() == before

    result = import_file(session, source, skip_bad=True)
    assert result.imported == 890 - 3 and len(result.skipped) == 3
    assert counts()[0] == before[0] + 887


def test_json_round_trip_is_lossless(session, clock, tmp_path):
    first = log_ticket(session, new_ticket()).number
    second = log_ticket(session, new_ticket(summary="Second", type="problem")).number
    workflow.assign(session, first, technician="alice")
    workflow.start_work(session, first)
    workflow.hold(session, first, "awaiting_user", note="Asked for logs")
    clock.advance(hours=2)
    workflow.resume(session, first)
    from desk_app.services import classification, links

    classification.tick_checklist(session, first, ["2"])
    links.link_problem(session, first, second)
    workflow.resolve(session, first, "workaround", "workaround", "Restarted")
    third = log_ticket(session, new_ticket(summary="Third")).number
    links.relate(session, third, first)
    exported = io.StringIO()
    assert export_tickets(session, "json", exported) == 3
    path = tmp_path / "export.json"
    path.write_text(exported.getvalue())

    from desk_app.app import open_desk

    other = open_desk(tmp_path / "other", login="alice", now_fn=clock)
    result = import_file(other.session, path)
    assert result.imported == 3
    again = io.StringIO()
    export_tickets(other.session, "json", again)
    assert again.getvalue() == exported.getvalue()
    assert ticket_by_number(first).problem.number == second
    assert issue_number("INC") == "INC-000003"  # numbering skipped past the imported ones


def test_json_import_refuses_duplicates_and_dangling_references(session, tmp_path):
    number = log_ticket(session, new_ticket()).number
    out = io.StringIO()
    export_tickets(session, "json", out)
    document = json.loads(out.getvalue())
    path = tmp_path / "again.json"
    path.write_text(json.dumps(document))
    before = counts()
    with pytest.raises(BatchRefused) as err:
        import_file(session, path)
    assert "already on this desk" in err.value.problems[0].reason
    record = dict(document["tickets"][0], id=None, number="INC-900000", problem="PRB-424242",
                  history=[])  # its ids are on the desk already
    bad = dict(record, number="INC-900001", priority="P9")
    path.write_text(json.dumps({"tickets": [record, bad]}))
    with pytest.raises(BatchRefused) as err:
        import_file(session, path)
    reasons = {p.position: p.reason for p in err.value.problems}
    assert "PRB-424242" in reasons[1] and "priority" in reasons[2]
    assert counts() == before
    assert ticket_by_number(number)


def test_csv_export_and_import(session, tmp_path):
    log_ticket(session, new_ticket(summary="Comma, and \"quotes\""))
    out = io.StringIO()
    assert export_tickets(session, "csv", out) == 1
    text = out.getvalue()
    assert text.splitlines()[0].startswith("number,type,status")
    path = tmp_path / "tickets.csv"
    path.write_text(text.replace("INC-000001", "INC-000500"))
    assert import_file(session, path).imported == 1
    assert ticket_by_number("INC-000500").summary == 'Comma, and "quotes"'
    path.write_text(text.replace("INC-000001", "INC-000501").replace(",medium,", ",vast,", 1))
    with pytest.raises(BatchRefused) as err:
        import_file(session, path)
    assert err.value.problems[0].position == 2


def test_unreadable_files_are_refused(session, tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{not json")
    with pytest.raises(InvalidValue) as err:
        import_file(session, path)
    assert err.value.field == "file"
    with pytest.raises(InvalidValue):
        import_file(session, tmp_path / "missing.csv")
    with pytest.raises(InvalidValue):
        export_tickets(session, "xml", io.StringIO())


@needs_data
def test_servicenow_one_row_per_incident(session, tmp_path):
    import csv

    with SERVICENOW.open() as source:
        reader = csv.DictReader(source)
        final_rows = {row["number"]: row for row in reader}
        fields = reader.fieldnames
    path = tmp_path / "incidents.csv"
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(final_rows.values())
    result = import_file(session, path, fmt="servicenow")
    assert result.imported == len(final_rows) == 890
    t = ticket_by_number("INC0000045")
    assert (t.status, t.group.name, t.resolution_code) == ("closed", "Group 56", "code 5")
    assert t.responded_at is None  # one row tells nothing about the first response
    assert [h.field for h in History.select().where(History.ticket == t.id)
            ].count("status") == 1


@needs_data
def test_imported_tickets_can_recur_and_raise_problems(session, clock, tmp_path):
    """Imported incidents have no affected service and categories the policy does not
    list; deriving new records from them must not re-run the logging form's checks."""
    from desk_app.services import links

    source = tmp_path / "export.csv"
    shutil.copy(SERVICENOW, source)
    import_file(session, source)
    successor, same = workflow.reopen(session, "INC0000045", "Happened again")
    assert not same and successor.number == "INC-000001"
    assert (successor.category, successor.service) == ("Category 55", None)
    problem = links.raise_problem(session, "INC0000047")
    assert problem.type == "problem" and problem.channel == "technician"
    assert ticket_by_number("INC0000047").problem_id == problem.id
