"""Reading osTicket's ticket export (Agent Panel > Tickets > Export, CSV).

The export holds one row per ticket with the columns the agent picked; the thread
itself is not in it, so its entry and attachment counts become one worklog line. Each
ticket becomes ``OST-<Ticket Number>``; its creation, closing and last update show its
status history.
"""

from typing import Any

from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord, shown
from desk_app.services.transfer.tool_exports import (
    LEVELS_OF,
    BadRow,
    coded,
    dated,
    description_of,
    header_titles,
    label,
    lifecycle,
    read_table,
    summary_of,
    tool_number,
)

TOOL = "osTicket"
COLUMNS = {
    "number": ("Ticket Number",),
    "created": ("Date Created", "Create Date"),
    "subject": ("Subject",),
    "from": ("From",),
    "email": ("From Email",),
    "priority": ("Priority",),
    "department": ("Department",),
    "topic": ("Help Topic",),
    "source": ("Source",),
    "status": ("Current Status", "Status"),
    "updated": ("Last Updated",),
    "sla_due": ("SLA Due Date",),
    "due": ("Due Date",),
    "closed": ("Closed Date", "Date Closed"),
    "overdue": ("Overdue",),
    "agent": ("Agent Assigned", "Assigned To"),
    "team": ("Team Assigned",),
    "threads": ("Thread Count",),
    "attachments": ("Attachment Count",),
    "reopens": ("Reopen Count",),
}
REQUIRED = ("number", "created", "subject", "status")
DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%y %I:%M %p",
         "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M")
STATUSES = {"open": ("new", None), "resolved": ("resolved", None), "closed": ("closed", None),
            "archived": ("closed", None), "deleted": ("cancelled", None)}
PRIORITIES = {"emergency": "P1", "high": "P2", "normal": "P3", "low": "P4"}
CHANNELS = {"web": "web", "email": "email", "phone": "phone", "api": None, "other": None}
YES = {"yes", "1", "true"}


def _count(value: str | None, column: str) -> int:
    if value is None:
        return 0
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        raise BadRow(f"{column}: {shown(value)} is not a whole number")
    return int(value)


def _record(row: dict[str, str | None], _cells: list[str | None],
            options: ReadOptions) -> dict[str, Any]:
    when = dated(row, COLUMNS, DATES, options)
    number = tool_number("OST", row["number"], "Ticket Number")
    status, hold = coded(row["status"], STATUSES, "Current Status")
    created = when("created")
    if created is None:
        raise BadRow("Date Created: is required")
    updated, closed = when("updated"), when("closed")
    agent = label(row["agent"], "Agent Assigned")
    if status == "new" and agent:
        status = "assigned"
    if status == "closed" and closed is None:
        closed = updated
        if closed is None:
            raise BadRow("Closed Date: a closed ticket needs its closing date (or Last "
                         "Updated)")
    resolved = (closed or updated) if status in ("resolved", "closed") else None
    priority = coded(row["priority"], PRIORITIES, "Priority") or "P3"
    summary, whole_subject = summary_of(row["subject"], "Subject")
    contact = label(row["from"], "From") or label(row["email"], "From Email")
    last = updated or closed or created
    threads = _count(row["threads"], "Thread Count")
    attachments = _count(row["attachments"], "Attachment Count")
    by = agent or "osticket"
    worklog = []
    if threads or attachments:
        worklog.append({"at": last, "by": by, "kind": "note", "note":
                        f"osTicket thread: {threads} entr{'y' if threads == 1 else 'ies'}, "
                        f"{attachments} attachment(s) (not in the export)"})
    details = [f"{name}: {row[key]}" for name, key in
               (("From", "from"), ("Email", "email"), ("Department", "department"))
               if row[key]]
    return {
        "number": number,
        "type": "incident",
        "status": status,
        "hold_reason": hold,
        "priority": priority,
        "impact": LEVELS_OF[priority][0],
        "urgency": LEVELS_OF[priority][1],
        "summary": summary,
        "description": description_of(
            whole_subject, None, f"Imported from osTicket (ticket #{row['number']}).",
            details),
        "category": label(row["topic"], "Help Topic"),
        "group": label(row["team"], "Team Assigned") or label(row["department"],
                                                               "Department"),
        "assignee": agent,
        "reporter": contact,
        "contact": label(row["email"], "From Email") or contact,
        "channel": CHANNELS.get((row["source"] or "").lower()),
        "detected_at": created,
        "logged_at": created,
        "updated_at": last,
        "resolved_at": resolved,
        "closed_at": closed if status == "closed" else None,
        "resolution_due": when("sla_due") or when("due"),
        "resolution_breached": (row["overdue"] or "").lower() in YES,
        "reopen_count": _count(row["reopens"], "Reopen Count"),
        "history": lifecycle(created, contact or "osticket",
                             [(resolved, "resolved"), (closed, "closed")], status, by),
        "worklog": worklog,
    }


def read_osticket(text: str, options: ReadOptions) -> Reading:
    """The tickets of an osTicket CSV export, each at its line, and the lines refused."""
    return read_table(text, None, COLUMNS, REQUIRED, TOOL, options, _record,
                      lambda row: row["number"] and f"OST-{row['number']}")


def _detect(sample: Sample) -> int:
    """A header with Ticket Number, Date Created and Subject."""
    return 85 if {"ticket number", "date created", "subject"} <= \
        header_titles(sample.first_line) else 0


def _read(source: Source, options: ReadOptions) -> Reading:
    return read_osticket(source.text(), options)


FORMAT = ImportFormat(name="osticket", title="osTicket export", unit="line",
                      detect=_detect, read=_read, schema=TicketRecord)
