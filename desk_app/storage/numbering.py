"""Human ticket numbers (INC-000123) issued from blocks this device owns.

A standalone database owns one block per prefix covering every number; a desk that
joined a team spends blocks reserved from the team database and, when they run out
offline, issues temporary numbers that the next sync replaces.

Numbers are six digits wide up to 999999 and wider after it (INC-1000000): an import
that brings INC-999999 never leaves a standalone desk without numbers. Databases made
before that have six-digit blocks, widened when they run out.
"""

from desk_app.core.errors import Refused
from desk_app.core.numbers import OUR_FORMAT
from desk_app.core.numbers import TEMPORARY as TEMPORARY  # where sync looks for it
from desk_app.storage.database import database
from desk_app.storage.meta import device_id, get_meta, set_meta
from desk_app.storage.models import NumberBlock, Ticket

WHOLE_RANGE = (1, 999_999_999)
SIX_DIGIT_LAST = 999_999  # the last number of the whole-range blocks of older databases


def format_number(prefix: str, value: int) -> str:
    """``("INC", 42)`` as ``"INC-000042"``."""
    return f"{prefix}-{value:06d}"


def ensure_standalone_blocks(prefixes: tuple[str, ...]) -> None:
    """Give a new standalone database one block per prefix covering the whole range."""
    for prefix in prefixes:
        if not NumberBlock.select().where(NumberBlock.prefix == prefix).exists():
            NumberBlock.create(prefix=prefix, first=WHOLE_RANGE[0], last=WHOLE_RANGE[1],
                               next=WHOLE_RANGE[0])


def widen_standalone_blocks(prefix: str) -> int:
    """Let the six-digit whole-range block of an older standalone database continue
    with wider numbers; returns how many blocks were widened."""
    if get_meta("numbering") == "team":
        return 0
    return (NumberBlock.update(last=WHOLE_RANGE[1])
            .where((NumberBlock.prefix == prefix) & (NumberBlock.first == WHOLE_RANGE[0])
                   & (NumberBlock.last == SIX_DIGIT_LAST))
            .execute())


def _take_one(prefix: str) -> str | None:
    row = database.execute_sql(
        """UPDATE number_block SET next = next + 1
           WHERE id = (SELECT id FROM number_block WHERE prefix = ? AND next <= last
                       ORDER BY first LIMIT 1)
           RETURNING next - 1""", (prefix,)).fetchone()
    return format_number(prefix, row[0]) if row else None


def take_number(prefix: str) -> str | None:
    """The next number of this device's blocks that no ticket holds yet, or None when
    they are spent (inside the caller's transaction, so a rolled-back activity gives its
    number back). Numbers an import brought are passed over."""
    while (number := _take_one(prefix)) is not None:
        if not Ticket.select().where(Ticket.number == number).exists():
            return number
    return None


def issue_number(prefix: str) -> str:
    """The number for a new ticket: from this device's blocks; on a team desk whose
    blocks ran out offline, a temporary one."""
    number = take_number(prefix)
    if number is None and widen_standalone_blocks(prefix):
        number = take_number(prefix)
    if number is not None:
        return number
    if get_meta("numbering") == "team":
        return temporary_number(prefix)
    raise Refused("number", f"no {prefix} numbers left in this device's blocks")


def temporary_number(prefix: str) -> str:
    """The next temporary number of this device (``INC-T3F2A-0001``), for when its
    blocks ran out offline; the next sync gives the ticket a team number."""
    key = f"temporary_number:{prefix}"
    count = int(get_meta(key) or 0) + 1
    set_meta(key, str(count))
    return f"{prefix}-T{device_id().replace('-', '')[-4:].upper()}-{count:04d}"


def issue_number_block(prefix: str, count: int) -> int:
    """Take ``count`` consecutive numbers at once (bulk writers); returns the first."""
    if count == 0:
        return 0
    widen_standalone_blocks(prefix)
    row = database.execute_sql(
        """UPDATE number_block SET next = next + ?
           WHERE id = (SELECT id FROM number_block WHERE prefix = ? AND last - next + 1 >= ?
                       ORDER BY first LIMIT 1)
           RETURNING next - ?""", (count, prefix, count, count)).fetchone()
    if row is None:
        hint = ("; sync with the team database to reserve more"
                if get_meta("numbering") == "team" else "")
        raise Refused("number", f"no block has {count} free {prefix} numbers left{hint}")
    return row[0]


def skip_past(numbers: list[str]) -> None:
    """Move our blocks past numbers that arrived from elsewhere (an import), so the
    numbers we issue keep growing. A number at the very end of a block leaves the
    block where it is (it would have nothing left): :func:`take_number` passes over the
    numbers tickets already hold."""
    highest: dict[str, int] = {}
    for number in numbers:
        match = OUR_FORMAT.match(number)
        if match:
            prefix, value = match.group(1), int(match.group(2))
            highest[prefix] = max(highest.get(prefix, 0), value)
    for prefix, value in highest.items():
        widen_standalone_blocks(prefix)
        (NumberBlock.update(next=value + 1)
         .where((NumberBlock.prefix == prefix) & (NumberBlock.first <= value)
                & (NumberBlock.last > value) & (NumberBlock.next <= value))
         .execute())
