"""Reading a ServiceNow incident export: one row per incident, or the event-log form
where an incident has a row per update and its last row is its final state.

The successive rows of the event-log form become the ticket's history (status,
assignment, priority, category changes with when and by whom).
"""

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue

REQUIRED_COLUMNS = ("number", "incident_state", "opened_at", "impact", "urgency", "priority")
STATES = {
    "new": ("new", None),
    "active": ("in_progress", None),
    "in progress": ("in_progress", None),
    "awaiting user info": ("on_hold", "awaiting_user"),
    "awaiting evidence": ("on_hold", "awaiting_user"),
    "awaiting vendor": ("on_hold", "awaiting_supplier"),
    "awaiting problem": ("on_hold", "awaiting_problem"),
    "awaiting change": ("on_hold", "awaiting_change"),
    "on hold": ("on_hold", "awaiting_user"),
    "resolved": ("resolved", None),
    "closed": ("closed", None),
    "canceled": ("cancelled", None),
    "cancelled": ("cancelled", None),
}
LEVELS = {"1": "high", "2": "medium", "3": "low"}
PRIORITIES = {"1": "P1", "2": "P2", "3": "P3", "4": "P4", "5": "P4"}
CHANNELS = {"phone": "phone", "email": "email", "self service": "web", "web": "web",
            "walk in": "walk-in", "walk-in": "walk-in", "ivr": "phone", "chat": "web",
            "direct opening": "technician", "event": "event"}
TRACKED = (("incident_state", "status"), ("assignment_group", "group"),
           ("assigned_to", "assignee"), ("impact", "impact"), ("urgency", "urgency"),
           ("priority", "priority"), ("category", "category"),
           ("subcategory", "subcategory"))


class BadRow(ValueError):
    """A row that cannot be read; the message names the column."""


def _value(row: dict[str, str], column: str) -> str | None:
    text = (row.get(column) or "").strip()
    return None if text in ("", "?") else text


