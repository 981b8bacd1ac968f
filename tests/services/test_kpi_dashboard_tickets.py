"""Property: whatever the tickets, every tile, trend bucket, breakdown row and backlog
bucket of the dashboard opens a queue of exactly as many tickets as it counts (a tile:
its figure's count; a trend or breakdown row: its incidents logged; a backlog bucket:
its open incidents; a time-spent row: the tickets with its time)."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services.kpi_dashboard import dashboard, tile_tickets_described
from desk_app.storage.models import Ticket
from desk_app.storage.ticket_queries import count_tickets
from tests.services.kpi_desks import HOUR, START, ticket, write_desk


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(ticket, max_size=25), cut=st.integers(0, 24 * 30))
def test_every_tile_and_row_opens_as_many_tickets_as_it_counts(session, tickets, cut):
    write_desk(tickets)
    since = START + cut * HOUR + timedelta(minutes=17)  # edges inside days
    data = dashboard(session, since, since + timedelta(days=31))
    for figure in data.tiles:
        assert count_tickets(data.tile_tickets[figure.key]) == figure.count, figure.key
    for name, rows in [*data.breakdowns.items(), *data.trends.items()]:
        for row in rows:
            assert count_tickets(row.tickets) == row.counts["logged"], (name, row.key)
    for row in data.backlog:
        assert count_tickets(row.tickets) == row.counts["open"], row.key
    # time spent rows show minutes and entries: their tickets are those with an entry
    for by in ("technician", "group"):
        for row in data.time_spent[by]:
            assert 0 < count_tickets(row.tickets) <= row.counts["entries"], (by, row.key)
        assert sum(count_tickets(r.tickets) for r in data.time_spent[by]) >= \
            len({t for r in data.time_spent["ticket"] for t in r.tickets.ids})


def test_every_tile_says_which_tickets_it_measures(session):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    Ticket.create(number="INC-1", type="incident", status="resolved", impact="low",
                  urgency="low", priority="P2", summary="x", logged_at=start,
                  updated_at=start, resolved_at=start + HOUR)
    data = dashboard(session, start, start + timedelta(days=30))
    described = {f.key: tile_tickets_described(f.key) for f in data.tiles}
    assert described["mttr_P2"] == "the resolved P2 incidents"
    assert "SLA outcome is known" in described["sla_compliance"]
    assert "ever resolved" in described["reopen_rate"] == described["recurrence"]
    assert all(text.startswith(("the ", "every ")) for text in described.values())


def test_an_incident_logged_after_now_is_in_the_youngest_backlog_bucket_and_its_queue(
        session, clock):
    ahead = clock() + timedelta(minutes=2)  # synced from a device whose clock runs ahead
    Ticket.create(number="INC-1", type="incident", status="new", impact="low",
                  urgency="low", priority="P2", summary="x", logged_at=ahead,
                  updated_at=ahead)
    data = dashboard(session, ahead - timedelta(days=2), ahead + timedelta(days=1))
    youngest = data.backlog[0]
    assert (youngest.key, youngest.counts["open"]) == ("under 1 day", 1)
    assert count_tickets(youngest.tickets) == 1
