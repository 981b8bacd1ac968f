"""Property: every breakdown and trend adds up to the period's totals, and the summary the
triggers keep equals a rebuild from the tickets, whatever the tickets are."""

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services.kpi_dashboard import dashboard
from desk_app.storage.database import database
from desk_app.storage.kpi_summary import rebuild_kpi_summary
from desk_app.storage.models import SupportGroup, Technician, Ticket, Worklog

START = datetime(2026, 10, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)
maybe = lambda values: st.one_of(st.none(), st.sampled_from(values))  # noqa: E731

ticket = st.fixed_dictionaries({
    "type": st.sampled_from(["incident", "incident", "request"]),
    "status": st.sampled_from(["new", "in_progress", "resolved", "closed", "cancelled"]),
    "priority": st.sampled_from(["P1", "P2", "P3", "P4"]),
    "category": maybe(["Network", "Hardware"]),
    "service": maybe(["VPN", "Mail"]),
    "channel": maybe(["phone", "email", "walk-in"]),
    "group": st.booleans(),
    "assignee": st.booleans(),
    "logged_hours": st.integers(0, 24 * 60),
    "detected_before": st.one_of(st.none(), st.integers(0, 5)),
    "resolve_after": st.integers(1, 200),
    "due_after": st.one_of(st.none(), st.integers(1, 100)),
    "reopen_count": st.integers(0, 2),
    "support_level": st.sampled_from(["L1", "L2"]),
    "score": st.one_of(st.none(), st.integers(1, 5)),
    "minutes": st.integers(0, 90),
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
        reopen_count=t["reopen_count"], support_level=t["support_level"],
        satisfaction_score=t["score"])
    if t["minutes"]:
        Worklog.create(ticket=row, at=logged, by="alice", kind="note", note="",
                       minutes=t["minutes"])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(ticket, max_size=25), cut=st.integers(0, 24 * 30))
def test_breakdowns_and_trends_add_up_and_the_summary_equals_a_rebuild(session, tickets,
                                                                        cut):
    for statement in ("DELETE FROM worklog", "DELETE FROM ticket_search",
                      "DELETE FROM ticket"):
        database.execute_sql(statement)
    group = SupportGroup.get(SupportGroup.name == "Service Desk").id
    person = Technician.get(Technician.login == "alice").id
    for number, t in enumerate(tickets):
        _insert(number, t, group, person)
    since = START + cut * HOUR + timedelta(minutes=17)  # edges inside days
    data = dashboard(session, since, since + timedelta(days=31))
    for name, rows in [*data.breakdowns.items(), *data.trends.items()]:
        for field, total in data.totals.items():
            assert sum(r.counts[field] for r in rows) == total, (name, field)
    assert sum(r.counts["open"] for r in data.backlog) == data.totals["open"]
    assert sum(r.counts["minutes"] for r in data.time_spent["technician"]) >= \
        data.totals["minutes"]
    kept = _summary()
    rebuild_kpi_summary()
    assert _summary() == kept


def _summary() -> dict[str, list[tuple]]:
    found = {}
    for table, first in (("kpi_summary", 3), ("kpi_ticket_time", 1), ("kpi_time", 2)):
        found[table] = sorted(row for row in database.execute_sql(f"SELECT * FROM {table}")
                              if any(row[first:]))
    return found
