"""Turning command-line text into values, refusing with the option's name."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue
from desk_app.core.validation import checked_moment


def path_text(text: str, option: str = "path") -> str:
    """A path given on the command line; an empty one is refused (it would mean
    the current folder)."""
    if not text.strip():
        raise InvalidValue(option, "is empty; give a file or folder")
    return text


def given_text(text: str | None, option: str) -> str | None:
    """An optional option's text: None when not given, refused when given empty
    (an empty value must not quietly mean "not given")."""
    if text is not None and not text.strip():
        raise InvalidValue(option, "is empty; leave the option out or give a value")
    return text


def parse_time(text: str | None, option: str, zone: ZoneInfo) -> datetime | None:
    """An ISO date or date-time; without an offset it is read in the team's zone."""
    if text is None:
        return None
    if text.strip().lower() == "now":
        return datetime.now(zone)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text.strip()), time())
        except ValueError:
            raise InvalidValue(option, f"{text!r} is not an ISO date or date-time "
                               "(2026-11-23 or 2026-11-23T09:30)") from None
    return checked_moment(option, moment if moment.tzinfo else moment.replace(tzinfo=zone))
