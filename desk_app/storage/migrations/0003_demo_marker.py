"""Demo rows are marked, so that a desk can warn before they reach a team and remove
them. Demo tickets written before this migration are recognised by what the demo wrote:
logged by one of its technicians ("<group>.<1-3>", "<group> <1-3>", mail at
example.com) for a reporter at example.com, with a description "<name> reports: ..."."""

STATEMENTS = [
    """CREATE TABLE demo_row (
        entity TEXT NOT NULL, row_id TEXT NOT NULL,
        PRIMARY KEY (entity, row_id)) WITHOUT ROWID""",
    """INSERT INTO demo_row (entity, row_id)
        SELECT 'technician', t.id FROM technician t JOIN support_group g ON g.id = t.group_id
        WHERE t.email = t.login || '@example.com'
          AND t.login IN (lower(replace(g.name, ' ', '.')) || '.1',
                          lower(replace(g.name, ' ', '.')) || '.2',
                          lower(replace(g.name, ' ', '.')) || '.3')
          AND t.name = g.name || ' ' || substr(t.login, -1)""",
    """INSERT INTO demo_row (entity, row_id)
        SELECT 'ticket', k.id FROM ticket k
        WHERE k.contact LIKE '%@example.com' AND k.description LIKE '% reports: %'
          AND k.logged_by IN (SELECT t.login FROM technician t JOIN demo_row d
                              ON d.entity = 'technician' AND d.row_id = t.id)""",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
