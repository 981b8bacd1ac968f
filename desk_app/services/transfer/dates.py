"""Dates of an imported file, their format found from the data.

A file writes its dates one way (``2016-02-29 10:00:00``, ``29/02/2016 10:00``,
``02-29-2016 10:00:00 AM``, ISO 8601 with an offset...). Whether ``01/02/2016`` is the
first of February or the second of January is decided from the whole column (a value
with 13..31 in one place settles it), then from the other date columns of the file;
when nothing settles it the file is refused naming the column, and ``--date-format``
says it. Times without a zone are read in the given zone.
"""

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue
from desk_app.core.validation import moment_problem
from desk_app.services.transfer.schema import shown

YEAR_FIRST = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?"
    r" ?(Z|[+-]\d{2}:?\d{2})?")
YEAR_LAST = re.compile(
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?: ?([AaPp])\.?[Mm]\.?)?)?")
JAVA_TOKENS = re.compile(r"yyyy|yy|MM|M|dd|d|HH|H|hh|h|mm|m|ss|s|a|'[^']*'")
JAVA_TO_STRPTIME = {"yyyy": "%Y", "yy": "%y", "MM": "%m", "M": "%m", "dd": "%d", "d": "%d",
                    "HH": "%H", "H": "%H", "hh": "%I", "h": "%I", "mm": "%M", "m": "%M",
                    "ss": "%S", "s": "%S", "a": "%p"}
DAY_FIRST, MONTH_FIRST = "day/month", "month/day"
EXAMPLES = {DAY_FIRST: "dd/MM/yyyy HH:mm", MONTH_FIRST: "MM/dd/yyyy HH:mm"}


def strptime_pattern(pattern: str) -> str:
    """``pattern`` as a ``strptime`` pattern: given as one (``%d/%m/%Y``) or in the
    notation ServiceNow and Java use (``dd/MM/yyyy HH:mm``); refuses one that cannot
    read back a date it wrote."""
    if "%" in pattern:
        converted = pattern
    else:
        converted = JAVA_TOKENS.sub(
            lambda m: m.group(0)[1:-1] if m.group(0).startswith("'")
            else JAVA_TO_STRPTIME[m.group(0)], pattern)
    sample = datetime(2016, 2, 29, 13, 5, 9)
    try:
        back = datetime.strptime(sample.strftime(converted), converted)
    except (ValueError, re.error):
        back = None
    if back is None or (back.year, back.month, back.day) != (2016, 2, 29):
        raise InvalidValue("date_format", f"{pattern!r} is not a date pattern with a day, a "
                           "month and a year (such as 'dd/MM/yyyy HH:mm' or "
                           "'%Y-%m-%d %H:%M:%S')")
    return converted


def _order(column: str, values: Iterable[str]) -> str | None:
    """DAY_FIRST, MONTH_FIRST, or None when the column's day/month values cannot tell."""
    first_max = second_max = 0
    dotted = False
    example = ""
    for value in values:
        found = YEAR_LAST.fullmatch(value)
        if found is None:
            continue
        first, second = int(found.group(1)), int(found.group(3))
        if first > first_max:
            first_max = first
        if second > second_max:
            second_max = second
        dotted = dotted or found.group(2) == "."
        example = example or value
    if not example:
        return None
    if first_max > 12 and second_max > 12:
        raise InvalidValue("date_format", f"{column}: dates have a day over 12 both before "
                           f"and after the month; give --date-format")
    if first_max > 12 or dotted:
        return DAY_FIRST
    if second_max > 12:
        return MONTH_FIRST
    return None


class DateColumns:
    """The date columns of one file, each with its format decided from all its values.

    ``columns`` maps a column to its non-empty values; :meth:`iso` then reads one value
    of a column as ISO 8601. ``utc_columns`` hold raw values a system wrote in UTC
    (year first, never read with ``date_format``)."""

    def __init__(self, columns: Mapping[str, Iterable[str]], zone: ZoneInfo,
                 date_format: str | None = None,
                 utc_columns: Iterable[str] = ()) -> None:
        self.zone = zone
        self.zone_used = False  # a value without a zone was read in ``zone``
        self.utc_columns = frozenset(utc_columns)
        self.pattern = strptime_pattern(date_format) if date_format else None
        self.orders: dict[str, str] = {}
        if self.pattern:
            return
        undecided: dict[str, str] = {}
        for column, values in columns.items():
            if column in self.utc_columns:
                continue
            listed = [v for v in values if v]
            order = _order(column, listed)
            if order:
                self.orders[column] = order
            else:
                example = next((v for v in listed if YEAR_LAST.fullmatch(v)), None)
                if example:
                    undecided[column] = example
        decided = set(self.orders.values())
        if undecided and len(decided) == 1:
            self.orders |= dict.fromkeys(undecided, decided.pop())
        elif undecided:
            column, example = next(iter(undecided.items()))
            names = ", ".join(undecided)
            raise InvalidValue("date_format", f"{names}: dates such as {shown(example)} "
                               "can be read day/month or month/day and no value in the file "
                               f"tells which; give --date-format ('{EXAMPLES[DAY_FIRST]}' "
                               f"or '{EXAMPLES[MONTH_FIRST]}')")

    def iso(self, column: str, value: str | None) -> str | None:
        """``value`` of ``column`` as ISO 8601 text, or None for an empty value; raises
        ValueError saying why it is not a date."""
        if value is None or not value.strip():
            return None
        value = value.strip()
        moment = self._moment(column, value)
        if moment is None:
            expected = f" ({self.pattern})" if self.pattern else ""
            raise ValueError(f"{shown(value)} is not a date{expected}")
        if moment.tzinfo is None and column in self.utc_columns:
            moment = moment.replace(tzinfo=UTC)
        elif moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
            self.zone_used = True
        problem = moment_problem(moment)
        if problem:
            raise ValueError(f"{shown(value)} {problem}")
        return moment.isoformat()

    def _moment(self, column: str, value: str) -> datetime | None:
        if len(value) > 64:
            return None
        try:
            if self.pattern and column not in self.utc_columns:
                return datetime.strptime(value, self.pattern)
            found = YEAR_FIRST.fullmatch(value)
            if found:
                year, month, day, hour, minute, second, offset = found.groups()
                return datetime(int(year), int(month), int(day), int(hour or 0),
                                int(minute or 0), int(second or 0), tzinfo=_offset(offset))
            found = YEAR_LAST.fullmatch(value)
            if found:
                first, _, second_part, year, hour, minute, second, half = found.groups()
                day, month = int(first), int(second_part)
                if self.orders.get(column) == MONTH_FIRST:
                    day, month = month, day
                return datetime(int(year), month, day, _hour(hour, half), int(minute or 0),
                                int(second or 0))
            return datetime.fromisoformat(value)
        except ValueError:
            return None


def _offset(text: str | None) -> timezone | None:
    if text is None:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _hour(text: str | None, half: str | None) -> int:
    hour = int(text or 0)
    if half is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError("an hour of a 12-hour clock is 1..12")
    return hour % 12 + (12 if half in "Pp" else 0)
