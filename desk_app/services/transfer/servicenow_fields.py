"""The mapping of a ServiceNow incident (one row of a list export, one record of the
Table API) to the desk's import record.

Rows arrive as ``{field name: text or None}``: list exports as CSV name their columns
by field name (``short_description``), as Excel by label ("Short description"); both
are read. Values may be display values ("1 - Critical", "In Progress") or raw values
("1", "2"). The README's ServiceNow table says what maps to what and what is dropped.
"""

import re
from collections.abc import Iterable
from typing import Any

from desk_app.core.errors import InvalidValue, Problem
from desk_app.core.numbers import normalised_number
from desk_app.core.validation import SUMMARY_MAX
from desk_app.services.transfer.dates import DateColumns
from desk_app.services.transfer.formats import Reading, ReadOptions

REQUIRED = ("number", "short_description", "state", "opened_at")
DATES = ("opened_at", "resolved_at", "closed_at", "sys_updated_on", "sys_created_on")
JOURNALS = {"work_notes": "Work notes", "comments": "Additional comments",
            "comments_and_work_notes": ""}
# labels of the Excel export (and of a CSV exported with labels) -> field names
LABELS = {
    "number": "number", "short description": "short_description",
    "description": "description", "state": "state", "incident state": "state",
    "priority": "priority", "impact": "impact", "urgency": "urgency",
    "category": "category", "subcategory": "subcategory",
    "assignment group": "assignment_group", "assigned to": "assigned_to",
    "caller": "caller_id", "opened": "opened_at", "opened by": "opened_by",
    "resolved": "resolved_at", "resolved by": "resolved_by", "closed": "closed_at",
    "closed by": "closed_by", "resolution code": "close_code", "close code": "close_code",
    "resolution notes": "close_notes", "close notes": "close_notes",
    "updated": "sys_updated_on", "updated by": "sys_updated_by", "created": "sys_created_on",
    "created by": "sys_created_by", "configuration item": "cmdb_ci",
    "service": "business_service", "business service": "business_service",
    "channel": "contact_type", "contact type": "contact_type",
    "work notes": "work_notes", "additional comments": "comments",
    "comments and work notes": "comments_and_work_notes", "on hold reason": "hold_reason",
    "problem": "problem_id", "change request": "rfc", "caused by change": "caused_by",
    "reopen count": "reopen_count", "reassignment count": "reassignment_count",
    "location": "location", "made sla": "made_sla", "sys id": "sys_id",
    "parent incident": "parent_incident", "company": "company",
}
READ = {*REQUIRED, "description", "priority", "impact", "urgency", "category",
        "subcategory", "assignment_group", "assigned_to", "caller_id", "opened_by",
        "resolved_at", "resolved_by", "closed_at", "closed_by", "close_code",
        "close_notes", "sys_updated_on", "sys_updated_by", "sys_created_on",
        "sys_created_by", "cmdb_ci", "business_service", "contact_type", "hold_reason",
        "problem_id", "rfc", "caused_by", "reopen_count", "reassignment_count",
        "location", "made_sla", "parent_incident", "company", *JOURNALS}
STATES = {"1": "new", "new": "new", "2": "in_progress", "in progress": "in_progress",
          "active": "in_progress", "3": "on_hold", "on hold": "on_hold",
          "awaiting user info": "on_hold", "6": "resolved", "resolved": "resolved",
          "7": "closed", "closed": "closed", "8": "cancelled", "canceled": "cancelled",
          "cancelled": "cancelled"}
HOLD_REASONS = {"1": "awaiting_user", "awaiting caller": "awaiting_user",
                "awaiting user info": "awaiting_user", "3": "awaiting_problem",
                "awaiting problem": "awaiting_problem", "4": "awaiting_supplier",
                "awaiting vendor": "awaiting_supplier", "5": "awaiting_change",
                "awaiting change": "awaiting_change"}
PRIORITIES = {"1": "P1", "2": "P2", "3": "P3", "4": "P4", "5": "P4"}
LEVELS = {"1": "high", "2": "medium", "3": "low"}
CHANNELS = {"phone": "phone", "email": "email", "self-service": "web",
            "self service": "web", "web": "web", "chat": "web", "virtual_agent": "web",
            "virtual agent": "web", "walk-in": "walk-in", "walk in": "walk-in",
            "monitoring": "event", "event": "event", "alert": "event"}
JOURNAL_HEADER = re.compile(
    r"^(?P<at>\S.*?) - (?P<by>.+?) \((?P<kind>Work notes|Additional comments|Comments)\)"
    r"\s*$", re.MULTILINE)


