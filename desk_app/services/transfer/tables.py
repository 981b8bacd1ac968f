"""Reading the table of an export, for any format: a CSV text or the first sheet of an
Excel workbook as a header and rows of text cells, each row with its position (the
line a CSV record starts on, the row of a sheet). Rows whose cell count differs from
the header's are problems at their position; an unreadable file is refused naming
where."""

import csv
import io
import zipfile
import zlib
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import ParseError

from desk_app.core.errors import InvalidValue, Problem
from desk_app.services.transfer.csv_format import FIELD_LIMIT, field_limit

Row = tuple[int, list[str | None]]  # (position, cells: stripped text, empty as None)
DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, IndexError,
           AttributeError, ParseError, EOFError, OSError)


def csv_table(text: str, delimiter: str = ",") -> tuple[list[str], list[Row], list[Problem]]:
    """The header, the rows (by the line each starts on; blank rows left out) and the
    rows with another number of cells than the header. Refuses text that is not CSV
    (naming the line) or is empty; a cell over ``FIELD_LIMIT`` characters is such."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    problems: list[Problem] = []
    with field_limit(FIELD_LIMIT):
        try:
            header = next(reader, None)
            if header is None:
                raise InvalidValue("file", "the file is empty")
            while True:
                line = reader.line_num + 1
                cells = next(reader, None)
                if cells is None:
                    break
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    problems.append(Problem(line, f"{len(cells)} fields where the header has "
                                                  f"{len(header)}"))
                    continue
                rows.append((line, [c.strip() or None for c in cells]))
        except csv.Error as err:
            raise InvalidValue("file", f"line {reader.line_num}: not readable as CSV: "
                               f"{err}") from None
    return header, rows, problems


def cell_text(value: Any) -> str | None:
    """A sheet cell as the text a CSV export would hold (dates as yyyy-MM-dd
    HH:mm:ss)."""
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


def xlsx_table(data: bytes, name: str) -> tuple[list[str], list[Row]]:
    """The header and the rows (by sheet row; empty rows left out, cells past the header
    dropped) of the first sheet of an .xlsx workbook, read with openpyxl in read-only
    (streaming) mode. Refuses a damaged workbook or an empty sheet."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            cells = workbook.worksheets[0].iter_rows(values_only=True)
            first = next(cells, None)
            header = [cell_text(h) or "" for h in first or ()]
            while header and not header[-1]:
                header.pop()
            width = len(header)
            rows: list[Row] = []
            for index, values in enumerate(cells, 2):
                texts = [cell_text(v) for v in values[:width]]
                if any(texts):
                    rows.append((index, texts + [None] * (width - len(texts))))
        finally:
            workbook.close()
    except (InvalidFileException, *DAMAGED) as err:
        raise InvalidValue("file", f"{name} is not a readable Excel workbook (.xlsx): "
                           f"{type(err).__name__}: {str(err)[:80]}") from None
    if not header:
        raise InvalidValue("file", f"{name}: the first sheet is empty")
    return header, rows
