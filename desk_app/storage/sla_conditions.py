"""The SLA clock rules of :mod:`desk_app.core.sla_clock`, as SQL conditions over the
stored ticket columns (times are epoch milliseconds, compared as whole numbers).

Each function returns the condition and its bound parameters; ``table`` is the alias
the query gives the ticket table ("t"), or "" for none.
"""

from collections.abc import Mapping
from typing import Any


def _columns(table: str) -> str:
    return f"{table}." if table else ""


def resolution_breached(now_ms: int, table: str = "t") -> tuple[str, list[Any]]:
    """The resolution clock's end (resolution, else its stop, else now) is after its due
    time: :func:`~desk_app.core.sla_clock.is_breached` with
    :func:`~desk_app.core.sla_clock.resolution_end`."""
    t = _columns(table)
    return (f"COALESCE({t}resolved_at, {t}sla_stopped_since, ?) > {t}resolution_due",
            [now_ms])


def response_breached(now_ms: int, table: str = "t") -> tuple[str, list[Any]]:
    """The response (else now) is after the response due time."""
    t = _columns(table)
    return f"COALESCE({t}responded_at, ?) > {t}response_due", [now_ms]


def resolution_running(table: str = "t") -> str:
    """The resolution clock runs: not resolved, not stopped."""
    t = _columns(table)
    return f"{t}resolved_at IS NULL AND {t}sla_stopped_since IS NULL"


def resolution_at_risk_or_breached(now_ms: int, horizons: Mapping[str, int],
                                   table: str = "t") -> tuple[str, list[Any]]:
    """Breached, or running and due at or before its priority's warning horizon
    (:func:`~desk_app.core.sla_clock.is_at_risk`): the "breaching soon / breached"
    rule."""
    t = _columns(table)
    breached, params = resolution_breached(now_ms, table)
    parts = []
    for priority, millis in sorted(horizons.items()):
        parts.append(f"({t}priority = ? AND {t}resolution_due <= ?)")
        params += [priority, millis]
    at_risk = f"{resolution_running(table)} AND ({' OR '.join(parts) or '0'})"
    return f"(({breached}) OR ({at_risk}))", params


OPEN_STATUSES = "('new', 'assigned', 'in_progress', 'on_hold')"


def open_past_target(now_ms: int, table: str = "t") -> tuple[str, list[Any]]:
    """Open, not resolved, and its resolution clock already past the due time at now (a
    paused clock counts up to its pause): the target is missed whatever happens next."""
    t = _columns(table)
    return (f"{t}status IN {OPEN_STATUSES} AND {t}resolution_due < ? "
            f"AND {t}resolved_at IS NULL "
            f"AND COALESCE({t}sla_stopped_since, ?) > {t}resolution_due", [now_ms, now_ms])


def sla_outcome_known(now_ms: int, table: str = "t") -> tuple[str, list[Any]]:
    """The resolution target's outcome is known at now: resolved with a target or a
    recorded breach, or :func:`open_past_target` (the tickets SLA compliance measures,
    as the KPI summary counts them in ``sla_known``)."""
    t = _columns(table)
    past, params = open_past_target(now_ms, table)
    return (f"(({t}resolved_at IS NOT NULL AND ({t}resolution_due IS NOT NULL "
            f"OR {t}resolution_breached)) OR ({past}))", params)
