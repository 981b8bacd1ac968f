"""ServiceNow's incident list exported as Excel (Export > Excel, .xlsx): a header of
field labels ("Short description"), display values, one row per incident. Read with
openpyxl in read-only (streaming) mode; a damaged workbook is refused, never a
traceback."""

from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord
from desk_app.services.transfer.servicenow_fields import check_header, read_rows
from desk_app.services.transfer.tables import xlsx_table

ZIP_MAGIC = b"PK\x03\x04"


def _detect(sample: Sample) -> int:
    """An .xlsx file (a zip archive)."""
    if sample.head.startswith(ZIP_MAGIC):
        return 70 if sample.suffix in (".xlsx", ".xlsm") else 40
    return 0


def _read(source: Source, options: ReadOptions) -> Reading:
    header, cells = xlsx_table(source.data, source.path.name)
    names, warnings = check_header(header, "list export (Excel)")
    rows = [(index, dict(zip(names, values, strict=True))) for index, values in cells]
    return read_rows(rows, options, "row", warnings)


FORMAT = ImportFormat(name="servicenow-xlsx", title="ServiceNow incident list (Excel)",
                      unit="row", detect=_detect, read=_read, schema=TicketRecord)
