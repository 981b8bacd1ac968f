"""The KPIs, computed in SQL so that a million tickets take seconds, not minutes.

Definitions (also in the README):
- MTTR: mean and median of resolved_at - logged_at, in hours, over incidents that have
  a resolution time; overall and per priority.
- SLA compliance: % of incidents that met the target, over those whose target has
  been met or has passed (cancelled tickets and paused clocks excluded).
- First-contact resolution: resolved incidents resolved at L1 with no escalation and
  no reassignment, over resolved incidents.
- Reopen rate: incidents reopened at least once, over incidents ever resolved.
- Backlog: open tickets of every type by age since logging.
"""

from typing import Any

from desk_app.storage.database import database

HOUR_MS = 3_600_000.0
DAY_MS = 24 * HOUR_MS
AGE_BUCKETS = (("under 1 day", 0, 1), ("1-3 days", 1, 3), ("3-7 days", 3, 7),
               ("7-30 days", 7, 30), ("over 30 days", 30, None))


def _rows(sql: str, params: tuple) -> list[tuple]:
    return database.execute_sql(sql, params).fetchall()


def kpi_report(since_ms: int | None, until_ms: int | None, now_ms: int) -> dict[str, Any]:
    """Every KPI over tickets logged in [since, until)."""
    window = "logged_at >= ? AND logged_at < ?"
    span = (since_ms if since_ms is not None else -(2**62),
            until_ms if until_ms is not None else 2**62)
    incidents = f"type = 'incident' AND {window}"

    def grouped(column: str) -> dict[str, int]:
        return dict(_rows(f"SELECT {column}, COUNT(*) FROM ticket WHERE {window} "
                          f"GROUP BY {column} ORDER BY {column}", span))

    mttr_rows = _rows(f"""
        WITH d AS (SELECT priority, resolved_at - logged_at AS ms FROM ticket
                   WHERE {incidents} AND resolved_at IS NOT NULL),
        ranked AS (SELECT priority, ms,
                   ROW_NUMBER() OVER (PARTITION BY priority ORDER BY ms) AS rn,
                   COUNT(*) OVER (PARTITION BY priority) AS n,
                   ROW_NUMBER() OVER (ORDER BY ms) AS rn_all,
                   COUNT(*) OVER () AS n_all FROM d)
        SELECT priority, AVG(ms), COUNT(*),
               AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN ms END),
               (SELECT AVG(ms) FROM d),
               (SELECT AVG(ms) FROM ranked WHERE rn_all IN ((n_all + 1) / 2, (n_all + 2) / 2))
        FROM ranked GROUP BY priority ORDER BY priority""", span)
    mttr: dict[str, Any] = {"overall": {"mean_hours": None, "median_hours": None, "count": 0},
                            "by_priority": {}}
    total = 0
    for priority, mean, count, median, overall_mean, overall_median in mttr_rows:
        mttr["by_priority"][priority] = {"mean_hours": _hours(mean),
                                         "median_hours": _hours(median), "count": count}
        total += count
        mttr["overall"] = {"mean_hours": _hours(overall_mean),
                           "median_hours": _hours(overall_median), "count": total}

    (resp_met, resp_due, res_met, res_due, fcr_yes, resolved, reopened,
     ever_resolved) = _rows(f"""
        SELECT
          SUM(responded_at IS NOT NULL AND responded_at <= response_due),
          SUM(responded_at IS NOT NULL OR response_due <= :now),
          SUM(resolved_at IS NOT NULL AND resolved_at <= resolution_due),
          SUM(resolved_at IS NOT NULL OR (resolution_due <= :now
              AND sla_stopped_since IS NULL AND status != 'cancelled')),
          SUM(resolved_at IS NOT NULL AND support_level = 'L1' AND escalation_count = 0
              AND reassignment_count = 0),
          SUM(resolved_at IS NOT NULL),
          SUM(reopen_count > 0),
          SUM(resolved_at IS NOT NULL OR reopen_count > 0)
        FROM ticket WHERE {incidents} AND status != 'cancelled'
        """.replace(":now", "?"),
        (now_ms, now_ms, *span))[0]

    backlog = {}
    for label, low, high in AGE_BUCKETS:
        condition = "logged_at <= ?" + ("" if high is None else " AND logged_at > ?")
        params = (now_ms - low * DAY_MS,) + (() if high is None else (now_ms - high * DAY_MS,))
        backlog[label] = _rows(
            "SELECT COUNT(*) FROM ticket WHERE status IN "
            f"('new', 'assigned', 'in_progress', 'on_hold') AND {window} AND {condition}",
            span + params)[0][0]

    return {
        "tickets": {"by_status": grouped("status"), "by_type": grouped("type"),
                    "by_priority": grouped("priority")},
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
