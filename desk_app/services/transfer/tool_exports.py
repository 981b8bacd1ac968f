"""What the GLPI, osTicket, Zammad and Jira imports share: CSV rows with their line
numbers (through :mod:`desk_app.services.transfer.tables`), columns found by the names
the tools write, cells turned into the desk's values
(times, closed vocabularies, bounded texts), and the status history an export's dates
show.

A cell that cannot be read raises :class:`BadRow` naming its column; the format's
reader turns it into a :class:`~desk_app.core.errors.Problem` at the row's line.
"""

import json
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue, Problem
from desk_app.core.validation import LABEL_MAX, SUMMARY_MAX, moment_problem
from desk_app.services.transfer.dates import strptime_pattern
from desk_app.services.transfer.formats import Reading, ReadOptions
from desk_app.services.transfer.schema import shown, shown_number
from desk_app.services.transfer.tables import csv_table

# impact, urgency that give each priority in the default matrix
LEVELS_OF = {"P1": ("high", "high"), "P2": ("high", "medium"), "P3": ("medium", "medium"),
             "P4": ("low", "low")}


MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
MONTH_NAMED = re.compile(r"^(\d{1,2})/([A-Za-z]{3})/(\d{2}|\d{4}) (\d{1,2}):(\d{2})"
                         r"(?: ?([AaPp][Mm]))?$")


class BadRow(ValueError):
    """A row (or JSON record) that cannot be read; the message names the column."""


