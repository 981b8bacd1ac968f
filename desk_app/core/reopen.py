"""Reopen rule: inside the window the same ticket reopens, after it a new one follows."""

from datetime import datetime, timedelta


def reopen_within_window(resolved_at: datetime, now: datetime, window: timedelta) -> bool:
    """True when a ticket resolved at ``resolved_at`` may still be reopened at ``now``."""
    return now <= resolved_at + window
