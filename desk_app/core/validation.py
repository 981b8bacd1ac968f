"""Small input checks shared by the activities, the command line and the importers."""

from datetime import UTC, datetime, timedelta

from desk_app.core.errors import InvalidValue

SUMMARY_MAX = 200  # what the logging form allows; the rest goes into the description
LABEL_MAX = 200  # names, logins, categories, codes, references
TEXT_MAX = 200_000  # descriptions, notes, resolution notes

# A stored time must stay inside years 1..9999 however it is shown: one day of margin
# at each end keeps it there in every time zone (offsets are under a day).
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC) - timedelta(milliseconds=1)


def required_text(field: str, value: str | None, limit: int = LABEL_MAX) -> str:
    """``value`` stripped, or refuse naming ``field`` when it is empty or longer than
    ``limit`` (short labels by default; pass TEXT_MAX for notes and reasons)."""
    if value is None or not value.strip():
        raise InvalidValue(field, "is required")
    check_length(field, value.strip(), limit)
    return value.strip()


def label_text(field: str, value: str) -> str:
    """A name or login: stripped, required, at most LABEL_MAX characters, and without
    control characters (they would reach every terminal that lists it)."""
    text = required_text(field, value)
    if any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u202a\u202b\u202c\u202d\u202e"
           for c in text):
        raise InvalidValue(field, "may not contain control characters")
    return text


def check_length(field: str, value: str | None, limit: int) -> None:
    """Refuse ``value`` naming ``field`` when it is longer than ``limit`` characters."""
    if value is not None and len(value) > limit:
        raise InvalidValue(field, f"at most {limit} characters")


def moment_problem(moment: datetime) -> str | None:
    """Why ``moment`` cannot be stored (no zone, or outside years 1..9999 in some time
    zone), or None when it can."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return "needs a time zone"
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        return (f"must lie between {EARLIEST.date().isoformat()} and "
                f"{LATEST.date().isoformat()} UTC "
                "(years 1 to 9999 in every time zone)")
    return None


def checked_moment(field: str, moment: datetime) -> datetime:
    """``moment`` if it can be stored, else refuse naming ``field``."""
    problem = moment_problem(moment)
    if problem is not None:
        raise InvalidValue(field, problem)
    return moment
