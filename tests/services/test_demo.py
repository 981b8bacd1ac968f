from desk_app.services.demo import write_demo_tickets
from desk_app.storage.database import database
from desk_app.storage.models import Ticket


def test_demo_tickets_are_internally_consistent(session):
    assert write_demo_tickets(session, 400, seed=7) == 400
    last_status = dict(database.execute_sql(
        """SELECT t.id, (SELECT h.new FROM history h WHERE h.ticket_id = t.id
                         AND h.field = 'status' ORDER BY h.at DESC, h.rowid DESC LIMIT 1)
           FROM ticket t""").fetchall())
    for ticket in Ticket.select():
        assert last_status[ticket.id] == ticket.status, ticket.number
        assert ticket.logged_at <= (ticket.responded_at or ticket.logged_at)
        if ticket.resolved_at:
            assert ticket.resolution_breached == (ticket.resolved_at > ticket.resolution_due)
        if ticket.status == "closed":
            assert ticket.closed_at >= ticket.resolved_at and ticket.confirmation
        if ticket.escalation_count:
            assert ticket.support_level in ("L2", "L3")
    numbers = sorted(int(t.number[4:]) for t in Ticket.select().where(Ticket.type == "incident"))
    assert numbers == list(range(1, len(numbers) + 1))
    found = database.execute_sql(
        "SELECT COUNT(*) FROM ticket_search WHERE ticket_search MATCH 'reports'").fetchone()[0]
    assert found == 400  # every demo ticket is in the search index
