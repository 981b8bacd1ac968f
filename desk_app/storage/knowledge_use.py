"""Counts of "this solved it" rows for the KPI report."""

from typing import Any

from desk_app.storage.database import database


def resolved_by_knowledge(since_ms: int | None, until_ms: int | None) -> dict[str, Any]:
    """Of the resolved tickets logged in [since, until): how many an article or known
    error solved, how many a past ticket's resolution solved, and the share knowledge
    solved."""
    window, span = "", []
    if since_ms is not None:
        window, span = window + " AND t.logged_at >= ?", [*span, since_ms]
    if until_ms is not None:
        window, span = window + " AND t.logged_at < ?", [*span, until_ms]
    resolved, by_knowledge, by_ticket = database.execute_sql(
        f"""SELECT COUNT(*),
                   SUM(EXISTS (SELECT 1 FROM knowledge_use u WHERE u.ticket_id = t.id
                               AND u.kind IN ('article', 'known_error'))),
                   SUM(EXISTS (SELECT 1 FROM knowledge_use u WHERE u.ticket_id = t.id
                               AND u.kind = 'ticket'))
            FROM ticket t WHERE t.resolved_at IS NOT NULL{window}""", span).fetchone()
    return {"resolved": resolved, "by_knowledge": by_knowledge or 0,
            "by_past_ticket": by_ticket or 0,
            "knowledge_percent": round(100 * (by_knowledge or 0) / resolved, 1)
            if resolved else None}
