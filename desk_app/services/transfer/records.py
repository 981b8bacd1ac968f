"""The portable record of one ticket, and its validation into stored rows.

A record holds every ticket column by field name, with times as ISO 8601 text and
references as human labels (group name, technician login, ticket numbers), plus its
history, worklog, checklist ticks and links. Its shape is checked by the format's
schema (:mod:`desk_app.services.transfer.schema`); the rules between fields are
checked here.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from desk_app.core.errors import Refused
from desk_app.core.policy import Policy
from desk_app.core.sla import SlaPolicy
from desk_app.services.transfer.schema import CsvRecord, describe
from desk_app.storage.fields import from_millis, to_millis
from desk_app.storage.models import Ticket

REFERENCES = {"group": "group_name", "assignee": "assignee_login", "problem": "problem_number",
              "parent": "parent_number", "major_manager": "major_manager_login"}
CHILDREN = ("history", "worklog", "ticks", "links", "knowledge_uses", "major_team",
            "major_timeline", "major_updates")
EVENTS = ("detected_at", "logged_at", "responded_at", "resolved_at", "closed_at",
          "updated_at", "sla_stopped_since")
FUTURE_SLACK = timedelta(days=1)  # clocks of other systems may run a little ahead


class BadRecord(ValueError):
    """A record that cannot be imported; the message names the field and says why."""


def to_iso(value: datetime | int | None, zone: ZoneInfo) -> str | None:
    """A time (or stored millis) as ISO 8601 in ``zone``."""
    if value is None:
        return None
    moment = from_millis(value) if isinstance(value, int) else value
    return moment.astimezone(zone).isoformat()


def ticket_fields() -> list[tuple[str, Any]]:
    """(name, field) of every ticket column."""
    return [(f.name, f) for f in Ticket._meta.sorted_fields]


def child_record(row: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    """A history/worklog/tick row as portable data (times in ISO 8601)."""
    out = {k: v for k, v in row.items() if k != "ticket"}
    out["at"] = to_iso(row["at"], zone)
    return out


def validated(schema: type[CsvRecord], record: Any, zone: ZoneInfo) -> dict[str, Any]:
    """``record`` checked by ``schema``: plain values, times as stored millis."""
    if not isinstance(record, dict):
        raise BadRecord(f"must be an object of ticket fields, not {type(record).__name__}")
    try:
        return schema.model_validate(record, context={"zone": zone}).model_dump(mode="json")
    except ValidationError as error:
        raise BadRecord(describe(error)) from None


def ticket_row(data: dict[str, Any], policy: Policy, now: datetime,
               sla_of: Callable[[str | None], SlaPolicy] | None = None) -> dict[str, Any]:
    """The ticket row in stored form of validated record data, with the references left
    as labels under ``*_name`` / ``*_login`` / ``*_number`` keys. What happened to a
    ticket lies between 1970 and now: SLA clocks count business time from it, day by
    day. Due times the record lacks are planned by ``sla_of`` the ticket's service (its
    own targets, as when logging), else by the policy's."""
    latest = to_millis(now + FUTURE_SLACK)
    late = [name for name in EVENTS if (data.get(name) or 0) > latest]
    late += [f"{key} entry {index}: at" for key in CHILDREN
             for index, child in enumerate(data.get(key) or [], 1) if child["at"] > latest]
    if late:
        raise BadRecord(f"{late[0]}: is in the future")
    early = [name for name in EVENTS if data.get(name) is not None and data[name] < 0]
    if early:
        raise BadRecord(f"{early[0]}: is before 1970; no SLA clock runs from it")
    row: dict[str, Any] = {}
    for name, field in ticket_fields():
        if name in REFERENCES:
            row[REFERENCES[name]] = data.get(name)
        else:
            row[field.column_name] = data.get(name)
    for later in ("resolved_at", "closed_at", "responded_at"):
        if row.get(later) is not None and row[later] < row["logged_at"]:
            raise BadRecord(f"{later}: is before logged_at")
    if row.get("sla_stopped_since") is not None and row["sla_stopped_since"] < row["logged_at"]:
        raise BadRecord("sla_stopped_since: is before logged_at")
    if row.get("detected_at") is not None and row["detected_at"] > row["logged_at"]:
        raise BadRecord("detected_at: is after logged_at")
    if row["status"] == "closed" and row.get("closed_at") is None:
        raise BadRecord("closed_at: a closed ticket needs closed_at")
    if row.get("updated_at") is None:
        row["updated_at"] = row["logged_at"]
    for _, field in ticket_fields():
        column = field.column_name
        if (row.get(column) is None and not field.null and not field.primary_key
                and field.default is not None and not callable(field.default)):
            row[column] = field.default
    if row.get("response_due") is None or row.get("resolution_due") is None:
        _plan_targets(row, sla_of(row.get("service")) if sla_of else policy.sla)
    return row


def _plan_targets(row: dict[str, Any], sla: SlaPolicy) -> None:
    """The SLA due times a record lacks, from its logging time."""
    logged = from_millis(row["logged_at"])
    stopped = timedelta(milliseconds=row["sla_stopped_ms"])
    try:
        response = sla.response_due(row["priority"], logged)
        resolution = sla.resolution_due(row["priority"], logged, stopped)
        if row.get("response_due") is None:
            row["response_due"] = to_millis(response)
        if row.get("resolution_due") is None:  # an export may give one target only
            row["resolution_due"] = to_millis(resolution)
    except (OverflowError, ValueError, Refused):
        raise BadRecord("logged_at: no SLA targets can be planned from this time") from None


def children(data: dict[str, Any]) -> dict[str, list[dict]]:
    """The rows of validated record data that belong to its ticket, by kind: history,
    worklog, ticks, links, knowledge uses, major-incident rows, and its review (a list
    of at most one, under ``review``) with the review's ``actions``."""
    found = {key: list(data.get(key) or []) for key in CHILDREN}
    review = dict(data.get("review") or {})
    found["actions"] = list(review.pop("actions", None) or [])
    found["review"] = [review] if review else []
    return found
