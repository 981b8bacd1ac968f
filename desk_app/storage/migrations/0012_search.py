"""One ranked search for diagnosis: the ticket index gains the resolution notes (a
workaround or fix written at resolution); published knowledge articles and known errors
(problems in the known-error state) get an index of their own (stemmed: "crashes" finds
"crash"); and a ticket records what solved it (an article, a known error or a past
ticket) so "resolved by knowledge" can be counted."""

PUBLISHED = "published"  # desk_app.core: an article's status, a problem's status
KNOWN_ERROR = "known_error"

STATEMENTS = [
    "DROP TRIGGER IF EXISTS ticket_search_insert",
    "DROP TRIGGER IF EXISTS ticket_search_update",
    "DROP TRIGGER IF EXISTS ticket_search_worklog",
    "DROP TRIGGER IF EXISTS ticket_search_alias",
    "DROP TRIGGER IF EXISTS ticket_search_resolution",
    "DROP TABLE ticket_search",
    """CREATE VIRTUAL TABLE ticket_search USING fts5(
        number, summary, description, worklog, resolution,
        tokenize = 'unicode61 remove_diacritics 2')""",
    # Rebuilt in one statement: numbers with their former numbers, worklog and notes.
    """INSERT INTO ticket_search (rowid, number, summary, description, worklog, resolution)
       SELECT t.rowid,
              t.number || COALESCE((SELECT ' ' || group_concat(h.old, ' ') FROM history h
                                    WHERE h.ticket_id = t.id AND h.field = 'number'
                                    AND h.old IS NOT NULL), ''),
              t.summary, t.description,
              COALESCE((SELECT group_concat(w.note, ' ') FROM worklog w
                        WHERE w.ticket_id = t.id), ''),
              COALESCE(t.resolution_notes, '')
       FROM ticket t""",
    """CREATE TABLE knowledge_use (
        id TEXT NOT NULL PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES ticket (id),
        kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL)""",
    "CREATE INDEX knowledge_use_ticket ON knowledge_use (ticket_id)",
    "CREATE INDEX knowledge_use_target ON knowledge_use (kind, target_id)",
    # Published articles (rowid = the article's rowid) and known errors (rowid = minus
    # the problem ticket's rowid): title, body (symptoms and cause, or the problem's
    # description and root cause) and fix (solution, or workaround).
    """CREATE VIRTUAL TABLE knowledge_search USING fts5(
        kind UNINDEXED, ref UNINDEXED, title, body, fix,
        tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"""INSERT INTO knowledge_search (rowid, kind, ref, title, body, fix)
        SELECT rowid, 'article', id, title, symptoms || ' ' || cause, solution
        FROM knowledge_article WHERE status = '{PUBLISHED}'""",
    f"""INSERT INTO knowledge_search (rowid, kind, ref, title, body, fix)
        SELECT -rowid, 'known_error', id, summary,
               description || ' ' || COALESCE(root_cause, ''), COALESCE(workaround, '')
        FROM ticket WHERE problem_status = '{KNOWN_ERROR}'""",
]

# The triggers that keep the ticket index current, row by row (bulk loads drop them and
# index in one statement: desk_app.storage.search.search_index_rebuilt_after).
SEARCH_TRIGGERS = [
    """CREATE TRIGGER ticket_search_insert AFTER INSERT ON ticket BEGIN
        INSERT INTO ticket_search (rowid, number, summary, description, worklog, resolution)
        VALUES (new.rowid, new.number, new.summary, new.description, '',
                COALESCE(new.resolution_notes, ''));
    END""",
    """CREATE TRIGGER ticket_search_update AFTER UPDATE OF number, summary, description
        ON ticket BEGIN
        UPDATE ticket_search SET number = new.number, summary = new.summary,
            description = new.description WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER ticket_search_resolution AFTER UPDATE OF resolution_notes
        ON ticket BEGIN
        UPDATE ticket_search SET resolution = COALESCE(new.resolution_notes, '')
        WHERE rowid = new.rowid;
    END""",
    """CREATE TRIGGER ticket_search_worklog AFTER INSERT ON worklog BEGIN
        UPDATE ticket_search SET worklog = worklog || ' ' || new.note
        WHERE rowid = (SELECT rowid FROM ticket WHERE id = new.ticket_id);
    END""",
    """CREATE TRIGGER ticket_search_alias AFTER INSERT ON history
        WHEN new.field = 'number' AND new.old IS NOT NULL BEGIN
        UPDATE ticket_search SET number = number || ' ' || new.old
        WHERE rowid = (SELECT rowid FROM ticket WHERE id = new.ticket_id);
    END""",
]

# The knowledge index follows published articles and known errors (kept apart from the
# ticket triggers: bulk loads of tickets leave these in place; their tickets are no
# known errors, so the WHEN clauses skip them).
KNOWLEDGE_TRIGGERS = [
    f"""CREATE TRIGGER knowledge_search_article_insert AFTER INSERT ON knowledge_article
        WHEN new.status = '{PUBLISHED}' BEGIN
        INSERT INTO knowledge_search (rowid, kind, ref, title, body, fix)
        VALUES (new.rowid, 'article', new.id, new.title, new.symptoms || ' ' || new.cause,
                new.solution);
    END""",
    f"""CREATE TRIGGER knowledge_search_article_update AFTER UPDATE OF title, symptoms,
        cause, solution, status ON knowledge_article BEGIN
        DELETE FROM knowledge_search WHERE rowid = old.rowid;
        INSERT INTO knowledge_search (rowid, kind, ref, title, body, fix)
        SELECT new.rowid, 'article', new.id, new.title, new.symptoms || ' ' || new.cause,
               new.solution WHERE new.status = '{PUBLISHED}';
    END""",
    """CREATE TRIGGER knowledge_search_article_delete AFTER DELETE ON knowledge_article
        BEGIN
        DELETE FROM knowledge_search WHERE rowid = old.rowid;
    END""",
    f"""CREATE TRIGGER knowledge_search_known_error_insert AFTER INSERT ON ticket
        WHEN new.problem_status = '{KNOWN_ERROR}' BEGIN
        INSERT INTO knowledge_search (rowid, kind, ref, title, body, fix)
        VALUES (-new.rowid, 'known_error', new.id, new.summary,
                new.description || ' ' || COALESCE(new.root_cause, ''),
                COALESCE(new.workaround, ''));
    END""",
    f"""CREATE TRIGGER knowledge_search_known_error_update AFTER UPDATE OF summary,
        description, root_cause, workaround, problem_status ON ticket
        WHEN old.problem_status IS '{KNOWN_ERROR}' OR new.problem_status IS '{KNOWN_ERROR}'
        BEGIN
        DELETE FROM knowledge_search WHERE rowid = -old.rowid;
        INSERT INTO knowledge_search (rowid, kind, ref, title, body, fix)
        SELECT -new.rowid, 'known_error', new.id, new.summary,
               new.description || ' ' || COALESCE(new.root_cause, ''),
               COALESCE(new.workaround, '') WHERE new.problem_status = '{KNOWN_ERROR}';
    END""",
    f"""CREATE TRIGGER knowledge_search_known_error_delete AFTER DELETE ON ticket
        WHEN old.problem_status IS '{KNOWN_ERROR}' BEGIN
        DELETE FROM knowledge_search WHERE rowid = -old.rowid;
    END""",
]


def up(migrator, db):
    for statement in STATEMENTS + SEARCH_TRIGGERS + KNOWLEDGE_TRIGGERS:
        db.execute_sql(statement)
