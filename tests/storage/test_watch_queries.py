"""The watcher reads tickets only through its due-time indexes: no query of a pass scans
the ticket table, so closed tickets are never read."""

from desk_app.services.intake import log_ticket
from desk_app.services.watch import watch_pass
from desk_app.storage.database import database

from ..conftest import new_ticket


def test_every_ticket_query_of_a_pass_searches_an_index(session, monkeypatch):
    log_ticket(session, new_ticket())
    seen = []
    original = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        if "FROM ticket" in sql and sql.lstrip().startswith("SELECT"):
            seen.append((sql, list(params or [])))
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(database, "execute_sql", recording)
    watch_pass(session)
    monkeypatch.undo()
    assert seen
    used = set()
    for sql, params in seen:
        for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params):
            detail = row[3]
            assert not detail.startswith("SCAN ticket"), (detail, sql)
            if detail.startswith("SEARCH ticket USING INDEX"):
                used.add(detail.split()[4])
    assert used == {"ticket_watch_response", "ticket_watch_resolution",
                    "ticket_awaiting_confirmation"}
