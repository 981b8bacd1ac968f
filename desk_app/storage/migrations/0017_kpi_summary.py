"""KPI summary tables: local derived data (never synced) that the dashboard sums instead
of scanning a million tickets.

- ``kpi_summary``: per dimension (all, priority, category, service, group, technician,
  channel), key and UTC day of logging, the additive KPI sums of the incidents
  (cancelled ones left out) logged that day (desk_app.core.kpi_totals.KpiTotals).
- ``kpi_ticket_time``: the worklog minutes and entries of each ticket.
- ``kpi_time``: worklog minutes and entries per UTC day of the ticket's logging and
  worklog author (every ticket type).

Triggers keep them current row by row: a ticket change takes the old row's share out and
puts the new one's in (only when a column they read changed); worklog and knowledge-use
rows add theirs. Bulk loads and sync pulls rebuild them in a few statements
(desk_app.storage.kpi_summary.rebuild_kpi_summary); the rebuild fills them here too.
"""

DAY_MS = 86_400_000
DIMENSIONS = (("all", "''"), ("priority", "{r}.priority"),
              ("category", "COALESCE({r}.category, '')"),
              ("service", "COALESCE({r}.service, '')"),
              ("group", "COALESCE({r}.group_id, '')"),
              ("technician", "COALESCE({r}.assignee_id, '')"),
              ("channel", "COALESCE({r}.channel, '')"))
KNOWLEDGE = ("EXISTS (SELECT 1 FROM knowledge_use u WHERE u.ticket_id = {r}.id "
             "AND u.kind IN ('article', 'known_error'))")
# (column, its share of one ticket row {r})
SHARES = (
    ("logged", "1"),
    ("open", "{r}.status IN ('new', 'assigned', 'in_progress', 'on_hold')"),
    ("resolved", "{r}.resolved_at IS NOT NULL"),
    ("resolve_ms", "COALESCE({r}.resolved_at - {r}.logged_at, 0)"),
    ("detect_resolve_ms", "COALESCE({r}.resolved_at - COALESCE({r}.detected_at, "
                          "{r}.logged_at), 0)"),
    ("detected", "{r}.detected_at IS NOT NULL"),
    ("detect_ms", "COALESCE({r}.logged_at - {r}.detected_at, 0)"),
    # a breach recorded (by the watcher, or an import's "missed SLA") counts as missed
    ("sla_known", "{r}.resolved_at IS NOT NULL AND ({r}.resolution_due IS NOT NULL "
                  "OR {r}.resolution_breached)"),
    ("sla_met", "{r}.resolved_at IS NOT NULL AND NOT {r}.resolution_breached "
                "AND COALESCE({r}.resolved_at <= {r}.resolution_due, 0)"),
    ("fcr", "{r}.resolved_at IS NOT NULL AND {r}.support_level = 'L1' "
            "AND {r}.escalation_count = 0 AND {r}.reassignment_count = 0"),
    ("ever_resolved", "{r}.resolved_at IS NOT NULL OR {r}.reopen_count > 0"),
    ("reopened", "{r}.reopen_count > 0"),
    ("recurred", "{r}.reopen_count > 0"),  # linked recurrences are added when read
    ("rated", "{r}.satisfaction_score IS NOT NULL"),
    ("satisfied", "COALESCE({r}.satisfaction_score >= 4, 0)"),
    ("by_knowledge", "{r}.resolved_at IS NOT NULL AND " + KNOWLEDGE),
    ("minutes", "COALESCE((SELECT k.minutes FROM kpi_ticket_time k "
                "WHERE k.ticket_id = {r}.id), 0)"),
)
COLUMNS = tuple(name for name, _ in SHARES)
COUNTED = "{r}.type = 'incident' AND {r}.status != 'cancelled'"
READ_COLUMNS = ("type", "status", "priority", "category", "service", "group_id",
                "assignee_id", "channel", "logged_at", "detected_at", "resolved_at",
                "resolution_due", "resolution_breached", "support_level", "escalation_count",
                "reassignment_count", "reopen_count", "satisfaction_score")


