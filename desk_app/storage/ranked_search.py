"""Ranked full-text look-ups for diagnosis: bm25 with field weights (a summary or title
hit counts more than one in a description or worklog)."""

from collections.abc import Sequence

from desk_app.storage.database import database

# bm25 weights of ticket_search's columns: number, summary, description, worklog,
# resolution notes
TICKET_WEIGHTS = (2.0, 6.0, 1.5, 0.5, 2.0)
SOLVED = "('resolved', 'closed')"


def _ticket_filter(match: str, solved_only: bool,
                   exclude_id: str | None) -> tuple[str, list[object]]:
    """The WHERE clause and its parameters shared by both ticket look-ups."""
    conditions = ["ticket_search MATCH ?"]
    params: list[object] = [match]
    if solved_only:
        conditions.append(f"t.status IN {SOLVED} AND t.resolution_notes IS NOT NULL")
    if exclude_id:
        conditions.append("t.id != ?")
        params.append(exclude_id)
    return " AND ".join(conditions), params


def ranked_tickets(match: str, limit: int, solved_only: bool = False,
                   exclude_id: str | None = None) -> list[dict]:
    """Tickets matching the FTS5 expression ``match``, best first, each with its bm25
    ``score`` (lower is better). ``solved_only`` keeps resolved and closed tickets that
    have resolution notes (a fix to offer)."""
    weights = ", ".join(str(w) for w in TICKET_WEIGHTS)
    where, params = _ticket_filter(match, solved_only, exclude_id)
    cursor = database.execute_sql(
        f"""SELECT t.id, t.number, t.status, t.priority, t.summary,
                   substr(t.description, 1, 400) AS description, t.resolution_type,
                   t.resolution_notes, bm25(ticket_search, {weights}) AS score
            FROM ticket_search s JOIN ticket t ON t.rowid = s.rowid
            WHERE {where} ORDER BY score LIMIT ?""", [*params, limit])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def recent_tickets(match: str, limit: int, solved_only: bool = False,
                   exclude_id: str | None = None) -> list[dict]:
    """The newest ``limit`` tickets matching ``match`` (no bm25: its document counts
    read every match, too slow per keystroke over a million tickets), with the texts a
    caller ranks them by."""
    where, params = _ticket_filter(match, solved_only, exclude_id)
    cursor = database.execute_sql(
        f"""SELECT t.id, t.number, t.status, t.priority, t.summary,
                   substr(t.description, 1, 400) AS description, t.resolution_type,
                   t.resolution_notes, 0.0 AS score
            FROM ticket_search s JOIN ticket t ON t.rowid = s.rowid
            WHERE {where} ORDER BY s.rowid DESC LIMIT ?""",
        [*params, limit])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def vocabulary(table: str, terms: Sequence[str] | None = None) -> dict[str, int]:
    """Terms of the FTS5 index ``table`` with the number of rows holding each (through a
    temporary fts5vocab table); only ``terms`` when given."""
    vocab = f"{table}_vocab"
    database.execute_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{vocab} "
                         f"USING fts5vocab(main, {table}, row)")
    if terms is None:
        rows = database.execute_sql(f"SELECT term, doc FROM temp.{vocab}").fetchall()
    else:
        marks = ", ".join("?" for _ in terms)
        rows = database.execute_sql(
            f"SELECT term, doc FROM temp.{vocab} WHERE term IN ({marks})", list(terms)
        ).fetchall() if terms else []
    return dict(rows)


# bm25 weights of knowledge_search's columns: kind, ref (not indexed), title, body, fix
KNOWLEDGE_WEIGHTS = (0.0, 0.0, 6.0, 1.5, 2.0)


def ranked_knowledge(match: str, limit: int, kinds: Sequence[str]) -> list[dict]:
    """Published articles and known errors (``kinds``) matching ``match``, best first,
    each with kind, ref (the row's id), label (its number), title, fix, status and bm25
    ``score``."""
    weights = ", ".join(str(w) for w in KNOWLEDGE_WEIGHTS)
    marks = ", ".join("?" for _ in kinds)
    cursor = database.execute_sql(
        f"""SELECT s.kind, s.ref, COALESCE(a.number, t.number, '') AS label, s.title,
                   s.body, s.fix, COALESCE(a.status, t.problem_status) AS status, s.score
            FROM (SELECT rowid, kind, ref, title, substr(body, 1, 400) AS body, fix,
                         bm25(knowledge_search, {weights}) AS score
                  FROM knowledge_search WHERE knowledge_search MATCH ?
                  AND kind IN ({marks}) ORDER BY score LIMIT ?) s
            LEFT JOIN knowledge_article a ON s.kind = 'article' AND a.rowid = s.rowid
            LEFT JOIN ticket t ON s.kind = 'known_error' AND t.rowid = -s.rowid
            ORDER BY s.score""", [match, *kinds, limit])
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def index_knowledge(rows: Sequence[tuple[int, str, str, str, str, str]]) -> None:
    """Put (rowid, kind, ref, title, body, fix) rows into the knowledge index, replacing
    rows of the same rowid (for loads that bypass the triggers)."""
    database.cursor().executemany(
        "DELETE FROM knowledge_search WHERE rowid = ?", [(row[0],) for row in rows])
    database.cursor().executemany(
        "INSERT INTO knowledge_search (rowid, kind, ref, title, body, fix) "
        "VALUES (?, ?, ?, ?, ?, ?)", rows)


def index_signature(table: str) -> tuple[int, int]:
    """(lowest, highest) rowid of an FTS5 index, read from its docsize table (two index
    look-ups): changes when rows come or go at either end (caches of its vocabulary use
    it with a time limit)."""
    return tuple(database.execute_sql(
        f"SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM {table}_docsize"
    ).fetchone())


def index_rows(table: str) -> int:
    """How many rows an FTS5 index holds."""
    return database.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
