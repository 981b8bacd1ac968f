"""Reading GLPI's ticket list export (Assistance > Tickets, export as CSV).

GLPI writes the columns the list shows, separated by ``;`` (its default; ``,`` works
too), with its English titles. Each ticket becomes ``GLPI-<ID>``; its followups, tasks
and solution become worklog entries, its documents a worklog line naming them, and its
opening, resolution and closing dates status history.
"""

from typing import Any

from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord
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

TOOL = "GLPI"
COLUMNS = {
    "id": ("ID",),
    "title": ("Title",),
    "status": ("Status",),
    "opened": ("Opening date",),
    "updated": ("Last update",),
    "priority": ("Priority",),
    "urgency": ("Urgency",),
    "impact": ("Impact",),
    "type": ("Type",),
    "category": ("Category",),
    "requester": ("Requester", "Requester - Requester", "Requester - User"),
    "writer": ("Writer",),
    "technician": ("Technician", "Assigned to - Technician", "Assigned to"),
    "group": ("Technician group", "Assigned to - Group", "Group in charge of the ticket"),
    "source": ("Request source",),
    "solved": ("Resolution date",),
    "closed": ("Closing date",),
    "time_to_own": ("Time to own",),
    "time_to_resolve": ("Time to resolve",),
    "description": ("Description",),
    "location": ("Location",),
    "entity": ("Entity",),
    "followups": ("Followups - Description", "Followups"),
    "tasks": ("Tasks - Description", "Tasks"),
    "solution": ("Solution - Solution", "Solution"),
    "documents": ("Documents", "Documents - Name"),
}
REQUIRED = ("id", "title", "status", "opened")
DATES = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")
STATUSES = {
    "new": ("new", None), "processing (assigned)": ("assigned", None),
    "processing (planned)": ("in_progress", None), "pending": ("on_hold", "awaiting_user"),
    "solved": ("resolved", None), "closed": ("closed", None),
    "nouveau": ("new", None), "en cours (attribué)": ("assigned", None),
    "en cours (planifié)": ("in_progress", None), "en attente": ("on_hold", "awaiting_user"),
    "résolu": ("resolved", None), "clos": ("closed", None),
    "1": ("new", None), "2": ("assigned", None), "3": ("in_progress", None),
    "4": ("on_hold", "awaiting_user"), "5": ("resolved", None), "6": ("closed", None),
}
PRIORITIES = {"very low": "P4", "low": "P4", "medium": "P3", "high": "P2", "very high": "P1",
              "major": "P1", "1": "P4", "2": "P4", "3": "P3", "4": "P2", "5": "P1", "6": "P1"}
LEVELS = {"very low": "low", "low": "low", "medium": "medium", "high": "high",
          "very high": "high", "1": "low", "2": "low", "3": "medium", "4": "high", "5": "high"}
TYPES = {"incident": "incident", "request": "request", "1": "incident", "2": "request"}
CHANNELS = {"helpdesk": "web", "e-mail": "email", "email": "email", "phone": "phone",
            "direct": "walk-in", "written": "email", "other": None}


def _entries(text: str | None) -> list[str]:
    """The values of a multi-valued cell (GLPI puts one per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _record(row: dict[str, str | None], _cells: list[str | None],
            options: ReadOptions) -> dict[str, Any]:
    for key in ("requester", "writer", "technician", "group"):  # the first of several
        row[key] = (_entries(row[key]) or [None])[0]
    when = dated(row, COLUMNS, DATES, options)
    number = tool_number(TOOL, row["id"], "ID")
    status, hold = coded(row["status"], STATUSES, "Status")
    opened = when("opened")
    if opened is None:
        raise BadRow("Opening date: is required")
    updated, solved, closed = when("updated"), when("solved"), when("closed")
    priority = coded(row["priority"], PRIORITIES, "Priority") or "P3"
    impact = coded(row["impact"], LEVELS, "Impact") or LEVELS_OF[priority][0]
    urgency = coded(row["urgency"], LEVELS, "Urgency") or LEVELS_OF[priority][1]
    summary, whole_title = summary_of(row["title"], "Title")
    if status == "closed" and closed is None:
        closed = updated or solved
        if closed is None:
            raise BadRow("Closing date: a closed ticket needs its closing date")
    if status in ("resolved", "closed") and solved is None:
        solved = closed or updated
    opener = label(row["writer"], "Writer") or label(row["requester"], "Requester") or "glpi"
    by = label(row["technician"], "Technician") or "glpi"
    last = updated or closed or solved or opened
    worklog = [{"at": last, "by": by, "kind": "note", "note": f"GLPI followup: {text}"}
               for text in _entries(row["followups"])]
    worklog += [{"at": last, "by": by, "kind": "note", "note": f"GLPI task: {text}"}
                for text in _entries(row["tasks"])]
    if row["documents"]:
        worklog.append({"at": last, "by": by, "kind": "note", "note": "Documents in GLPI "
                        "(not imported): " + ", ".join(_entries(row["documents"]))})
    details = [f"{name}: {row[key]}" for name, key in
               (("Entity", "entity"), ("Location", "location")) if row[key]]
    return {
        "number": number,
        "type": coded(row["type"], TYPES, "Type") or "incident",
        "status": status,
        "hold_reason": hold,
        "priority": priority,
        "major": row["priority"] is not None and row["priority"].lower() in ("major", "6"),
        "impact": impact,
        "urgency": urgency,
        "summary": summary,
        "description": description_of(whole_title, row["description"],
                                      f"Imported from GLPI (ticket {row['id']}).", details),
        "category": label(row["category"], "Category"),
        "group": label(row["group"], "Technician group"),
        "assignee": label(row["technician"], "Technician"),
        "reporter": label(row["requester"], "Requester"),
        "contact": label(row["requester"], "Requester"),
        "channel": CHANNELS.get(" ".join((row["source"] or "").split()).lower()),
        "detected_at": opened,
        "logged_at": opened,
        "logged_by": label(row["writer"], "Writer"),
        "updated_at": last,
        "resolved_at": solved,
        "closed_at": closed,
        "response_due": when("time_to_own"),
        "resolution_due": when("time_to_resolve"),
        "resolution_notes": row["solution"],
        "history": lifecycle(opened, opener, [(solved, "resolved"), (closed, "closed")],
                             status, by),
        "worklog": worklog,
    }


def read_glpi(text: str, options: ReadOptions) -> Reading:
    """The tickets of a GLPI CSV export, each at its line, and the lines refused."""
    return read_table(text, None, COLUMNS, REQUIRED, TOOL, options, _record,
                      lambda row: row["id"] and f"GLPI-{row['id']}")


def _detect(sample: Sample) -> int:
    """A header with ID, Title, Status and Opening date (GLPI's English titles)."""
    return 85 if {"id", "title", "status", "opening date"} <= header_titles(sample.first_line) \
        else 0


def _read(source: Source, options: ReadOptions) -> Reading:
    return read_glpi(source.text(), options)


FORMAT = ImportFormat(name="glpi", title="GLPI export", unit="line", detect=_detect,
                      read=_read, schema=TicketRecord)
