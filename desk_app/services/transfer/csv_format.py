"""CSV export of tickets (one row each), and import of the same columns."""

import csv
import io
from collections.abc import Callable
from typing import Any, TextIO

from desk_app.core.errors import InvalidValue
from desk_app.services.session import Session
from desk_app.services.transfer.json_format import export_records

COLUMNS = ("number", "type", "status", "hold_reason", "priority", "impact", "urgency",
           "major", "summary", "description", "category", "subcategory", "service", "ci",
           "group", "support_level", "assignee", "reporter", "contact", "channel",
           "detected_at", "logged_at", "logged_by", "responded_at", "resolved_at",
           "closed_at", "response_due", "resolution_due", "reopen_count",
           "reassignment_count", "escalation_count", "resolution_type", "resolution_code",
           "resolution_notes", "resolved_by", "confirmation", "problem", "problem_ref",
           "parent", "rfc")
INTEGERS = ("reopen_count", "reassignment_count", "escalation_count")
BOOLEANS = ("major",)


def write_csv(session: Session, out: TextIO,
              progress: Callable[[int], None] | None = None) -> int:
    """Every ticket as one CSV row; returns the count."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in export_records(session):
        writer.writerow({k: ("" if v is None else v) for k, v in record.items()})
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    return count


def read_csv(text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, str]]]:
    """Records from CSV text with our columns (line numbers as in the file), and the
    lines that could not be read."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "number" not in reader.fieldnames:
        raise InvalidValue("file", "not a desk-app CSV: the header has no 'number' column")
    unknown = [c for c in reader.fieldnames if c not in COLUMNS]
    if unknown:
        raise InvalidValue("file", f"unknown column(s): {', '.join(unknown)}")
    items, problems = [], []
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append((line, "more fields than the header has"))
            continue
        record: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items()}
        try:
            for name in INTEGERS:
                if record.get(name) is not None:
                    record[name] = int(record[name])
        except ValueError:
            problems.append((line, f"{name}: {record[name]!r} is not a whole number"))
            continue
        for name in BOOLEANS:
            if record.get(name) is not None:
                record[name] = record[name].strip().lower() in ("true", "1", "yes")
        items.append((line, record))
    return items, problems
