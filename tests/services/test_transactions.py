"""An activity is one transaction: if anything fails part-way, nothing of it remains."""

import pytest

from desk_app.services import recording, workflow
from desk_app.services.intake import log_ticket
from desk_app.storage.database import database

from ..conftest import new_ticket


def table_counts():
    tables = [r[0] for r in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'ticket_search_%'")]
    return {t: database.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in tables}


def failing_outbox(monkeypatch):
    """Make every write to the sync outbox fail, as a full disk would."""

    def queue(entries):
        list(entries)
        raise OSError("disk full")

    monkeypatch.setattr(recording, "queue", queue)


def test_failed_logging_leaves_nothing_and_keeps_the_number(session, monkeypatch):
    before = table_counts()
    failing_outbox(monkeypatch)
    with pytest.raises(OSError):
        log_ticket(session, new_ticket())
    assert table_counts() == before
    monkeypatch.undo()
    assert log_ticket(session, new_ticket()).number == "INC-000001"


def test_failed_change_leaves_the_ticket_as_it_was(session, monkeypatch):
    number = log_ticket(session, new_ticket()).number
    before = table_counts()
    status = database.execute_sql("SELECT status FROM ticket").fetchone()
    failing_outbox(monkeypatch)
    with pytest.raises(OSError):
        workflow.assign(session, number, technician="alice")
    assert table_counts() == before
    assert database.execute_sql("SELECT status FROM ticket").fetchone() == status


def test_resolving_with_a_new_problem_record_is_one_activity(session, monkeypatch):
    from desk_app.services import links

    ticket = log_ticket(session, new_ticket())
    workflow.start_work(session, ticket.number)
    before = table_counts()

    def refuse(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(links, "derived_ticket", refuse)  # the problem record fails
    with pytest.raises(OSError):
        links.resolve_raising_problem(session, ticket.number, "workaround", "fixed",
                                      "Restarted the VPN service", may_recur=True)
    assert table_counts() == before
    assert workflow.ticket_by_number(ticket.number).status == "in_progress"
    monkeypatch.undo()
    problem = links.resolve_raising_problem(session, ticket.number, "workaround", "fixed",
                                            "Restarted the VPN service", may_recur=True)
    resolved = workflow.ticket_by_number(ticket.number)
    assert resolved.status == "resolved" and resolved.problem_id == problem.id
