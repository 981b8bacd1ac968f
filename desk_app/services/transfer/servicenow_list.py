"""ServiceNow's incident list exported as CSV (Export > CSV from a list): a header of
field names (or labels), one row per incident."""

import csv

from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord
from desk_app.services.transfer.servicenow_fields import check_header, field_name, read_rows
from desk_app.services.transfer.tables import csv_table


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
    header, cells, problems = csv_table(source.text())
    names, warnings = check_header(header, "list export (CSV)")
    rows = [(line, dict(zip(names, values, strict=True))) for line, values in cells]
    reading = read_rows(rows, options, "line", warnings)
    reading.problems[:0] = problems
    return reading


FORMAT = ImportFormat(name="servicenow-list", title="ServiceNow incident list (CSV)",
                      unit="line", detect=_detect, read=_read, schema=TicketRecord)