def _upsert(dim: str, key: str, day: str, values: list[str], source: str = "") -> str:
    columns = ", ".join(COLUMNS)
    if source:
        rows = f"SELECT '{dim}', {key}, {day}, {', '.join(values)} {source}"
    else:
        rows = f"VALUES ('{dim}', {key}, {day}, {', '.join(values)})"
    return (f"INSERT INTO kpi_summary (dim, key, day, {columns}) {rows} "
            "ON CONFLICT (dim, key, day) DO UPDATE SET "
            + ", ".join(f"{c} = {c} + excluded.{c}" for c in COLUMNS) + ";")


def _add(row: str, sign: str) -> str:
    """Statements adding (sign "+") or taking out ("-") ticket row ``row``'s shares in
    every dimension."""
    values = [f"{sign}({share.format(r=row)})" for _, share in SHARES]
    return "\n".join(_upsert(dim, key.format(r=row), f"{row}.logged_at / {DAY_MS}", values)
                     for dim, key in DIMENSIONS)


def _incident_share(value: str, column: str, sign: str, row: str = "new") -> str:
    """Statements adding ``value`` to ``column`` of the sums of the ticket that row
    ``row`` (a worklog or knowledge-use row) belongs to, when that ticket is counted."""
    values = [f"{sign}({value})" if c == column else "0" for c in COLUMNS]
    source = (f"FROM ticket t WHERE t.id = {row}.ticket_id AND {COUNTED.format(r='t')}")
    return "\n".join(_upsert(dim, key.format(r="t"), f"t.logged_at / {DAY_MS}", values,
                              source) for dim, key in DIMENSIONS)


def _changed() -> str:
    return " OR ".join(f"old.{c} IS NOT new.{c}" for c in READ_COLUMNS)


TABLES = [
    f"""CREATE TABLE kpi_summary (
        dim TEXT NOT NULL, key TEXT NOT NULL, day INTEGER NOT NULL,
        {', '.join(f'{c} INTEGER NOT NULL DEFAULT 0' for c in COLUMNS)},
        PRIMARY KEY (dim, key, day)) WITHOUT ROWID""",
    # open tickets with what the live KPI parts read (past target, backlog by age):
    # covering, so a million tickets' open few are read without touching the table
    """CREATE INDEX kpi_open_ticket ON ticket (resolution_due, logged_at, type, priority,
        category, service, group_id, assignee_id, channel, sla_stopped_since, resolved_at)
        WHERE status IN ('new', 'assigned', 'in_progress', 'on_hold')""",
    """CREATE TABLE kpi_ticket_time (
        ticket_id TEXT NOT NULL PRIMARY KEY, minutes INTEGER NOT NULL DEFAULT 0,
        entries INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID""",
    "CREATE INDEX kpi_ticket_time_minutes ON kpi_ticket_time (minutes)",
    """CREATE TABLE kpi_time (
        day INTEGER NOT NULL, login TEXT NOT NULL, minutes INTEGER NOT NULL DEFAULT 0,
        entries INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, login)) WITHOUT ROWID""",
]

