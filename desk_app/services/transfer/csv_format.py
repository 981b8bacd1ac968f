"""CSV export of tickets (one row each), and import of the same columns."""

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from desk_app.core.errors import InvalidValue, Problem
from desk_app.core.validation import TEXT_MAX
from desk_app.services.session import Session
from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.json_format import export_records
from desk_app.services.transfer.schema import CsvRecord, shown, shown_number

COLUMNS = ("number", "type", "status", "hold_reason", "priority", "impact", "urgency",
           "major", "summary", "description", "category", "subcategory", "service", "ci",
           "group", "support_level", "assignee", "reporter", "contact", "channel",
           "detected_at", "logged_at", "logged_by", "responded_at", "resolved_at",
           "closed_at", "response_due", "resolution_due", "reopen_count",
           "reassignment_count", "escalation_count", "resolution_type", "resolution_code",
           "resolution_notes", "resolved_by", "confirmation", "problem", "problem_ref",
           "parent", "rfc")
# a field may be longer than the longest text we keep (quotes, CRLF), so that an
# over-long text is refused by the schema naming its field, not by the csv module
FIELD_LIMIT = 4 * TEXT_MAX


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


def read_csv(text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Records from CSV text with our columns (line numbers as in the file, values as
    text, empty as None; :class:`CsvRecord` checks them), and the lines that could not
    be read."""
    reader = csv.DictReader(io.StringIO(text))
    items, problems = [], []
    with field_limit(FIELD_LIMIT):
        try:
            header = reader.fieldnames
            if not header or "number" not in header:
                raise InvalidValue("file",
                                   "not a desk-app CSV: the header has no 'number' column")
            unknown = [c for c in header if c not in COLUMNS]
            if unknown:
                raise InvalidValue("file", "unknown column(s): "
                                   + ", ".join(shown(c) for c in unknown[:5]))
            twice = sorted({c for c in header if header.count(c) > 1})
            if twice:
                raise InvalidValue("file", f"column(s) named twice: {', '.join(twice)}")
            for row in reader:
                if None in row:
                    problems.append(Problem(reader.line_num, "more fields than the header has",
                                            label=shown_number(row.get("number"))))
                    continue
                items.append((reader.line_num,
                              {k: (v if v not in ("", None) else None) for k, v in row.items()}))
        except csv.Error as err:
            raise InvalidValue("file", f"line {reader.line_num}: not readable as CSV: "
                               f"{err}") from None
    return items, problems


@contextmanager
def field_limit(limit: int) -> Iterator[None]:
    """The csv module's field size limit (one per process) raised while reading."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, limit))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _detect(sample: Sample) -> int:
    """Any CSV may be ours; one whose header has number and summary surely is."""
    header = sample.first_line.split(",")
    if "number" in header and "summary" in header:
        return 60
    if sample.suffix == ".csv" or (sample.text and not sample.text.lstrip().startswith(("{", "["))
                                  and b"\x00" not in sample.head):
        return 10
    return 0


def _read(source: Source, options: ReadOptions) -> Reading:
    items, problems = read_csv(source.text())
    return Reading(items, problems)


FORMAT = ImportFormat(name="csv", title="desk-app CSV", unit="line", detect=_detect,
                      read=_read, schema=CsvRecord)
