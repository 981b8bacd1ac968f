"""Property: every breakdown and trend adds up to the period's totals, and the summary the
triggers keep equals a rebuild from the tickets, whatever the tickets are."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services.kpi_dashboard import dashboard
from desk_app.storage.database import database
from desk_app.storage.kpi_summary import rebuild_kpi_summary
from tests.services.kpi_desks import HOUR, START, ticket, write_desk


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tickets=st.lists(ticket, max_size=25), cut=st.integers(0, 24 * 30))
def test_breakdowns_and_trends_add_up_and_the_summary_equals_a_rebuild(session, tickets,
                                                                        cut):
    write_desk(tickets)
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
