"""The portable record of one ticket, and its validation into stored rows.

A record holds every ticket column by field name, with times as ISO 8601 text and
references as human labels (group name, technician login, ticket numbers), plus its
history, worklog, checklist ticks and links.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.enums import (
    PRIORITIES,
    Channel,
    Level,
    ResolutionType,
    Status,
    SupportLevel,
    TicketType,
)
from desk_app.storage.fields import MillisField, from_millis, to_millis
from desk_app.storage.models import Ticket

REFERENCES = {"group": "group_name", "assignee": "assignee_login", "problem": "problem_number",
              "parent": "parent_number"}
REQUIRED = ("number", "type", "status", "impact", "urgency", "priority", "summary",
            "logged_at")
CHOICES = {"type": TicketType, "status": Status, "impact": Level, "urgency": Level,
           "channel": Channel, "resolution_type": ResolutionType,
           "support_level": SupportLevel}


class BadRecord(ValueError):
    """A record that cannot be imported; the message says why."""


def to_iso(value: datetime | int | None, zone: ZoneInfo) -> str | None:
    """A time (or stored millis) as ISO 8601 in ``zone``."""
    if value is None:
        return None
    moment = from_millis(value) if isinstance(value, int) else value
    return moment.astimezone(zone).isoformat()


def parse_iso(value: Any, field: str, zone: ZoneInfo) -> int | None:
    """ISO 8601 text as stored millis; a missing offset means the team's zone."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise BadRecord(f"{field}: {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return to_millis(moment)


def ticket_fields() -> list[tuple[str, Any]]:
    """(name, field) of every ticket column."""
    return [(f.name, f) for f in Ticket._meta.sorted_fields]


def child_record(row: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """A history/worklog/tick row as portable data (times in ISO 8601)."""
    out = {k: v for k, v in row.items() if k != "ticket"}
    out["at"] = to_iso(row["at"], zone)
    return out


def validate_ticket(record: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """Check a portable record and return the ticket row in stored form, with the
    references left as labels under ``*_name`` / ``*_login`` / ``*_number`` keys."""
    missing = [name for name in REQUIRED if record.get(name) in (None, "")]
    if missing:
        raise BadRecord(f"missing {', '.join(missing)}")
    row: dict[str, Any] = {}
    for name, field in ticket_fields():
        if name in REFERENCES:
            row[REFERENCES[name]] = record.get(name) or None
            continue
        value = record.get(name)
        if isinstance(field, MillisField):
            row[field.column_name] = parse_iso(value, name, zone)
        else:
            row[field.column_name] = value
    for name, enum in CHOICES.items():
        value = row.get(name)
        if value is not None and value not in {m.value for m in enum}:
            raise BadRecord(f"{name}: {value!r} is not one of "
                            + ", ".join(m.value for m in enum))
    if row["priority"] not in PRIORITIES:
        raise BadRecord(f"priority: {row['priority']!r} is not one of P1..P4")
    for later in ("resolved_at", "closed_at", "responded_at"):
        if row.get(later) is not None and row[later] < row["logged_at"]:
            raise BadRecord(f"{later} is before logged_at")
    if row.get("detected_at") is not None and row["detected_at"] > row["logged_at"]:
        raise BadRecord("detected_at is after logged_at")
    if row["status"] in ("closed",) and row.get("closed_at") is None:
        raise BadRecord("a closed ticket needs closed_at")
    if row.get("updated_at") is None:
        row["updated_at"] = row["logged_at"]
    for _, field in ticket_fields():
        column = field.column_name
        if (row.get(column) is None and not field.null and not field.primary_key
                and field.default is not None and not callable(field.default)):
            row[column] = field.default
    for name in ("reassignment_count", "escalation_count", "reopen_count",
                 "hierarchic_level", "sla_stopped_ms"):
        if not isinstance(row[name], int) or row[name] < 0:
            raise BadRecord(f"{name}: {row[name]!r} is not a whole number >= 0")
    return row


def validate_children(record: dict[str, Any], zone: ZoneInfo) -> dict[str, list[dict]]:
    """The history, worklog, ticks and links of a record in stored form."""
    out: dict[str, list[dict]] = {"history": [], "worklog": [], "ticks": [], "links": []}
    for key, needed in (("history", ("at", "by", "field")),
                        ("worklog", ("at", "by", "kind", "note")),
                        ("ticks", ("at", "by", "checklist", "item")),
                        ("links", ("at", "by", "kind", "number"))):
        for index, child in enumerate(record.get(key) or [], 1):
            absent = [n for n in needed if child.get(n) in (None, "")]
            if absent:
                raise BadRecord(f"{key} entry {index}: missing {', '.join(absent)}")
            row = dict(child)
            row["at"] = parse_iso(child["at"], f"{key} entry {index} at", zone)
            out[key].append(row)
    return out
