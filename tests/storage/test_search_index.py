"""The search indexes of migration 0012: the ticket index rebuilt with resolution notes
and former numbers, the knowledge index following published articles and known errors,
and bulk loads leaving the knowledge triggers alone."""

import importlib

from desk_app.services import classification, workflow
from desk_app.services.intake import log_ticket
from desk_app.storage.database import database
from desk_app.storage.models import KnowledgeArticle, Ticket
from desk_app.storage.ticket_queries import TicketFilter, list_tickets

from ..conftest import new_ticket

MIGRATION = importlib.import_module("desk_app.storage.migrations.0012_search")


def _found(text: str) -> list[str]:
    return [row["number"] for row in list_tickets(TicketFilter(search=text))]


def _knowledge() -> list[tuple]:
    return database.execute_sql(
        "SELECT rowid, kind, title, fix FROM knowledge_search ORDER BY rowid").fetchall()


def test_the_migration_rebuilds_both_indexes_from_the_rows(session):
    number = log_ticket(session, new_ticket(summary="Scanner offline")).number
    workflow.resolve(session, number, "workaround", "solved", "Swapped the capybara cable")
    converted = classification.convert(session, log_ticket(session, new_ticket()).number,
                                       "request").number
    problem = log_ticket(session, new_ticket(summary="Spooler leaks", type="problem"))
    Ticket.update(problem_status="known_error", workaround="Restart nightly").where(
        Ticket.id == problem.id).execute()
    KnowledgeArticle.create(number="KB-1", title="Draft", status="draft", author="a",
                            created_at=0, updated_at=0)
    KnowledgeArticle.create(number="KB-2", title="Live", solution="Do it", status="published",
                            author="a", created_at=0, updated_at=0)
    before = _knowledge()
    for statement in ("DROP TABLE knowledge_use", "DROP TABLE knowledge_search",
                      *(f"DROP TRIGGER {name}" for (name,) in database.execute_sql(
                          "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                          "AND name LIKE 'knowledge_search_%'").fetchall())):
        database.execute_sql(statement)
    MIGRATION.up(None, database)
    assert _found("capybara") == [number]  # resolution notes
    assert _found("INC-000002") == [converted]  # the former number stays searchable
    assert _knowledge() == before
    assert [(kind, title) for _rowid, kind, title, _fix in before] == [
        ("known_error", "Spooler leaks"), ("article", "Live")]


def test_the_knowledge_index_follows_status_and_text(session):
    article = KnowledgeArticle.create(number="KB-1", title="Old title", status="draft",
                                      author="a", created_at=0, updated_at=0)
    assert _knowledge() == []
    KnowledgeArticle.update(status="published").where(
        KnowledgeArticle.id == article.id).execute()
    KnowledgeArticle.update(title="New title").where(
        KnowledgeArticle.id == article.id).execute()
    assert [row[2] for row in _knowledge()] == ["New title"]
    KnowledgeArticle.delete().where(KnowledgeArticle.id == article.id).execute()
    assert _knowledge() == []


def test_a_resolution_note_is_indexed_when_written(session):
    number = log_ticket(session, new_ticket()).number
    assert _found("gerbil") == []
    workflow.resolve(session, number, "permanent", "solved", "Fed the gerbil")
    assert _found("gerbil") == [number]


def test_bulk_loads_index_resolution_notes_and_keep_the_knowledge_triggers(session):
    from desk_app.services.demo import write_demo_tickets

    write_demo_tickets(session, 30)
    names = {r[0] for r in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"knowledge_search_article_insert", "knowledge_search_known_error_update"} <= names
    noted = database.execute_sql(
        "SELECT number, resolution_notes FROM ticket WHERE resolution_notes IS NOT NULL "
        "LIMIT 1").fetchone()
    word = max(noted[1].split(), key=len).strip(".,;:'\"()")
    assert noted[0] in _found(word)
