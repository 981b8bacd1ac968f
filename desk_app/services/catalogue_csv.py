"""Services and configuration items to and from CSV.

The header names the columns (any order, any case); ``name`` is required. A file is
imported whole or not at all: a line with a bad value, a name given twice (in the file,
or one the catalogue has already) or a CI naming a service neither the catalogue nor
the file has refuses the import, naming every such line. Text may be UTF-8 (with or
without a byte-order mark), UTF-16 or Windows-1252, separated by commas, semicolons
or tabs (as spreadsheets save it)."""

import csv
import io
import re
from pathlib import Path
from typing import Any, TextIO

from desk_app.core.catalogue import CI_FIELDS, SERVICE_FIELDS, catalogue_key, target_text
from desk_app.core.errors import BatchRefused, InvalidValue, Problem, Refused
from desk_app.core.permissions import Permission
from desk_app.services.catalogue import KIND_LABEL, add_entries, row_checker
from desk_app.services.input_files import read_input_bytes
from desk_app.services.session import Session, activity, reads
from desk_app.services.transfer.csv_format import field_limit
from desk_app.services.transfer.encodings import decode
from desk_app.storage.catalogue_queries import catalogue_rows

COLUMNS = {"service": (*SERVICE_FIELDS, "retired"), "ci": (*CI_FIELDS, "retired")}
MAX_BYTES = 50 * 1024 * 1024
_TRUE, _FALSE = ("yes", "true", "1", "retired"), ("", "no", "false", "0")


# A cell starting like a formula runs as one when the file is opened in a spreadsheet:
# export writes it behind an apostrophe (shown as text) and import takes that off again.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def as_text_cell(value: str) -> str:
    """``value`` as a spreadsheet reads it as text (a formula-like start is guarded)."""
    return "'" + value if _FORMULA.match(value) else value


def from_text_cell(value: str) -> str:
    """The value :func:`as_text_cell` wrote ``value`` for."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value[1:]) else value


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_rows(kind: str, text: str) -> list[tuple[int, dict[str, str]]]:
    """(line, values by column) of every non-blank line; refuses a header without
    ``name``, with unknown columns or a column named twice."""
    first = text.split("\n", 1)[0]
    # strict: a quote left open is an error, not a field that swallows the lines after it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    with field_limit(1_000_000):
        try:
            header = [h.strip().lower().replace(" ", "_") for h in next(reader, [])]
            if "name" not in header:
                raise InvalidValue("file", "the header has no 'name' column; columns: "
                                   + ", ".join(COLUMNS[kind]))
            unknown = [h for h in header if h not in COLUMNS[kind]]
            if unknown:
                raise InvalidValue("file", f"unknown column(s) {', '.join(map(repr, unknown[:5]))}"
                                   f"; a {KIND_LABEL[kind]} file has "
                                   + ", ".join(COLUMNS[kind]))
            twice = sorted({h for h in header if header.count(h) > 1})
            if twice:
                raise InvalidValue("file", f"column(s) named twice: {', '.join(twice)}")
            for fields in reader:
                if not any(f.strip() for f in fields):
                    continue
                line = reader.line_num
                if len(fields) > len(header):
                    rows.append((line, {"\0": "more fields than the header has"}))
                    continue
                rows.append((line, dict(zip(header, map(from_text_cell, fields),
                                            strict=False))))
        except csv.Error as err:
            raise InvalidValue("file", f"line {reader.line_num}: not readable as CSV: "
                               f"{err}") from None
    return rows


def _retired(value: str | None) -> bool:
    text = (value or "").strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidValue("retired", f"{value!r} is not yes or no")


def checked_rows(session: Session, kind: str, rows: list[tuple[int, dict[str, str]]],
                 file: str) -> list[dict[str, Any]]:
    """The rows checked and in stored form; refuses the whole batch naming every bad
    line (duplicates name the line they repeat)."""
    problems: list[Problem] = []
    clean_rows: list[dict[str, Any]] = []
    known = {catalogue_key(r["name"]): r["name"]
             for r in catalogue_rows(kind, include_retired=True)}
    first_line: dict[str, int] = {}
    check = row_checker(session, kind)
    for line, values in rows:
        if "\0" in values:
            problems.append(Problem(line, values["\0"], file=file))
            continue
        key = catalogue_key(values.get("name") or "")
        if key and key in first_line:
            problems.append(Problem(line, f"name: {values['name'].strip()!r} is also on "
                                    f"line {first_line[key]}", file=file))
            continue
        if key:
            first_line[key] = line
        try:
            retired = _retired(values.pop("retired", ""))
            clean = check(values)
        except Refused as err:
            problems.append(Problem(line, f"{err.field}: {err.message}", file=file))
            continue
        if key in known:
            problems.append(Problem(line, f"name: the catalogue has {known[key]!r} already",
                                    file=file))
            continue
        clean_rows.append(clean | {"retired": retired})
    if problems:
        raise BatchRefused("file", problems)
    if not clean_rows:
        raise InvalidValue("file", f"{file} has no {KIND_LABEL[kind]} rows")
    return clean_rows


@activity(Permission.CHANGE_POLICY)
def import_catalogue_text(session: Session, kind: str, text: str, file: str = "") -> int:
    """Import services or CIs from CSV text, all or nothing; returns how many."""
    if not text.strip():
        raise InvalidValue("file", f"{file or 'the file'} is empty")
    rows = checked_rows(session, kind, read_rows(kind, text), file)
    return add_entries(session, kind, rows)


def import_catalogue(session: Session, kind: str, path: Path) -> int:
    """Import services or CIs from a CSV file (see the module's description)."""
    data = read_input_bytes(path, "CSV file")
    if len(data) > MAX_BYTES:
        raise InvalidValue("file", f"{path.name} is larger than {MAX_BYTES // 2**20} MB")
    text, _ = decode(data, path.name)
    if "\0" in text:
        raise InvalidValue("file", f"{path.name} has NUL characters: it is not a CSV file")
    return import_catalogue_text(session, kind, text.replace("\r\n", "\n"), path.name)


@reads
def export_catalogue(session: Session, kind: str, out: TextIO) -> int:
    """Every service or CI (retired ones too) as CSV with the import's columns;
    returns how many rows."""
    del session
    writer = csv.DictWriter(out, fieldnames=COLUMNS[kind], extrasaction="ignore")
    writer.writeheader()
    rows = catalogue_rows(kind, include_retired=True)
    for row in rows:
        shown = {k: ("" if v is None else v) for k, v in row.items()}
        shown["retired"] = "yes" if row["retired"] else ""
        if kind == "service":
            shown["sla_targets"] = target_text(row["sla_targets"])
        writer.writerow({k: as_text_cell(v) if isinstance(v, str) else v
                         for k, v in shown.items()})
    return len(rows)
