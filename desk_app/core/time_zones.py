"""Which time zone names a policy may use: IANA names this machine knows."""

from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def _known() -> frozenset[str]:
    return frozenset(available_timezones())


_MACHINE_SETTINGS = ("localtime", "posixrules", "Factory")


@cache
def known_zones() -> tuple[str, ...]:
    """Every usable IANA zone name, sorted (what a time-zone picker offers)."""
    return tuple(sorted(name for name in _known() if name not in _MACHINE_SETTINGS))


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not a usable time zone, or None when it is one. "localtime" and
    "posixrules" are this machine's own settings, not zones another desk shares."""
    if name in _known() and name not in _MACHINE_SETTINGS:
        try:
            ZoneInfo(name)
            return None
        except (ValueError, OSError, LookupError):
            pass
    return (f"unknown time zone {name[:64]!r}; use an IANA name such as Europe/London, "
            "America/New_York or UTC")
