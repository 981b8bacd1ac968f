"""Random desks for the KPI property tests: a strategy for one ticket (every field the
KPIs read, open and closed, paused and breached, rated, with or without worklog time by
someone in a group or in none) and what writes a drawn desk straight to the tables."""

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from desk_app.storage.database import database
from desk_app.storage.models import SupportGroup, Technician, Ticket, Worklog

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


def _insert(number: int, t: dict, group: str, person: str) -> None:  # one drawn ticket
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


def write_desk(tickets: list[dict]) -> None:
    """Replace the desk's tickets by the drawn ``tickets`` (the summary triggers run)."""
    for statement in ("DELETE FROM worklog", "DELETE FROM ticket_search",
                      "DELETE FROM ticket"):
        database.execute_sql(statement)
    group = SupportGroup.get(SupportGroup.name == "Service Desk").id
    person = Technician.get(Technician.login == "alice").id
    for number, t in enumerate(tickets):
        _insert(number, t, group, person)
