"""The first schema: tickets, history, worklog, checklists, links, policy, numbering,
sync outbox and full-text search."""

OPEN = "('new', 'assigned', 'in_progress', 'on_hold')"

STATEMENTS = [
    """CREATE TABLE support_group (
        id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, level TEXT NOT NULL)""",
    """CREATE TABLE technician (
        id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '', role TEXT NOT NULL,
        group_id TEXT REFERENCES support_group (id), active INTEGER NOT NULL DEFAULT 1)""",
    """CREATE TABLE ticket (
        id TEXT PRIMARY KEY, number TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
        status TEXT NOT NULL, hold_reason TEXT,
        impact TEXT NOT NULL, urgency TEXT NOT NULL, priority TEXT NOT NULL,
        major INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
        category TEXT, subcategory TEXT, service TEXT, ci TEXT,
        group_id TEXT REFERENCES support_group (id),
        assignee_id TEXT REFERENCES technician (id),
        support_level TEXT NOT NULL DEFAULT 'L1', hierarchic_level INTEGER NOT NULL DEFAULT 0,
        reporter TEXT, contact TEXT, channel TEXT,
        detected_at INTEGER, logged_at INTEGER NOT NULL, logged_by TEXT,
        responded_at INTEGER, resolved_at INTEGER, closed_at INTEGER,
        updated_at INTEGER NOT NULL,
        response_due INTEGER, resolution_due INTEGER,
        sla_stopped_since INTEGER, sla_stopped_ms INTEGER NOT NULL DEFAULT 0,
        response_breached INTEGER NOT NULL DEFAULT 0,
        resolution_breached INTEGER NOT NULL DEFAULT 0,
        reassignment_count INTEGER NOT NULL DEFAULT 0,
        escalation_count INTEGER NOT NULL DEFAULT 0,
        reopen_count INTEGER NOT NULL DEFAULT 0,
        resolution_type TEXT, resolution_code TEXT, resolution_notes TEXT, resolved_by TEXT,
        may_recur INTEGER NOT NULL DEFAULT 0, confirmation TEXT, problem_decision TEXT,
        knowledge TEXT, cancel_reason TEXT,
        problem_id TEXT REFERENCES ticket (id), parent_id TEXT REFERENCES ticket (id),
        problem_ref TEXT, rfc TEXT)""",
    f"CREATE INDEX ticket_open_by_due ON ticket (resolution_due, id) WHERE status IN {OPEN}",
    "CREATE INDEX ticket_status_type_priority ON ticket (status, type, priority)",
    # MTTR means and medians walk these instead of sorting every resolved ticket.
    """CREATE INDEX ticket_resolution_time ON ticket
        (type, priority, (resolved_at - logged_at), logged_at) WHERE resolved_at IS NOT NULL""",
    """CREATE INDEX ticket_resolution_time_all ON ticket
        (type, (resolved_at - logged_at), logged_at) WHERE resolved_at IS NOT NULL""",
    "CREATE INDEX ticket_assignee_status ON ticket (assignee_id, status)",
    "CREATE INDEX ticket_group_status ON ticket (group_id, status)",
    "CREATE INDEX ticket_logged_at ON ticket (logged_at)",
    "CREATE INDEX ticket_updated_at ON ticket (updated_at)",
    "CREATE INDEX ticket_problem ON ticket (problem_id) WHERE problem_id IS NOT NULL",
    "CREATE INDEX ticket_parent ON ticket (parent_id) WHERE parent_id IS NOT NULL",
    """CREATE TABLE history (
        id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES ticket (id),
        at INTEGER NOT NULL, by TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT)""",
    "CREATE INDEX history_ticket ON history (ticket_id, at)",
    """CREATE TABLE worklog (
        id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES ticket (id),
        at INTEGER NOT NULL, by TEXT NOT NULL, kind TEXT NOT NULL, note TEXT NOT NULL,
        minutes INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX worklog_ticket ON worklog (ticket_id, at)",
    """CREATE TABLE checklist_tick (
        id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES ticket (id),
        checklist TEXT NOT NULL, item TEXT NOT NULL, at INTEGER NOT NULL, by TEXT NOT NULL,
        UNIQUE (ticket_id, checklist, item))""",
    """CREATE TABLE link (
        id TEXT PRIMARY KEY, ticket_id TEXT NOT NULL REFERENCES ticket (id),
        kind TEXT NOT NULL, target_id TEXT NOT NULL REFERENCES ticket (id),
        at INTEGER NOT NULL, by TEXT NOT NULL, UNIQUE (ticket_id, kind, target_id))""",
    "CREATE INDEX link_target ON link (target_id)",
    """CREATE TABLE policy_section (
        key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL)""",
    """CREATE TABLE number_block (
        id TEXT PRIMARY KEY, prefix TEXT NOT NULL, first INTEGER NOT NULL,
        last INTEGER NOT NULL, next INTEGER NOT NULL)""",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE outbox (
        op_id TEXT PRIMARY KEY, entity TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT,
        value TEXT, hlc TEXT NOT NULL, device_id TEXT NOT NULL)""",
    "CREATE INDEX outbox_hlc ON outbox (hlc)",
    """CREATE VIRTUAL TABLE ticket_search USING fts5(
        number, summary, description, worklog, tokenize = 'unicode61 remove_diacritics 2')""",
]

# The triggers that keep the full-text index current, row by row.
SEARCH_TRIGGERS = [
    """CREATE TRIGGER ticket_search_insert AFTER INSERT ON ticket BEGIN
        INSERT INTO ticket_search (rowid, number, summary, description, worklog)
        VALUES (new.rowid, new.number, new.summary, new.description, '');
    END""",
    """CREATE TRIGGER ticket_search_update AFTER UPDATE OF number, summary, description
        ON ticket BEGIN
        UPDATE ticket_search SET number = new.number, summary = new.summary,
            description = new.description WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER ticket_search_worklog AFTER INSERT ON worklog BEGIN
        UPDATE ticket_search SET worklog = worklog || ' ' || new.note
        WHERE rowid = (SELECT rowid FROM ticket WHERE id = new.ticket_id);
    END""",
]


def up(migrator, db):
    for statement in STATEMENTS + SEARCH_TRIGGERS:
        db.execute_sql(statement)