def delimiter_of(header_line: str) -> str:
    """``;`` when the header line has more of them than commas (GLPI's default)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def find_columns(header: list[str], names: dict[str, tuple[str, ...]],
                 required: tuple[str, ...], tool: str) -> dict[str, int]:
    """The position of each wanted column (its first occurrence), by any of the names
    the tool writes (case and spaces ignored); refuses the file when a required one is
    missing."""
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        positions.setdefault(" ".join(title.split()).lower(), index)
    found = {}
    for key, aliases in names.items():
        for alias in aliases:
            if alias.lower() in positions:
                found[key] = positions[alias.lower()]
                break
    missing = [names[key][0] for key in required if key not in found]
    if missing:
        raise InvalidValue("file", f"line 1: not a {tool} ticket export: missing column(s) "
                           + ", ".join(missing))
    return found


def cell(cells: list[str | None], columns: dict[str, int], key: str) -> str | None:
    """The text of column ``key`` of a row (stripped; None when empty or absent)."""
    index = columns.get(key)
    return None if index is None else cells[index]


def read_table(text: str, delimiter: str | None, names: dict[str, tuple[str, ...]],
               required: tuple[str, ...], tool: str, options: ReadOptions,
               build: Callable[[dict[str, str | None], list[str | None], ReadOptions],
                               dict[str, Any]],
               number_of: Callable[[dict[str, str | None]], str | None]) -> Reading:
    """The records ``build`` makes of each row of a tool's CSV export (from the row's
    wanted columns by key, all its cells and the options with ``--date-format`` made a
    pattern), each at the line the row starts on; the rows refused with their line and,
    when readable, the number they would get; a warning when the time zone was assumed.
    A ``delimiter`` of None is the one the header line uses (:func:`delimiter_of`)."""
    options = forced(options)
    header, rows, problems = csv_table(
        text, delimiter or delimiter_of(text.split("\n", 1)[0]))
    columns = find_columns(header, names, required, tool)
    reading = Reading([], problems)
    for line, cells in rows:
        row = {key: cell(cells, columns, key) for key in names}
        try:
            reading.items.append((line, build(row, cells, options)))
        except BadRow as bad:
            reading.problems.append(problem_at(line, str(bad), number_of(row)))
    if options.zone_assumed and reading.items:
        reading.warnings.append(options.zone_warning())
    return reading


def header_titles(first_line: str, delimiter: str | None = None) -> set[str]:
    """The lower-case column titles of a CSV header line (for detecting a format)."""
    return {title.strip().strip('"').lower()
            for title in first_line.split(delimiter or delimiter_of(first_line))}


def forced(options: ReadOptions) -> ReadOptions:
    """``options`` with the person's ``--date-format`` (``dd/MM/yyyy HH:mm`` or
    ``%d/%m/%Y %H:%M``) as a strptime pattern; refuses one that cannot be a date."""
    if not options.date_format:
        return options
    return replace(options, date_format=strptime_pattern(options.date_format))


def moment(value: str | None, column: str, patterns: tuple[str, ...], zone: ZoneInfo,
           date_format: str | None = None) -> str | None:
    """A time as the tool writes it (ISO 8601, Jira's ``12/Feb/24 9:14 AM`` or one of
    ``patterns``; only ``date_format`` when the person gave one) as ISO 8601, read in
    ``zone`` when it has none."""
    if value is None:
        return None
    found = None
    if len(value) <= 64:
        if not date_format:  # ISO 8601 first: most tools write it, and it reads fast
            with suppress(ValueError):
                found = datetime.fromisoformat(value)
            found = found or _month_named(value)
        for pattern in () if found else (date_format,) if date_format else patterns:
            try:
                found = datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
    if found is None:
        pattern = date_format or (patterns[0] if patterns else "%Y-%m-%dT%H:%M:%SZ")
        example = datetime(2024, 1, 31, 14, 5).strftime(pattern)
        raise BadRow(f"{column}: {shown(value)} is not a time like {example!r}")
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    problem = moment_problem(found)
    if problem:
        raise BadRow(f"{column}: {shown(value)} {problem}")
    return found.isoformat()


def dated(row: dict[str, str | None], columns: dict[str, tuple[str, ...]],
          patterns: tuple[str, ...], options: ReadOptions) -> Callable[[str], str | None]:
    """The reader of a row's times by column key: :func:`moment` of the cell, naming the
    column by the first title the tool writes for it."""
    def when(key: str) -> str | None:
        return moment(row[key], columns[key][0], patterns, options.zone, options.date_format)

    return when


def _month_named(value: str) -> datetime | None:
    """``12/Feb/24 9:14 AM`` (Jira's default) read without strptime, which is slow."""
    match = MONTH_NAMED.match(value)
    if not match or match.group(2).lower() not in MONTHS:
        return None
    day, month, year, hour, minute, half = match.groups()
    hour_of_day = int(hour)
    if half:
        if not 1 <= hour_of_day <= 12:
            return None
        hour_of_day = hour_of_day % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(int(year) + (2000 if len(year) == 2 else 0),
                        MONTHS[month.lower()], int(day), hour_of_day, int(minute))
    except ValueError:
        return None


def coded(value: str | None, table: dict[str, Any], column: str) -> Any:
    """``value`` looked up (case and spaces ignored) in ``table``; None stays None."""
    if value is None:
        return None
    key = " ".join(value.split()).lower()
    if key not in table:
        raise BadRow(f"{column}: unknown value {shown(value)}")
    return table[key]


def label(value: str | None, column: str) -> str | None:
    """A name, login or category: refused naming the column when too long."""
    if value is not None and len(value) > LABEL_MAX:
        raise BadRow(f"{column}: at most {LABEL_MAX} characters")
    return value


def summary_of(title: str | None, column: str) -> tuple[str, str]:
    """(summary, overflow): a title longer than a summary may be is cut, its whole text
    kept for the description."""
    if title is None:
        raise BadRow(f"{column}: is required")
    if len(title) <= SUMMARY_MAX:
        return title, ""
    return title[:SUMMARY_MAX - 1] + "…", title


def description_of(overflow: str, body: str | None, origin: str,
                   details: list[str]) -> str:
    """An imported ticket's description: the whole title when it was cut, the tool's
    text, where it came from and the detail lines, a blank line apart (empty ones left
    out)."""
    return "\n\n".join(x for x in (overflow, body, origin, "\n".join(details)) if x)


def tool_number(prefix: str, value: str | None, column: str) -> str:
    """``GLPI-4711`` of a tool's number (digits only)."""
    if value is None:
        raise BadRow(f"{column}: is required")
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise BadRow(f"{column}: {shown(value)} is not a ticket number (digits)")
    return f"{prefix}-{int(value)}"


def lifecycle(opened: str, opener: str, steps: list[tuple[str | None, str]],
              final: str, by: str) -> list[dict[str, Any]]:
    """Status history rows from the times an export shows: new at ``opened`` by
    ``opener``, then by ``by`` each (time, status) of ``steps`` that has a time, then
    ``final`` (at the last known time) when the steps do not end there."""
    rows = [{"at": opened, "by": opener, "field": "status", "old": None, "new": "new"}]
    current, last = "new", opened
    for at, status in sorted(((at, s) for at, s in steps if at),
                             key=lambda step: datetime.fromisoformat(step[0])):
        if status != current:
            rows.append({"at": at, "by": by, "field": "status", "old": current,
                         "new": status})
            current, last = status, at
    if final != current:
        rows.append({"at": last, "by": by, "field": "status", "old": current, "new": final})
    return rows


def json_items(text: str, tool: str) -> Iterator[tuple[int, Any]]:
    """(line, value) of every element of the JSON array ``text``, each at the line where
    it starts; a file that is not such an array is refused naming the line."""
    decoder = json.JSONDecoder()
    position, line = 0, 1

    def skip(at: int) -> int:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        return at

    def refuse(at: int, what: str) -> InvalidValue:
        return InvalidValue("file", f"line {line + text.count(chr(10), position, at)}: "
                            f"not a {tool} JSON export: {what}")

    start = skip(0)
    if not text.startswith("[", start):
        raise refuse(start, "expected a list of tickets ([ ... ])")
    at = skip(start + 1)
    if text.startswith("]", at):
        return
    while True:
        line += text.count("\n", position, at)
        position = at
        try:
            value, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError as err:
            raise refuse(err.pos, err.msg) from None
        except RecursionError:
            raise refuse(at, "nested too deeply") from None
        yield line, value
        at = skip(end)
        if text.startswith("]", at):
            if skip(at + 1) != len(text):
                raise refuse(at + 1, "text after the list")
            return
        if not text.startswith(",", at):
            raise refuse(at, "expected ',' or ']' after a ticket")
        at = skip(at + 1)


def problem_at(line: int, reason: str, number: str | None) -> Problem:
    """A refused row at ``line``."""
    return Problem(line, reason, label=shown_number(number))