def _time(row: dict[str, str], column: str, zone: ZoneInfo) -> str | None:
    text = _value(row, column)
    if text is None:
        return None
    for pattern in ("%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=zone).isoformat()
        except ValueError:
            continue
    raise BadRow(f"{column}: {text!r} is not a date dd-mm-yyyy HH:MM")


def _coded(row: dict[str, str], column: str, table: dict[str, str]) -> str | None:
    text = _value(row, column)
    if text is None:
        return None
    key = text.split(" - ")[0].strip().lower() if " - " in text else text.lower()
    if key not in table:
        raise BadRow(f"{column}: unknown value {text!r}")
    return table[key]


def _count(row: dict[str, str], column: str) -> int:
    text = _value(row, column) or "0"
    if not text.isdigit():
        raise BadRow(f"{column}: {text!r} is not a whole number")
    return int(text)


def _state(row: dict[str, str]) -> tuple[str, str | None]:
    text = _value(row, "incident_state")
    if text is None or text.lower() not in STATES:
        raise BadRow(f"incident_state: unknown state {text!r}")
    return STATES[text.lower()]


def _tracked(row: dict[str, str]) -> dict[str, str | None]:
    status, _ = _state(row)
    values = {"status": status}
    for column, name in TRACKED[1:]:
        if column in ("impact", "urgency"):
            values[name] = _coded(row, column, LEVELS)
        elif column == "priority":
            values[name] = _coded(row, column, PRIORITIES)
        else:
            values[name] = _value(row, column)
    return values


def _record(rows: list[tuple[int, dict[str, str]]], zone: ZoneInfo) -> dict[str, Any]:
    last = rows[-1][1]
    status, hold_reason = _state(last)
    opened = _time(last, "opened_at", zone)
    if opened is None:
        raise BadRow("opened_at: missing")
    symptom, category, subcategory = (_value(last, c) for c in
                                      ("u_symptom", "category", "subcategory"))
    summary = " / ".join(x for x in (symptom, category, subcategory) if x) or "ServiceNow incident"
    details = [f"{label}: {_value(last, column)}" for label, column in
               (("Symptom", "u_symptom"), ("Location", "location"),
                ("Made SLA in ServiceNow", "made_sla"), ("Caused by", "caused_by"),
                ("Vendor", "vendor")) if _value(last, column)]
    history, responded, previous = [], None, None
    for row_line, row in rows:
        try:
            values = _tracked(row)
            at = _time(row, "sys_updated_at", zone) or opened
        except BadRow as bad:
            raise BadRow(f"line {row_line}: {bad}") from None
        by = _value(row, "sys_updated_by") or "servicenow"
        for name, value in values.items():
            old = previous.get(name) if previous else None
            if value != old and (previous is not None or value is not None):
                history.append({"at": at, "by": by, "field": name, "old": old, "new": value})
        if responded is None and values["status"] != "new":
            responded = max(at, opened)  # some exports stamp updates before opened_at
        previous = values
    resolved, closed = _time(last, "resolved_at", zone), _time(last, "closed_at", zone)
    return {
        "number": _value(last, "number"),
        "type": "incident",
        "status": status,
        "hold_reason": hold_reason,
        "impact": _coded(last, "impact", LEVELS),
        "urgency": _coded(last, "urgency", LEVELS),
        "priority": _coded(last, "priority", PRIORITIES),
        "summary": summary[:200],
        "description": "Imported from ServiceNow.\n" + "\n".join(details),
        "category": category,
        "subcategory": subcategory,
        "ci": _value(last, "cmdb_ci"),
        "group": _value(last, "assignment_group"),
        "assignee": _value(last, "assigned_to"),
        "reporter": _value(last, "caller_id"),
        "contact": _value(last, "caller_id"),
        "channel": _coded(last, "contact_type", CHANNELS),
        "detected_at": opened,
        "logged_at": opened,
        "logged_by": _value(last, "opened_by"),
        "updated_at": _time(last, "sys_updated_at", zone) or opened,
        "responded_at": responded if len(rows) > 1 else None,
        "resolved_at": resolved,
        "closed_at": closed,
        "resolved_by": _value(last, "resolved_by"),
        "resolution_code": _value(last, "closed_code"),
        "reopen_count": _count(last, "reopen_count"),
        "resolution_breached": _value(last, "made_sla") == "FALSE",
        "reassignment_count": _count(last, "reassignment_count"),
        "problem_ref": _value(last, "problem_id"),
        "rfc": _value(last, "rfc"),
        "history": history,
    }


def read_servicenow(text: str, zone: ZoneInfo) -> tuple[list[tuple[int, dict[str, Any]]],
                                                         list[tuple[int, str]]]:
    """Records from a ServiceNow export, and the lines that could not be read. An
    incident with any broken row is reported at its first broken line."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidValue("file", "not a ServiceNow incident export: missing column(s) "
                           + ", ".join(missing))
    by_number: dict[str, list[tuple[int, dict[str, str]]]] = {}
    broken: dict[str, int] = {}  # an incident with a broken row is not imported at all
    problems: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        number = _value(row, "number")
        if None in row or any(v is None for v in row.values()):
            problems.append((line, "the row has a different number of fields than the header"))
            if number is not None:
                broken.setdefault(number, line)
            continue
        if number is None:
            problems.append((line, "number: missing"))
            continue
        by_number.setdefault(number, []).append((line, row))
    items = []
    for number, rows in by_number.items():
        if number in broken:
            continue
        last_line = rows[-1][0]
        try:
            items.append((last_line, _record(rows, zone)))
        except BadRow as bad:
            message = str(bad)
            if message.startswith("line "):
                where, _, reason = message.partition(": ")
                problems.append((int(where.split()[1]), reason))
            else:
                problems.append((last_line, message))
    return items, problems
