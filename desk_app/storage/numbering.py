"""Human ticket numbers (INC-000123) issued from blocks this device owns.

A standalone database owns one block per prefix covering every number; the sync work
replaces that with blocks reserved from the team database.
"""

import re

from desk_app.core.errors import Refused
from desk_app.storage.database import database
from desk_app.storage.models import NumberBlock

WHOLE_RANGE = (1, 999_999)
_OUR_FORMAT = re.compile(r"^([A-Z]{3})-(\d{6})$")


def format_number(prefix: str, value: int) -> str:
    """``("INC", 42)`` as ``"INC-000042"``."""
    return f"{prefix}-{value:06d}"


def ensure_standalone_blocks(prefixes: tuple[str, ...]) -> None:
    """Give a new standalone database one block per prefix covering the whole range."""
    for prefix in prefixes:
        if not NumberBlock.select().where(NumberBlock.prefix == prefix).exists():
            NumberBlock.create(prefix=prefix, first=WHOLE_RANGE[0], last=WHOLE_RANGE[1],
                               next=WHOLE_RANGE[0])


def issue_number(prefix: str) -> str:
    """Take the next free number from this device's blocks (inside the caller's
    transaction, so a rolled-back activity gives its number back)."""
    row = database.execute_sql(
        """UPDATE number_block SET next = next + 1
           WHERE id = (SELECT id FROM number_block WHERE prefix = ? AND next <= last
                       ORDER BY first LIMIT 1)
           RETURNING next - 1""", (prefix,)).fetchone()
    if row is None:
        raise Refused("number", f"no {prefix} numbers left in this device's blocks; "
                      "connect to the team database to reserve more")
    return format_number(prefix, row[0])


def issue_number_block(prefix: str, count: int) -> int:
    """Take ``count`` consecutive numbers at once (bulk writers); returns the first."""
    if count == 0:
        return 0
    row = database.execute_sql(
        """UPDATE number_block SET next = next + ?
           WHERE id = (SELECT id FROM number_block WHERE prefix = ? AND last - next + 1 >= ?
                       ORDER BY first LIMIT 1)
           RETURNING next - ?""", (count, prefix, count, count)).fetchone()
    if row is None:
        raise Refused("number", f"no block has {count} free {prefix} numbers left")
    return row[0]


def skip_past(numbers: list[str]) -> None:
    """Move our blocks past numbers that arrived from elsewhere (an import), so a
    number we issue never collides with one already present."""
    highest: dict[str, int] = {}
    for number in numbers:
        match = _OUR_FORMAT.match(number)
        if match:
            prefix, value = match.group(1), int(match.group(2))
            highest[prefix] = max(highest.get(prefix, 0), value)
    for prefix, value in highest.items():
        (NumberBlock.update(next=value + 1)
         .where((NumberBlock.prefix == prefix) & (NumberBlock.first <= value)
                & (NumberBlock.last >= value) & (NumberBlock.next <= value))
         .execute())
