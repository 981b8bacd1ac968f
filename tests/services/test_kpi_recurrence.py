"""Property: recurrence within 30 days counts an incident when one of its reopens came
within 30 days of the resolution it reopened (a reopen whose time the history does not
hold counts), or when a linked new incident on its CI and category followed its
resolution within 30 days; whatever the reopens, their times and the links."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services.kpi_dashboard import dashboard
from desk_app.storage.database import database
from desk_app.storage.models import History, Link, Ticket
from tests.services.kpi_desks import HOUR, START

WITHIN = 30 * 24  # hours
gap = st.one_of(st.sampled_from([WITHIN - 1, WITHIN, WITHIN + 1]), st.integers(1, 60 * 24))
incident = st.fixed_dictionaries({
    "gaps": st.lists(gap, max_size=2),        # hours from a resolution to its reopen
    "unrecorded": st.integers(0, 1),          # reopens the history does not hold
    "resolved": st.booleans(),                # resolved again after the last reopen
    "linked_after": st.one_of(st.none(), gap),  # a linked new incident, hours after
})


def _write(number: int, drawn: dict) -> bool:
    """One incident, its reopens' history and its linked successor; whether it recurred
    within 30 days."""
    logged = START + number * HOUR
    history, at = [], logged + 2 * HOUR  # first resolved two hours after logging
    for hours in drawn["gaps"]:
        history.append((at + hours * HOUR, at))
        at += (hours + 1) * HOUR
    reopens = len(drawn["gaps"]) + drawn["unrecorded"]
    resolved_at = at if drawn["resolved"] or not reopens else None
    old = Ticket.create(
        number=f"INC-{number:06d}", type="incident",
        status="resolved" if resolved_at else "in_progress", impact="low", urgency="low",
        priority="P3", summary="x", category="Network", ci=f"pc-{number}",
        logged_at=logged, updated_at=logged, resolved_at=resolved_at, reopen_count=reopens)
    for reopened, resolution in history:
        History.create(ticket=old, at=reopened, by="alice", field="resolved_at",
                       old=resolution.isoformat(), new=None)
    after = drawn["linked_after"]
    if after is not None and resolved_at is not None:
        new = Ticket.create(
            number=f"INC-{number:06d}-N", type="incident", status="in_progress",
            impact="low", urgency="low", priority="P3", summary="x", category="Network",
            ci=f"pc-{number}", logged_at=resolved_at + after * HOUR,
            updated_at=resolved_at + after * HOUR)
        Link.create(ticket=new, kind="related", target=old, at=new.logged_at, by="alice")
    reopened_within = drawn["unrecorded"] > 0 or any(h <= WITHIN for h in drawn["gaps"])
    linked_within = resolved_at is not None and after is not None and after <= WITHIN
    return reopened_within or linked_within


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(incidents=st.lists(incident, max_size=12))
def test_recurrence_counts_reopens_within_30_days_and_linked_incidents(session, incidents):
    for statement in ("DELETE FROM link", "DELETE FROM history", "DELETE FROM ticket_search",
                      "DELETE FROM ticket"):
        database.execute_sql(statement)
    expected = sum(_write(number, drawn) for number, drawn in enumerate(incidents))
    data = dashboard(session, START - HOUR, START + timedelta(days=1))
    assert data.totals["recurred"] == expected
    assert data.totals["reopened"] == sum(
        1 for drawn in incidents if drawn["gaps"] or drawn["unrecorded"])
    assert sum(row.counts["recurred"] for row in data.trends["week"]) == expected
