"""Knowledge articles as the plain data the CLI prints and the UI shows."""

from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.enums import parse_enum
from desk_app.core.knowledge import TEXT_FIELDS, ArticleStatus
from desk_app.services.knowledge import article_by_number
from desk_app.services.session import Session, reads
from desk_app.services.ticket_view import iso
from desk_app.storage.models import ArticleHistory, KnowledgeArticle, Ticket


@reads
def article_view(session: Session, number: str) -> dict[str, Any]:
    """One article with its texts (Markdown), where it came from, the tickets whose
    closure linked it, and its history."""
    zone = ZoneInfo(session.policy.time_zone)
    article = article_by_number(number)
    source = Ticket.get_or_none(Ticket.id == article.source_ticket_id) \
        if article.source_ticket_id else None
    return {
        "id": article.id, "number": article.number, "title": article.title,
        **{name: getattr(article, name) for name in TEXT_FIELDS},
        "category": article.category, "service": article.service,
        "ci_type": article.ci_type, "status": article.status, "author": article.author,
        "created_at": iso(article.created_at, zone),
        "updated_at": iso(article.updated_at, zone),
        "reviewed_at": iso(article.reviewed_at, zone),
        "source_ticket": source.number if source else None,
        "linked_tickets": [t.number for t in Ticket.select(Ticket.number)
                           .where(Ticket.article_id == article.id).order_by(Ticket.number)],
        "history": [{"at": iso(h.at, zone), "by": h.by, "field": h.field, "old": h.old,
                     "new": h.new}
                    for h in ArticleHistory.select()
                    .where(ArticleHistory.article == article.id)
                    .order_by(ArticleHistory.at, ArticleHistory.id)],
    }


@reads
def list_articles(session: Session, status: str | None = None,
                  limit: int | None = None) -> list[dict[str, Any]]:
    """The articles (or those in ``status``), most recently changed first; at most
    ``limit`` of them."""
    zone = ZoneInfo(session.policy.time_zone)
    query = KnowledgeArticle.select()
    if status:
        query = query.where(KnowledgeArticle.status
                            == parse_enum(ArticleStatus, "status", status).value)
    return [{"number": a.number, "title": a.title, "status": a.status,
             "category": a.category, "service": a.service, "author": a.author,
             "updated_at": iso(a.updated_at, zone)}
            for a in query.order_by(KnowledgeArticle.updated_at.desc()).limit(limit)]