TICKET = "(SELECT * FROM ticket WHERE id = new.ticket_id)"
TRIGGERS = [
    f"""CREATE TRIGGER kpi_ticket_insert AFTER INSERT ON ticket
        WHEN {COUNTED.format(r='new')} BEGIN
        {_add('new', '+')}
    END""",
    f"""CREATE TRIGGER kpi_ticket_delete AFTER DELETE ON ticket
        WHEN {COUNTED.format(r='old')} BEGIN
        {_add('old', '-')}
    END""",
    f"""CREATE TRIGGER kpi_ticket_update_out AFTER UPDATE ON ticket
        WHEN ({COUNTED.format(r='old')}) AND ({_changed()}) BEGIN
        {_add('old', '-')}
    END""",
    f"""CREATE TRIGGER kpi_ticket_update_in AFTER UPDATE ON ticket
        WHEN ({COUNTED.format(r='new')}) AND ({_changed()}) BEGIN
        {_add('new', '+')}
    END""",
    # worklog time: per ticket, per author and day, and in the ticket's KPI sums
    f"""CREATE TRIGGER kpi_worklog_insert AFTER INSERT ON worklog BEGIN
        INSERT INTO kpi_ticket_time (ticket_id, minutes, entries)
        VALUES (new.ticket_id, new.minutes, new.minutes != 0)
        ON CONFLICT (ticket_id) DO UPDATE SET minutes = minutes + excluded.minutes,
            entries = entries + excluded.entries;
        INSERT INTO kpi_time (day, login, minutes, entries)
        SELECT t.logged_at / {DAY_MS}, new.by, new.minutes, new.minutes != 0
        FROM ticket t WHERE t.id = new.ticket_id AND new.minutes != 0
        ON CONFLICT (day, login) DO UPDATE SET minutes = minutes + excluded.minutes,
            entries = entries + excluded.entries;
        {_incident_share('new.minutes', 'minutes', '+')}
    END""",
    # worklog is append-only, but a demo ticket's rows are deleted with it
    f"""CREATE TRIGGER kpi_worklog_delete AFTER DELETE ON worklog BEGIN
        UPDATE kpi_ticket_time SET minutes = minutes - old.minutes,
            entries = entries - (old.minutes != 0) WHERE ticket_id = old.ticket_id;
        UPDATE kpi_time SET minutes = minutes - old.minutes,
            entries = entries - (old.minutes != 0)
        WHERE login = old.by AND day = (SELECT t.logged_at / {DAY_MS} FROM ticket t
                                        WHERE t.id = old.ticket_id);
        {_incident_share('old.minutes', 'minutes', '-', 'old')}
    END""",
    f"""CREATE TRIGGER kpi_knowledge_insert AFTER INSERT ON knowledge_use
        WHEN new.kind IN ('article', 'known_error') AND NOT EXISTS (
            SELECT 1 FROM knowledge_use u WHERE u.ticket_id = new.ticket_id
            AND u.kind IN ('article', 'known_error') AND u.id != new.id) BEGIN
        {_incident_share('t.resolved_at IS NOT NULL', 'by_knowledge', '+')}
    END""",
    f"""CREATE TRIGGER kpi_knowledge_delete AFTER DELETE ON knowledge_use
        WHEN old.kind IN ('article', 'known_error') AND NOT EXISTS (
            SELECT 1 FROM knowledge_use u WHERE u.ticket_id = old.ticket_id
            AND u.kind IN ('article', 'known_error')) BEGIN
        {_incident_share('t.resolved_at IS NOT NULL', 'by_knowledge', '-', 'old')}
    END""",
]


def up(migrator, db):
    for statement in TABLES + TRIGGERS:
        db.execute_sql(statement)
    rebuild(db)


def rebuild(db) -> None:
    """Fill the summary tables from the tickets, worklog and knowledge use (emptied
    first)."""
    for table in ("kpi_summary", "kpi_ticket_time", "kpi_time"):
        db.execute_sql(f"DELETE FROM {table}")
    db.execute_sql("""INSERT INTO kpi_ticket_time (ticket_id, minutes, entries)
        SELECT ticket_id, SUM(minutes), SUM(minutes != 0) FROM worklog
        GROUP BY ticket_id""")
    db.execute_sql(f"""INSERT INTO kpi_time (day, login, minutes, entries)
        SELECT t.logged_at / {DAY_MS}, w.by, SUM(w.minutes), COUNT(*)
        FROM worklog w JOIN ticket t ON t.id = w.ticket_id WHERE w.minutes != 0
        GROUP BY 1, 2""")
    from_tickets = ", ".join(f"SUM({share.format(r='t')})" for _, share in SHARES)
    for dim, key in DIMENSIONS:
        db.execute_sql(f"""INSERT INTO kpi_summary (dim, key, day, {', '.join(COLUMNS)})
            SELECT '{dim}', {key.format(r='t')}, t.logged_at / {DAY_MS}, {from_tickets}
            FROM ticket t WHERE {COUNTED.format(r='t')} GROUP BY 2, 3""")
