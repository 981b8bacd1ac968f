"""Knowledge articles and their history; problem records get a root cause, a
workaround and a status of their own (new -> investigating -> known error -> resolved
-> closed); an incident's closure can name the article it updated and the reason an
incident manager gave for needing no problem record.

Articles merge field by field like tickets; their history rows are only ever added
(each is a new row with a client-made id), so they merge by union."""

STATEMENTS = [
    """CREATE TABLE knowledge_article (
        id TEXT NOT NULL PRIMARY KEY,
        number TEXT NOT NULL,
        title TEXT NOT NULL,
        symptoms TEXT NOT NULL DEFAULT '',
        cause TEXT NOT NULL DEFAULT '',
        solution TEXT NOT NULL DEFAULT '',
        category TEXT,
        service TEXT,
        ci_type TEXT,
        status TEXT NOT NULL,
        author TEXT NOT NULL,
        source_ticket_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        reviewed_at INTEGER)""",
    "CREATE INDEX knowledge_article_number ON knowledge_article (number)",
    "CREATE INDEX knowledge_article_status ON knowledge_article (status)",
    """CREATE TABLE article_history (
        id TEXT NOT NULL PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES knowledge_article (id),
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT)""",
    "CREATE INDEX article_history_article ON article_history (article_id, at)",
    "ALTER TABLE ticket ADD COLUMN root_cause TEXT",
    "ALTER TABLE ticket ADD COLUMN workaround TEXT",
    "ALTER TABLE ticket ADD COLUMN problem_status TEXT",
    "ALTER TABLE ticket ADD COLUMN problem_reason TEXT",
    "ALTER TABLE ticket ADD COLUMN article_id TEXT",
    "CREATE INDEX ticket_problem_status ON ticket (problem_status) "
    "WHERE problem_status IS NOT NULL",
]


def up(migrator, db):
    for statement in STATEMENTS:
        db.execute_sql(statement)
