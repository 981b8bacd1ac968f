"""Reading a ServiceNow incident export: one row per incident, or the event-log form
where an incident has a row per update and its last row is its final state.

The successive rows of the event-log form become the ticket's history (status,
assignment, priority, category changes with when and by whom).
"""

import csv
import io
import re
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from desk_app.core.errors import InvalidValue, Problem
from desk_app.core.numbers import normalised_number
from desk_app.core.validation import LABEL_MAX, SUMMARY_MAX, moment_problem
from desk_app.services.transfer.csv_format import FIELD_LIMIT, field_limit
from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import COUNT_MAX, Number, TicketRecord, describe, shown

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


def _time_text(value: Any, info: ValidationInfo) -> str | None:
    """A ServiceNow time (dd-mm-yyyy HH:MM, in the team's zone) as ISO 8601."""
    if value is None:
        return None
    zone = (info.context or {}).get("zone") or ZoneInfo("UTC")
    for pattern in ("%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            moment = datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
        problem = moment_problem(moment)
        if problem:
            raise ValueError(f"{shown(value)} {problem}")
        return moment.isoformat()
    raise ValueError(f"{shown(value)} is not a date dd-mm-yyyy HH:MM")


def _coded(table: dict[str, str]) -> BeforeValidator:
    def parse(value: Any) -> str | None:
        if value is None:
            return None
        key = value.split(" - ")[0].strip().lower() if " - " in value else value.lower()
        if key not in table:
            raise ValueError(f"unknown value {shown(value)}")
        return table[key]
    return BeforeValidator(parse)


def _state(value: Any) -> str | None:
    if value is None or value.lower() not in STATES:
        raise ValueError(f"unknown state {shown(value)}")
    return value.lower()


def _count(value: Any) -> int:
    """A count as ServiceNow writes it: ASCII digits only (``'²'.isdigit()`` is True)."""
    if value is None:
        return 0
    if not isinstance(value, str) or not COUNT_TEXT.match(value):
        raise ValueError(f"{shown(value)} is not a whole number")
    return int(value)


COUNT_TEXT = re.compile(r"^[0-9]{1,9}$")
Time = Annotated[str | None, BeforeValidator(_time_text)]
Count = Annotated[int, BeforeValidator(_count), Field(le=COUNT_MAX)]
Text = Annotated[str | None, StringConstraints(max_length=LABEL_MAX)]


class ServiceNowRow(BaseModel):
    """One row of a ServiceNow incident export (the columns the desk reads; others are
    ignored). Empty cells and ``?`` are None."""

    model_config = ConfigDict(extra="ignore")
    number: Number
    incident_state: Annotated[str, BeforeValidator(_state)]
    opened_at: Time = None
    sys_updated_at: Time = None
    resolved_at: Time = None
    closed_at: Time = None
    impact: Annotated[str | None, _coded(LEVELS)] = None
    urgency: Annotated[str | None, _coded(LEVELS)] = None
    priority: Annotated[str | None, _coded(PRIORITIES)] = None
    contact_type: Annotated[str | None, _coded(CHANNELS)] = None
    reopen_count: Count = 0
    reassignment_count: Count = 0
    caller_id: Text = None
    opened_by: Text = None
    sys_updated_by: Text = None
    location: Text = None
    category: Text = None
    subcategory: Text = None
    u_symptom: Text = None
    cmdb_ci: Text = None
    assignment_group: Text = None
    assigned_to: Text = None
    problem_id: Text = None
    rfc: Text = None
    vendor: Text = None
    caused_by: Text = None
    closed_code: Text = None
    resolved_by: Text = None
    made_sla: Text = None

    @model_validator(mode="before")
    @classmethod
    def _empty_cells(cls, row: Any) -> Any:
        return {k: (None if v is None or v.strip() in ("", "?") else v.strip())
                for k, v in row.items() if isinstance(k, str)}


def _row(row: dict[str, str], zone: ZoneInfo) -> ServiceNowRow:
    try:
        return ServiceNowRow.model_validate(row, context={"zone": zone})
    except ValidationError as error:
        raise BadRow(describe(error)) from None


def _tracked(row: ServiceNowRow) -> dict[str, str | None]:
    values: dict[str, str | None] = {"status": STATES[row.incident_state][0]}
    for column, name in TRACKED[1:]:
        values[name] = getattr(row, column)
    return values


def _record(rows: list[tuple[int, ServiceNowRow]]) -> dict[str, Any]:
    last = rows[-1][1]
    status, hold_reason = STATES[last.incident_state]
    opened = last.opened_at
    if opened is None:
        raise BadRow("opened_at: is required")
    summary = " / ".join(x for x in (last.u_symptom, last.category, last.subcategory)
                         if x) or "ServiceNow incident"
    details = [f"{label}: {value}" for label, value in
               (("Symptom", last.u_symptom), ("Location", last.location),
                ("Made SLA in ServiceNow", last.made_sla), ("Caused by", last.caused_by),
                ("Vendor", last.vendor)) if value]
    history: list[dict[str, Any]] = []
    responded, previous = None, None
    for _, row in rows:
        values = _tracked(row)
        at = row.sys_updated_at or opened
        by = row.sys_updated_by or "servicenow"
        for name, value in values.items():
            old = previous.get(name) if previous else None
            if value != old and (previous is not None or value is not None):
                history.append({"at": at, "by": by, "field": name, "old": old, "new": value})
        if responded is None and values["status"] != "new":
            responded = max(at, opened, key=datetime.fromisoformat)  # some exports stamp
            # updates before opened_at
        previous = values
    return {
        "number": last.number,
        "type": "incident",
        "status": status,
        "hold_reason": hold_reason,
        "impact": last.impact,
        "urgency": last.urgency,
        "priority": last.priority,
        "summary": summary[:SUMMARY_MAX],
        "description": "Imported from ServiceNow.\n" + "\n".join(details),
        "category": last.category,
        "subcategory": last.subcategory,
        "ci": last.cmdb_ci,
        "group": last.assignment_group,
        "assignee": last.assigned_to,
        "reporter": last.caller_id,
        "contact": last.caller_id,
        "channel": last.contact_type,
        "detected_at": opened,
        "logged_at": opened,
        "logged_by": last.opened_by,
        "updated_at": last.sys_updated_at or opened,
        "responded_at": responded if len(rows) > 1 else None,
        "resolved_at": last.resolved_at,
        "closed_at": last.closed_at,
        "resolved_by": last.resolved_by,
        "resolution_code": last.closed_code,
        "reopen_count": last.reopen_count,
        "resolution_breached": last.made_sla == "FALSE",
        "reassignment_count": last.reassignment_count,
        "problem_ref": last.problem_id,
        "rfc": last.rfc,
        "history": history,
    }


def read_servicenow(text: str, zone: ZoneInfo) -> tuple[list[tuple[int, dict[str, Any]]],
                                                         list[Problem]]:
    """Records from a ServiceNow export (at the line of each incident's last row), and
    the lines that could not be read. An incident with any broken row is not imported;
    it is reported at its first broken line."""
    reader = csv.DictReader(io.StringIO(text))
    by_number: dict[str, list[tuple[int, ServiceNowRow]]] = {}
    broken: set[str] = set()
    problems: list[Problem] = []
    with field_limit(FIELD_LIMIT):
        try:
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidValue("file", "not a ServiceNow incident export: missing "
                                   "column(s) " + ", ".join(missing))
            for raw in reader:
                line = reader.line_num
                number = normalised_number(raw.get("number") or "")[:40]
                if number in broken:
                    continue
                if None in raw or any(v is None for v in raw.values()):
                    reason = "the row has a different number of fields than the header"
                elif not number or number == "?":
                    reason = "number: is required"
                else:
                    try:
                        by_number.setdefault(number, []).append((line, _row(raw, zone)))
                        continue
                    except BadRow as bad:
                        reason = str(bad)
                problems.append(Problem(line, reason, label=number))
                if number:
                    broken.add(number)
        except csv.Error as err:
            raise InvalidValue("file", f"line {reader.line_num}: not readable as CSV: "
                               f"{err}") from None
    items = []
    for number, rows in by_number.items():
        if number in broken:
            continue
        try:
            items.append((rows[-1][0], _record(rows)))
        except BadRow as bad:
            problems.append(Problem(rows[-1][0], str(bad), label=number))
    return items, problems


def _detect(sample: Sample) -> int:
    """The event log is the CSV whose header has incident_state."""
    return 90 if "incident_state" in sample.first_line.split(",") else 0


def _read(source: Source, options: ReadOptions) -> Reading:
    items, problems = read_servicenow(source.text(), options.zone)
    warnings = [options.zone_warning()] if options.zone_assumed and items else []
    return Reading(items, problems, warnings)


FORMAT = ImportFormat(name="servicenow", title="ServiceNow export", unit="line",
                      detect=_detect, read=_read, schema=TicketRecord)
