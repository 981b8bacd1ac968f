"""ServiceNow's incident list exported as Excel (Export > Excel, .xlsx): a header of
field labels ("Short description"), display values, one row per incident. Read with
openpyxl in read-only (streaming) mode; a damaged workbook is refused, never a
traceback."""

import io
import zipfile
import zlib
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import ParseError

from desk_app.core.errors import InvalidValue
from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord
from desk_app.services.transfer.servicenow_fields import check_header, read_rows

ZIP_MAGIC = b"PK\x03\x04"
DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, IndexError,
           AttributeError, ParseError, EOFError, OSError)


def _detect(sample: Sample) -> int:
    """An .xlsx file (a zip archive)."""
    if sample.head.startswith(ZIP_MAGIC):
        return 70 if sample.suffix in (".xlsx", ".xlsm") else 40
    return 0


def cell_text(value: Any) -> str | None:
    """A cell as the text a CSV export would hold (dates as yyyy-MM-dd HH:mm:ss)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def _rows(data: bytes, name: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            body = [(index, list(cells)) for index, cells in enumerate(rows, 2)
                    if any(c is not None and str(c).strip() for c in cells)]
        finally:
            workbook.close()
    except (InvalidFileException, *DAMAGED) as err:
        raise InvalidValue("file", f"{name} is not a readable Excel workbook (.xlsx): "
                           f"{type(err).__name__}: {str(err)[:80]}") from None
    if header is None:
        raise InvalidValue("file", f"{name}: the first sheet is empty")
    return [cell_text(h) or "" for h in header], body


def _read(source: Source, options: ReadOptions) -> Reading:
    header, body = _rows(source.data, source.path.name)
    while header and not header[-1]:
        header.pop()
    names, warnings = check_header(header, "list export (Excel)")
    rows = []
    for index, cells in body:
        values = [cell_text(c) for c in cells[:len(names)]]
        values += [None] * (len(names) - len(values))
        rows.append((index, dict(zip(names, values, strict=True))))
    return read_rows(rows, options, "row", warnings)


FORMAT = ImportFormat(name="servicenow-xlsx", title="ServiceNow incident list (Excel)",
                      unit="row", detect=_detect, read=_read, schema=TicketRecord)
