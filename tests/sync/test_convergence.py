"""Randomised: three or more devices, random work, random offline periods and sync
orders; after everyone syncs twice all copies are identical, nothing is lost and no
history or worklog entry exists twice. Plus verification and repair."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services import workflow
from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database
from desk_app.storage.models import History, Ticket, Worklog
from tests.conftest import new_ticket
from tests.sync.conftest import (
    client_factory,
    same_as_server,
    server_copy,
    synced_copy,
)
from tests.team_database import fresh_team

DEVICES = ("amy", "ben", "cho")

operation = st.one_of(
    st.tuples(st.just("log"), st.sampled_from(DEVICES), st.integers(0, 10**6)),
    st.tuples(st.just("note"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("summary"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("description"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("assign"), st.sampled_from(DEVICES), st.integers(0, 50)),
    st.tuples(st.just("sync"), st.sampled_from(DEVICES), st.integers(0, 0)),
)


def _known_numbers() -> list[str]:
    return [t.number for t in Ticket.select().order_by(Ticket.id)]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=4, max_size=24))
def test_random_offline_work_converges(postgres_url, tmp_path_factory, operations):
    root = tmp_path_factory.mktemp("convergence")
    with fresh_team(postgres_url) as team, client_factory(root, team) as make:
        devices = {name: make(name) for name in DEVICES}
        for device in devices.values():
            device.open()
            device.sync()
        notes_written: set[str] = set()
        summaries: dict[str, str] = {}
        for step, (kind, name, pick) in enumerate(operations):
            device = devices[name]
            session = device.open().session
            numbers = _known_numbers()
            if kind == "log":
                log_ticket(session, new_ticket(summary=f"{name} ticket {pick}"))
            elif kind == "sync":
                device.sync()
            elif numbers:
                number = numbers[pick % len(numbers)]
                if kind == "note":
                    note = f"{name} note {step}"
                    add_worklog(session, number, note)
                    notes_written.add(note)
                elif kind == "summary":
                    summary = f"{name} summary {step}"
                    update_details(session, number, {"summary": summary})
                    summaries[ticket_by_number(number).id] = summary
                elif kind == "description":
                    update_details(session, number, {"description": f"{name} text {step}"})
                elif kind == "assign" and ticket_by_number(number).status in ("new", "assigned"):
                    workflow.assign(session, number, technician=name)
            device.later()
        for _ in range(2):
            for device in devices.values():
                device.open()
                device.sync()
        copies = {}
        for name, device in devices.items():
            device.open()
            copies[name] = synced_copy()
            notes = [w.note for w in Worklog.select()]
            assert len(notes) == len(set(notes)) and notes_written <= set(notes)
            ids = [h.id for h in History.select()]
            assert len(ids) == len(set(ids))
            numbers = _known_numbers()
            assert len(numbers) == len(set(numbers))
            for ticket_id, summary in summaries.items():  # the last edit of each won
                assert Ticket.get_by_id(ticket_id).summary == summary
        assert copies["amy"] == copies["ben"] == copies["cho"]
        assert same_as_server(copies["amy"], server_copy(team))


def test_a_damaged_local_copy_is_found_and_repaired_by_a_full_resync(clients, team_db):
    amy = clients("amy")
    amy.open()
    number = log_ticket(amy.session, new_ticket(summary="Right summary")).number
    add_worklog(amy.session, number, "A note that must come back")
    amy.sync()
    ticket_id = ticket_by_number(number).id
    database.execute_sql("UPDATE ticket SET summary = 'Damaged' WHERE id = ?", (ticket_id,))
    database.execute_sql("DELETE FROM worklog WHERE ticket_id = ?", (ticket_id,))
    report = amy.sync(verify_all=True)
    assert report.repaired
    assert any("repaired by a full resync" in w for w in report.warnings)
    assert ticket_by_number(number).summary == "Right summary"
    assert [w.note for w in Worklog.select()] == ["A note that must come back"]
    assert amy.sync(verify_all=True).repaired is False


def test_local_rows_the_server_never_got_are_pushed_again_not_dropped(clients, team_db):
    amy = clients("amy")
    amy.open()
    amy.sync()
    number = log_ticket(amy.session, new_ticket(summary="Lost on the way")).number
    database.execute_sql("DELETE FROM outbox")  # as if trimmed without reaching the server
    report = amy.sync(verify_all=True)
    assert report.repaired
    assert ticket_by_number(number).summary == "Lost on the way"
    assert team_db.scalar("SELECT count(*) FROM desk.change WHERE entity = 'ticket' "
                          "AND field IS NULL") == 1
