"""Reading Jira Service Management's issue export (Filters > Export > CSV, all
fields or current fields).

Jira repeats a column once per value (``Comment``, ``Attachment``, ``Labels``, ...);
a comment cell is ``date;author;body`` and an attachment cell
``date;author;file name;URL``. The issue key stays the ticket number (``SD-123``);
comments become worklog entries, attachments a worklog line naming each file, and the
created, resolved and updated times status history.
"""

import csv
import io
from typing import Any

from desk_app.core.numbers import KEYED, normalised_number
from desk_app.core.validation import TEXT_MAX
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
    moment,
    read_table,
    summary_of,
)

TOOL = "Jira"
COLUMNS = {
    "summary": ("Summary",),
    "key": ("Issue key",),
    "type": ("Issue Type",),
    "status": ("Status",),
    "category": ("Status Category",),
    "project": ("Project name",),
    "priority": ("Priority",),
    "resolution": ("Resolution",),
    "assignee": ("Assignee",),
    "reporter": ("Reporter",),
    "creator": ("Creator",),
    "created": ("Created",),
    "updated": ("Updated",),
    "resolved": ("Resolved",),
    "description": ("Description",),
    "request_type": ("Custom field (Request Type)", "Custom field (Customer Request Type)"),
    "impact": ("Custom field (Impact)",),
    "urgency": ("Custom field (Urgency)",),
    "team": ("Custom field (Team)", "Custom field (Assigned Group)"),
    "component": ("Component/s",),
}
REPEATED = {"comment": "comment", "attachment": "attachment", "labels": "labels"}
REQUIRED = ("summary", "key", "status", "created")
DATES = ("%d/%b/%y %I:%M %p", "%d/%b/%Y %I:%M %p", "%d/%b/%y %H:%M", "%Y-%m-%d %H:%M",
         "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M")
STATUSES = {
    "open": ("new", None), "to do": ("new", None), "new": ("new", None),
    "waiting for support": ("new", None), "in progress": ("in_progress", None),
    "work in progress": ("in_progress", None), "under investigation": ("in_progress", None),
    "investigating": ("in_progress", None), "escalated": ("in_progress", None),
    "implementing": ("in_progress", None), "awaiting implementation": ("in_progress", None),
    "waiting for customer": ("on_hold", "awaiting_user"),
    "pending": ("on_hold", "awaiting_user"), "waiting for approval": ("on_hold", "awaiting_user"),
    "waiting for vendor": ("on_hold", "awaiting_supplier"),
    "resolved": ("resolved", None), "done": ("resolved", None),
    "completed": ("resolved", None), "closed": ("closed", None),
    "canceled": ("cancelled", None), "cancelled": ("cancelled", None),
    "declined": ("cancelled", None),
}
CATEGORIES = {"to do": ("new", None), "in progress": ("in_progress", None),
              "done": ("resolved", None)}
PRIORITIES = {"highest": "P1", "blocker": "P1", "critical": "P1", "high": "P2",
              "major": "P2", "medium": "P3", "minor": "P4", "low": "P4", "lowest": "P4",
              "trivial": "P4"}
IMPACTS = {"extensive / widespread": "high", "significant / large": "high",
           "moderate / limited": "medium", "minor / localized": "low"}
URGENCIES = {"critical": "high", "high": "high", "medium": "medium", "low": "low"}


def _type(value: str | None) -> str:
    name = (value or "").lower()
    if "incident" in name:
        return "incident"
    return "problem" if "problem" in name else "request"


