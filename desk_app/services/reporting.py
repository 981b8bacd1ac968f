"""Queues, searches and the KPI report, for the CLI and the desktop client."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue
from desk_app.services.major_kpis import major_kpis
from desk_app.services.session import Session, reads
from desk_app.services.ticket_view import iso
from desk_app.storage.fields import to_millis
from desk_app.storage.knowledge_use import resolved_by_knowledge
from desk_app.storage.report_queries import kpi_report
from desk_app.storage.ticket_queries import TicketFilter, count_tickets, list_tickets


@reads
def ticket_rows(session: Session, flt: TicketFilter, sort: str = "resolution_due",
                descending: bool = False, limit: int = 50) -> list[dict[str, Any]]:
    """A page of ticket rows with times in the team's zone."""
    zone = ZoneInfo(session.policy.time_zone)
    rows = list_tickets(flt, sort=sort, descending=descending, limit=limit)
    for row in rows:
        for key in ("resolution_due", "sla_stopped_since", "logged_at", "updated_at"):
            row[key] = iso(row[key], zone)
    return rows


@reads
def report(session: Session, since: datetime | None = None,
           until: datetime | None = None) -> dict[str, Any]:
    """The KPI report over tickets logged in [since, until)."""
    if since and until and since >= until:
        raise InvalidValue("since", "must be before --until")
    data = kpi_report(to_millis(since) if since else None,
                      to_millis(until) if until else None, to_millis(session.now()))
    data["resolved_by_knowledge"] = resolved_by_knowledge(
        to_millis(since) if since else None, to_millis(until) if until else None)
    data["major_incidents"] = [
        {"key": f.key, "label": f.label, "value": f.value, "unit": f.unit, "target": f.target,
         "count": f.count, "rating": f.rating().value} for f in major_kpis(session, since, until)]
    data["period"] = {"since": since.isoformat() if since else None,
                      "until": until.isoformat() if until else None}
    return data


@reads
def desk_summary(session: Session) -> dict[str, Any]:
    """Who is working and how many tickets are open, breached and stored."""
    now = to_millis(session.now())
    return {
        "technician": session.login,
        "role": session.role.value,
        "open": count_tickets(TicketFilter(open_only=True)),
        "breached": count_tickets(TicketFilter(open_only=True, breached_at=now)),
        "total": count_tickets(TicketFilter()),
    }
