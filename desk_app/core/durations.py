"""A length of time as a person says it at a glance: ``12m``, ``3h 05m``, ``1d 4h``, ``5d``."""

from datetime import timedelta


def spoken_duration(length: timedelta, whole_hours_from: int = 24) -> str:
    """``length`` (its sign ignored), coarser as it grows: minutes; hours and minutes
    (only whole hours from ``whole_hours_from`` hours, for narrow places); a day and
    hours; from two days, whole days."""
    minutes = int(abs(length).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days >= 2:
        return f"{days}d"
    if days:
        return f"1d {hours}h" if hours else "1d"
    if hours >= whole_hours_from:
        return f"{hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"