def _repeated(header: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {key: [] for key in REPEATED}
    for index, title in enumerate(header):
        key = REPEATED.get(title.strip().lower())
        if key:
            found[key].append(index)
    return found


def _stamped(text: str, parts: int, column: str, options: ReadOptions) -> list[str]:
    """``date;author;rest`` split (the date read as a time)."""
    pieces = text.split(";", parts - 1)
    if len(pieces) < parts:
        raise BadRow(f"{column}: {shown(text)} is not 'date;author;...'")
    pieces[0] = moment(pieces[0].strip(), column, DATES, options.zone, options.date_format)
    return pieces


def _worklog(cells: list[str | None], repeated: dict[str, list[int]],
             options: ReadOptions) -> list[dict[str, Any]]:
    entries = []
    for index in repeated["comment"]:
        text = cells[index]
        if text:
            at, author, body = _stamped(text, 3, "Comment", options)
            if len(body) > TEXT_MAX:
                raise BadRow(f"Comment: at most {TEXT_MAX} characters")
            entries.append({"at": at, "by": label(author.strip(), "Comment") or "jira",
                            "kind": "note", "note": body.strip() or "(empty comment)"})
    for index in repeated["attachment"]:
        text = cells[index]
        if text:
            at, author, rest = _stamped(text, 3, "Attachment", options)
            name, _, url = rest.rpartition(";")
            entries.append({"at": at, "by": label(author.strip(), "Attachment") or "jira",
                            "kind": "note", "note": f"Attachment in Jira (not imported): "
                                                    f"{name or url} {url if name else ''}".strip()})
    return entries


def _record(row: dict[str, str | None], cells: list[str | None], repeated: dict[str, list[int]],
            options: ReadOptions) -> dict[str, Any]:
    when = dated(row, COLUMNS, DATES, options)
    number = normalised_number(row["key"] or "")
    if not KEYED.match(number):
        raise BadRow(f"Issue key: {shown(row['key'])} is not an issue key such as SD-123")
    status_name = (row["status"] or "").lower()
    if status_name not in STATUSES and row["category"]:
        status, hold = coded(row["category"], CATEGORIES, "Status Category")
    else:
        status, hold = coded(row["status"] or "", STATUSES, "Status")
    created = when("created")
    if created is None:
        raise BadRow("Created: is required")
    updated, resolved = when("updated"), when("resolved")
    if status in ("resolved", "closed") and resolved is None:
        resolved = updated
    closed = (updated or resolved) if status == "closed" else None
    if status == "closed" and closed is None:
        raise BadRow("Resolved: a closed issue needs its resolution time (or Updated)")
    priority = coded(row["priority"], PRIORITIES, "Priority") or "P3"
    summary, whole = summary_of(row["summary"], "Summary")
    assignee = label(row["assignee"], "Assignee")
    reporter = label(row["reporter"], "Reporter")
    labels = [cells[i] for i in repeated["labels"] if cells[i]]
    details = [f"{name}: {value}" for name, value in (
        ("Jira status", row["status"]), ("Issue type", row["type"]),
        ("Project", row["project"]), ("Labels", ", ".join(labels))) if value]
    return {
        "number": number,
        "type": _type(row["type"]),
        "status": status,
        "hold_reason": hold,
        "cancel_reason": "mislogged" if status == "cancelled" else None,
        "priority": priority,
        "impact": coded(row["impact"], IMPACTS, "Custom field (Impact)")
        or LEVELS_OF[priority][0],
        "urgency": coded(row["urgency"], URGENCIES, "Custom field (Urgency)")
        or LEVELS_OF[priority][1],
        "summary": summary,
        "description": description_of(whole, row["description"],
                                      f"Imported from Jira ({number}).", details),
        "category": label(row["request_type"], "Custom field (Request Type)"),
        "subcategory": label(row["component"], "Component/s"),
        "group": label(row["team"], "Custom field (Team)"),
        "assignee": assignee,
        "reporter": reporter,
        "contact": reporter,
        "detected_at": created,
        "logged_at": created,
        "logged_by": label(row["creator"], "Creator"),
        "updated_at": updated,
        "resolved_at": resolved,
        "closed_at": closed,
        "resolution_code": label(row["resolution"], "Resolution"),
        "history": lifecycle(created, label(row["creator"], "Creator") or reporter or "jira",
                             [(resolved, "resolved"), (closed, "closed")], status,
                             assignee or "jira"),
        "worklog": sorted(_worklog(cells, repeated, options), key=lambda e: e["at"]),
    }


def read_jira(text: str, options: ReadOptions) -> Reading:
    """The issues of a Jira CSV export, each at its line, and the lines refused."""
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    repeated = _repeated(header)
    return read_table(text, ",", COLUMNS, REQUIRED, TOOL, options,
                      lambda row, cells, forced_options: _record(row, cells, repeated,
                                                                 forced_options),
                      lambda row: row["key"])


def _detect(sample: Sample) -> int:
    """A header with Summary, Issue key and Issue id."""
    return 85 if {"summary", "issue key", "issue id"} <= header_titles(sample.first_line, ",") \
        else 0


def _read(source: Source, options: ReadOptions) -> Reading:
    return read_jira(source.text(), options)


FORMAT = ImportFormat(name="jira", title="Jira Service Management export", unit="line",
                      detect=_detect, read=_read, schema=TicketRecord)
