"""The KPIs, computed in SQL so that a million tickets take seconds, not minutes.

Definitions (also in the README):
- MTTR: mean and median of resolved_at - logged_at, in hours, over incidents that have
  a resolution time; overall and per priority.
- SLA compliance: % of incidents that met the target, over those whose outcome is known:
  answered (resolved), or breached by the rule of core.sla_clock (cancelled tickets
  excluded; a clock paused before its due time is not yet decided).
- First-contact resolution: resolved incidents resolved at L1 with no escalation and
  no reassignment, over resolved incidents.
- Reopen rate: incidents reopened at least once, over incidents ever resolved.
- Backlog: open tickets of every type by age since logging.
"""

from typing import Any

from desk_app.storage.database import database
from desk_app.storage.sla_conditions import resolution_breached, response_breached

HOUR_MS = 3_600_000.0
DAY_MS = 24 * HOUR_MS
AGE_BUCKETS = (("under 1 day", 0, 1), ("1-3 days", 1, 3), ("3-7 days", 3, 7),
               ("7-30 days", 7, 30), ("over 30 days", 30, None))


def _rows(sql: str, params: tuple | list) -> list[tuple]:
    return database.execute_sql(sql, params).fetchall()


RESOLVED_INCIDENTS = "type = 'incident' AND resolved_at IS NOT NULL"
DURATION = "resolved_at - logged_at"


def _median(condition: str, params: list, count: int) -> float | None:
    """The median resolution time over ``count`` rows, read from the ordered index."""
    if not count:
        return None
    values = [v for (v,) in _rows(
        f"SELECT {DURATION} FROM ticket WHERE {condition} ORDER BY {DURATION} "
        "LIMIT 2 OFFSET ?", [*params, (count - 1) // 2])]
    return values[0] if count % 2 else (values[0] + values[1]) / 2


def kpi_report(since_ms: int | None, until_ms: int | None, now_ms: int) -> dict[str, Any]:
    """Every KPI over tickets logged in [since, until)."""
    window, span = "", []
    if since_ms is not None:
        window, span = window + " AND logged_at >= ?", [*span, since_ms]
    if until_ms is not None:
        window, span = window + " AND logged_at < ?", [*span, until_ms]

    by_status: dict[str, int] = {}
    by_type: dict[str, int] = {}
    by_priority: dict[str, int] = {}
    for status, kind, priority, count in _rows(
            f"SELECT status, type, priority, COUNT(*) FROM ticket WHERE 1 = 1{window} "
            "GROUP BY status, type, priority", span):
        by_status[status] = by_status.get(status, 0) + count
        by_type[kind] = by_type.get(kind, 0) + count
        by_priority[priority] = by_priority.get(priority, 0) + count

    mttr: dict[str, Any] = {"overall": {}, "by_priority": {}}
    total, weighted = 0, 0.0
    for priority, count, mean in _rows(
            f"SELECT priority, COUNT(*), AVG({DURATION}) FROM ticket "
            f"WHERE {RESOLVED_INCIDENTS}{window} GROUP BY priority ORDER BY priority", span):
        median = _median(f"{RESOLVED_INCIDENTS} AND priority = ?{window}",
                         [priority, *span], count)
        mttr["by_priority"][priority] = {"mean_hours": _hours(mean),
                                         "median_hours": _hours(median), "count": count}
        total, weighted = total + count, weighted + mean * count
    mttr["overall"] = {"mean_hours": _hours(weighted / total) if total else None,
                       "median_hours": _hours(_median(f"{RESOLVED_INCIDENTS}{window}",
                                                      span, total)),
                       "count": total}

    response_late, response_params = response_breached(now_ms, table="")
    resolution_late, resolution_params = resolution_breached(now_ms, table="")
    (resp_met, resp_due, res_met, res_due, fcr_yes, resolved, reopened,
     ever_resolved) = _rows(f"""
        SELECT
          SUM(responded_at IS NOT NULL AND NOT ({response_late})),
          SUM(responded_at IS NOT NULL OR ({response_late})),
          SUM(resolved_at IS NOT NULL AND NOT ({resolution_late})),
          SUM(resolved_at IS NOT NULL OR ({resolution_late})),
          SUM(resolved_at IS NOT NULL AND support_level = 'L1' AND escalation_count = 0
              AND reassignment_count = 0),
          SUM(resolved_at IS NOT NULL),
          SUM(reopen_count > 0),
          SUM(resolved_at IS NOT NULL OR reopen_count > 0)
        FROM ticket WHERE type = 'incident' AND status != 'cancelled'{window}""",
        [*response_params, *response_params, *resolution_params, *resolution_params,
         *span])[0]

    backlog = {}
    for label, low, high in AGE_BUCKETS:
        condition = "logged_at <= ?" + ("" if high is None else " AND logged_at > ?")
        params = [now_ms - low * DAY_MS] + ([] if high is None else [now_ms - high * DAY_MS])
        backlog[label] = _rows(
            "SELECT COUNT(*) FROM ticket WHERE status IN "
            f"('new', 'assigned', 'in_progress', 'on_hold') AND {condition}{window}",
            [*params, *span])[0][0]

    return {
        "tickets": {"by_status": dict(sorted(by_status.items())),
                    "by_type": dict(sorted(by_type.items())),
                    "by_priority": dict(sorted(by_priority.items()))},
        "mttr": mttr,
        "sla": {"response": _rate(resp_met, resp_due), "resolution": _rate(res_met, res_due)},
        "first_contact_resolution": _rate(fcr_yes, resolved),
        "reopen_rate": _rate(reopened, ever_resolved),
        "backlog_by_age": backlog,
    }


def _hours(ms: float | None) -> float | None:
    return None if ms is None else round(ms / HOUR_MS, 2)


def _rate(hits: int | None, total: int | None) -> dict[str, Any]:
    hits, total = hits or 0, total or 0
    return {"percent": round(100.0 * hits / total, 1) if total else None,
            "count": hits, "of": total}
