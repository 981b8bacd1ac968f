"""Property: whatever the tickets, every tile, trend bucket, breakdown row and backlog
bucket of the dashboard opens a queue of exactly as many tickets as it counts (a tile:
its figure's count; a trend or breakdown row: its incidents logged; a backlog bucket:
its open incidents; a time-spent row: the tickets with its time)."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services.kpi_dashboard import dashboard, tile_tickets_described
from desk_app.storage.database import database
from desk_app.storage.models import SupportGroup, Technician, Ticket, Worklog
from desk_app.storage.ticket_queries import count_tickets

START = datetime(2026, 10, 1, tzinfo=UTC)  # the desk's now is 23 November 2026 09:00
HOUR = timedelta(hours=1)
OPEN = ("new", "assigned", "in_progress", "on_hold")
maybe = lambda values: st.one_of(st.none(), st.sampled_from(values))  # noqa: E731

ticket = st.fixed_dictionaries({
    "type": st.sampled_from(["incident", "incident", "incident", "request"]),
    "status": st.sampled_from([*OPEN, "resolved", "closed", "cancelled"]),
    "priority": st.sampled_from(["P1", "P2", "P3", "P4"]),
    "category": maybe(["Network", "Hardware"]),
    "service": maybe(["VPN", "Mail"]),
    "channel": maybe(["phone", "email"]),
    "group": st.booleans(),
    "assignee": st.booleans(),
    "logged_hours": st.integers(0, 24 * 60),
    "detected_before": st.one_of(st.none(), st.integers(0, 5)),
    "resolve_after": st.integers(1, 200),
    # open ones: due before or after now, the clock paused before or after the due time
    "due_after": st.one_of(st.none(), st.integers(1, 24 * 40)),
    "stopped_after": st.one_of(st.none(), st.integers(0, 24 * 40)),
    "breached": st.booleans(),
    "reopen_count": st.integers(0, 2),
    "support_level": st.sampled_from(["L1", "L2"]),
    "score": st.one_of(st.none(), st.integers(1, 5)),
    "minutes": st.sampled_from([0, 0, 15, 60]),
    "author": st.sampled_from(["alice", "alice", "someone"]),  # someone: in no group
})


def _insert(number: int, t: dict, group: str, person: str) -> None:
    logged = START + t["logged_hours"] * HOUR
    resolved = t["status"] in ("resolved", "closed")
    row = Ticket.create(
        number=f"INC-{number:06d}", type=t["type"], status=t["status"], impact="low",
        urgency="low", priority=t["priority"], summary="x", category=t["category"],
        service=t["service"], channel=t["channel"], group=group if t["group"] else None,
        assignee=person if t["assignee"] else None, logged_at=logged, updated_at=logged,
        detected_at=None if t["detected_before"] is None
        else logged - t["detected_before"] * HOUR,
        resolved_at=logged + t["resolve_after"] * HOUR if resolved else None,
        resolution_due=None if t["due_after"] is None else logged + t["due_after"] * HOUR,
        sla_stopped_since=None if t["stopped_after"] is None or resolved
        else logged + t["stopped_after"] * HOUR,
        resolution_breached=t["breached"], reopen_count=t["reopen_count"],
        support_level=t["support_level"], satisfaction_score=t["score"])
    if t["minutes"]:
        Worklog.create(ticket=row, at=logged, by=t["author"], kind="note", note="",
                       minutes=t["minutes"])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(ticket, max_size=25), cut=st.integers(0, 24 * 30))
def test_every_tile_and_row_opens_as_many_tickets_as_it_counts(session, tickets, cut):
    for statement in ("DELETE FROM worklog", "DELETE FROM ticket_search",
                      "DELETE FROM ticket"):
        database.execute_sql(statement)
    group = SupportGroup.get(SupportGroup.name == "Service Desk").id
    person = Technician.get(Technician.login == "alice").id
    for number, t in enumerate(tickets):
        _insert(number, t, group, person)
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