def field_name(header: str) -> str:
    """A column header as a field name: a name as it is, a label by :data:`LABELS`."""
    text = header.strip().lstrip("\ufeff")
    lowered = text.lower()
    return LABELS.get(lowered, lowered.replace(" ", "_"))


def check_header(header: Iterable[str], what: str) -> tuple[list[str], list[str]]:
    """The field names of ``header`` and the warning about columns not imported;
    refuses a header without the required columns or with one named twice."""
    names = [field_name(h) for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise InvalidValue("file", f"not a ServiceNow incident {what}: missing column(s) "
                           + ", ".join(missing) + " (found: " + ", ".join(names[:8])
                           + (", ..." if len(names) > 8 else "") + ")")
    twice = sorted({n for n in names if names.count(n) > 1 and n})
    if twice:
        raise InvalidValue("file", f"column(s) named twice: {', '.join(twice)}")
    dropped = [n for n in names if n and n not in READ and n != "sys_id"]
    warnings = ([f"column(s) not imported: {', '.join(dropped[:10])}"
                 + (f" (and {len(dropped) - 10} more)" if len(dropped) > 10 else "")]
                if dropped else [])
    return names, warnings


class BadRow(ValueError):
    """A row that cannot be mapped; the message names the column."""


def _coded(table: dict[str, str], column: str, value: str | None) -> str | None:
    """A choice by its code or its label ("1 - Critical", "1", "Critical" when the
    label alone is in ``table``)."""
    if value is None:
        return None
    text = value.strip().lower()
    code = text.split(" - ", 1)[0].strip() if " - " in text else text
    if code in table:
        return table[code]
    if text in table:
        return table[text]
    raise BadRow(f"{column}: unknown value {value[:40]!r}")


def _resolution_type(code: str | None) -> str | None:
    if not code:
        return None
    lowered = code.lower()
    if "work around" in lowered or "workaround" in lowered:
        return "workaround"
    if lowered.startswith(("solved", "solution", "resolved by", "closed/resolved")):
        return "permanent"
    return None


def _count(column: str, value: str | None) -> int:
    if value is None:
        return 0
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise BadRow(f"{column}: {value[:40]!r} is not a whole number")
    return int(value)


def _journal(text: str, kind_label: str, dates: DateColumns, fallback_at: str,
             fallback_by: str) -> list[dict[str, Any]]:
    """The entries of a journal field (newest first in ServiceNow) oldest first; text
    without entry headers is one entry at ``fallback_at``."""
    headers = list(JOURNAL_HEADER.finditer(text))
    if not headers:
        return [{"at": fallback_at, "by": fallback_by, "kind": "note",
                 "note": (f"{kind_label}: " if kind_label else "") + text.strip()}]
    entries = []
    for index, header in enumerate(headers):
        end = headers[index + 1].start() if index + 1 < len(headers) else len(text)
        body = text[header.end():end].strip()
        if not body:
            continue
        try:
            at = dates.iso("journal", header["at"])
        except ValueError as err:
            raise BadRow(f"{kind_label or 'journal'} entry {index + 1}: {err}") from None
        prefix = "" if header["kind"] == "Work notes" else "Comment to the caller: "
        entries.append({"at": at, "by": header["by"].strip(), "kind": "note",
                        "note": prefix + body})
    entries.reverse()
    return entries


def _history(row: dict[str, Any], status: str, at: dict[str, str | None]
             ) -> list[dict[str, Any]]:
    """History rows for what the export shows: opened, resolved, closed (or
    cancelled)."""
    opener = row.get("opened_by") or row.get("sys_created_by") or "servicenow"
    steps = [{"at": at["opened_at"], "by": opener, "field": "status", "old": None,
              "new": "new"}]
    last = "new"
    if at["resolved_at"] and status in ("resolved", "closed"):
        steps.append({"at": at["resolved_at"], "by": row.get("resolved_by") or "servicenow",
                      "field": "status", "old": last, "new": "resolved"})
        last = "resolved"
    if status == "closed" and at["closed_at"]:
        steps.append({"at": at["closed_at"], "by": row.get("closed_by") or "servicenow",
                      "field": "status", "old": last, "new": "closed"})
    if status == "cancelled" and (at["closed_at"] or at["sys_updated_on"]):
        steps.append({"at": at["closed_at"] or at["sys_updated_on"],
                      "by": row.get("closed_by") or row.get("sys_updated_by") or "servicenow",
                      "field": "status", "old": last, "new": "cancelled"})
    return steps


def record(row: dict[str, str | None], dates: DateColumns) -> dict[str, Any]:
    """The desk's import record of one ServiceNow incident; raises BadRow naming the
    column at fault."""
    at: dict[str, str | None] = {}
    for column in DATES:
        try:
            at[column] = dates.iso(column, row.get(column))
        except ValueError as err:
            raise BadRow(f"{column}: {err}") from None
    if at["opened_at"] is None:
        raise BadRow("opened_at: is required")
    state = _coded(STATES, "state", row.get("state"))
    if state is None:
        raise BadRow("state: is required")
    status = "assigned" if state == "new" and row.get("assigned_to") else state
    summary_text = (row.get("short_description") or "").strip()
    if not summary_text:
        raise BadRow("short_description: is required")
    description = row.get("description") or ""
    if len(summary_text) > SUMMARY_MAX:
        description = summary_text + ("\n\n" + description if description else "")
        summary_text = summary_text[:SUMMARY_MAX - 3].rstrip() + "..."
    details = [f"{label}: {row[key]}" for label, key in
               (("Location", "location"), ("Company", "company"),
                ("Parent incident", "parent_incident"), ("Caused by change", "caused_by"))
               if row.get(key)]
    if details:
        description = (description + "\n\n" if description else "") + "\n".join(details)
    updated = at["sys_updated_on"] or at["opened_at"]
    updater = row.get("sys_updated_by") or "servicenow"
    worklog: list[dict[str, Any]] = []
    for column, label in JOURNALS.items():
        if row.get(column):
            worklog += _journal(row[column], label, dates, updated, updater)
    made_sla = (row.get("made_sla") or "").strip().lower()
    return {
        "number": normalised_number(row.get("number") or ""),
        "type": "incident",
        "status": status,
        "hold_reason": (_coded(HOLD_REASONS, "hold_reason", row.get("hold_reason"))
                        if state == "on_hold" else None) or (
                            "awaiting_user" if state == "on_hold" else None),
        "priority": _coded(PRIORITIES, "priority", row.get("priority")) or "P3",
        "impact": _coded(LEVELS, "impact", row.get("impact")) or "medium",
        "urgency": _coded(LEVELS, "urgency", row.get("urgency")) or "medium",
        "summary": summary_text,
        "description": description,
        "category": row.get("category"),
        "subcategory": row.get("subcategory"),
        "service": row.get("business_service"),
        "ci": row.get("cmdb_ci"),
        "group": row.get("assignment_group"),
        "assignee": row.get("assigned_to"),
        "reporter": row.get("caller_id"),
        "contact": row.get("caller_id"),
        "channel": _coded(CHANNELS, "contact_type", row.get("contact_type")),
        "detected_at": at["opened_at"],
        "logged_at": at["opened_at"],
        "logged_by": row.get("opened_by") or row.get("sys_created_by"),
        "updated_at": updated,
        "resolved_at": at["resolved_at"] if status in ("resolved", "closed") else None,
        "closed_at": at["closed_at"] if status in ("closed", "cancelled") else None,
        "resolved_by": row.get("resolved_by") if status in ("resolved", "closed") else None,
        "resolution_type": _resolution_type(row.get("close_code")),
        "resolution_code": row.get("close_code"),
        "resolution_notes": row.get("close_notes"),
        "reopen_count": _count("reopen_count", row.get("reopen_count")),
        "reassignment_count": _count("reassignment_count", row.get("reassignment_count")),
        "resolution_breached": made_sla == "false",
        "problem_ref": row.get("problem_id"),
        "rfc": row.get("rfc"),
        "history": _history(row, status, at),
        "worklog": worklog,
    }


def journal_dates(rows: Iterable[dict[str, str | None]]) -> Iterable[str]:
    """The dates in the entry headers of every journal field of ``rows``."""
    for row in rows:
        for column in JOURNALS:
            text = row.get(column)
            if text:
                yield from (m["at"] for m in JOURNAL_HEADER.finditer(text))


def read_rows(rows: list[tuple[int, dict[str, str | None]]], options: ReadOptions,
              unit: str, warnings: list[str], raw_utc: bool = False) -> Reading:
    """The import records of ServiceNow rows (position, {field name: text or None}),
    their dates read with one format per column decided from the whole file;
    ``raw_utc``: the date columns hold raw values in UTC (the Table API's)."""
    columns = {c: [r[c] for _, r in rows if r.get(c)] for c in DATES}
    columns["journal"] = list(journal_dates(r for _, r in rows))
    dates = DateColumns(columns, options.zone, options.date_format,
                        utc_columns=DATES if raw_utc else ())
    items, problems = [], []
    for position, row in rows:
        number = normalised_number(row.get("number") or "")[:40]
        try:
            items.append((position, record(row, dates)))
        except BadRow as bad:
            problems.append(Problem(position, str(bad), unit, label=number))
    if dates.zone_used and options.zone_assumed:
        warnings.append(options.zone_warning())
    return Reading(items, problems, warnings)
