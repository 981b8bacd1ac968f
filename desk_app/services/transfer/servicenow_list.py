"""ServiceNow's incident list exported as CSV (Export > CSV from a list): a header of
field names (or labels), one row per incident."""

import csv
import io

from desk_app.core.errors import InvalidValue, Problem
from desk_app.services.transfer.csv_format import FIELD_LIMIT, field_limit
from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord
from desk_app.services.transfer.servicenow_fields import check_header, field_name, read_rows


def _detect(sample: Sample) -> int:
    """A CSV whose header has number, short_description and state (or their labels)."""
    if sample.suffix in (".xlsx", ".json"):
        return 0
    try:
        header = next(csv.reader([sample.first_line]))
    except (csv.Error, StopIteration):
        return 0
    names = {field_name(h) for h in header}
    if {"number", "short_description", "state"} <= names:
        return 80
    return 0


def _read(source: Source, options: ReadOptions) -> Reading:
    reader = csv.reader(io.StringIO(source.text(), newline=""))
    rows: list[tuple[int, dict[str, str | None]]] = []
    problems: list[Problem] = []
    with field_limit(FIELD_LIMIT):
        try:
            header = next(reader, None)
            if header is None:
                raise InvalidValue("file", "the file is empty")
            names, warnings = check_header(header, "list export (CSV)")
            while True:
                line = reader.line_num + 1
                cells = next(reader, None)
                if cells is None:
                    break
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(names):
                    problems.append(Problem(line, f"{len(cells)} fields where the header has "
                                                  f"{len(names)}"))
                    continue
                values = (c.strip() or None for c in cells)
                rows.append((line, dict(zip(names, values, strict=True))))
        except csv.Error as err:
            raise InvalidValue("file", f"line {reader.line_num}: not readable as CSV: "
                               f"{err}") from None
    reading = read_rows(rows, options, "line", warnings)
    reading.problems[:0] = problems
    return reading


FORMAT = ImportFormat(name="servicenow-list", title="ServiceNow incident list (CSV)",
                      unit="line", detect=_detect, read=_read, schema=TicketRecord)
