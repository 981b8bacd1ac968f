"""Knowledge articles: write, revise, publish and retire them; make one from a
resolution. Each change writes the article, one history row per changed field and
the sync outbox rows in the activity's transaction, like a ticket's."""

import logging
from typing import Any

from desk_app.core.errors import NotFound
from desk_app.core.ids import uuid7
from desk_app.core.knowledge import (
    ArticleStatus,
    article_number,
    check_article_transition,
    checked_fields,
    is_article_number,
    normalised_article_number,
    publishable,
)
from desk_app.core.permissions import Permission
from desk_app.services.recording import history_text
from desk_app.services.session import Session, activity
from desk_app.storage.fields import to_millis
from desk_app.storage.models import ArticleHistory, KnowledgeArticle, Ticket
from desk_app.storage.outbox import outbox_entry, queue
from desk_app.storage.rows import insert_row, insert_rows

log = logging.getLogger(__name__)

ARTICLE = KnowledgeArticle._meta.table_name
HISTORY = ArticleHistory._meta.table_name
_UNTRACKED = frozenset({"updated_at"})


def article_by_number(number: str) -> KnowledgeArticle:
    """The article ``number`` names (``KB-7Q2MC-X0F4A``; case and look-alike letters do
    not matter), or refuse naming the field."""
    text = normalised_article_number(number)
    article = (KnowledgeArticle.select().where(KnowledgeArticle.number == text)
               .order_by(KnowledgeArticle.created_at).first()) if is_article_number(text) \
        else None
    if article is None:
        raise NotFound("article", f"no knowledge article {number.strip()!r}")
    return article


def _history_rows(session: Session, article_id: str,
                  changes: dict[str, tuple[Any, Any]]) -> list[dict[str, Any]]:
    return [{"id": uuid7(), "article": article_id, "at": session.now(), "by": session.login,
             "field": name, "old": history_text(old), "new": history_text(new)}
            for name, (old, new) in changes.items() if name not in _UNTRACKED]


def _record_history(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_rows(ArticleHistory, rows)
    queue(outbox_entry(session.hlc, HISTORY, row["id"]) for row in rows)


def _new_article(session: Session, fields: dict[str, Any],
                 source: Ticket | None = None) -> KnowledgeArticle:
    article_id = uuid7()
    now = session.now()
    values = {"id": article_id, "number": article_number(article_id), **fields,
              "status": ArticleStatus.DRAFT.value, "author": session.login,
              "source_ticket_id": source.id if source else None,
              "created_at": now, "updated_at": now, "reviewed_at": None}
    insert_row(KnowledgeArticle, values)
    queue([outbox_entry(session.hlc, ARTICLE, article_id)])
    _record_history(session, _history_rows(session, article_id, {
        name: (None, value) for name, value in values.items()
        if name not in ("id", "created_at", "updated_at") and value not in (None, "")}))
    log.info("%s written by %s", values["number"], session.login)
    return KnowledgeArticle.get_by_id(article_id)


def _save(session: Session, article: KnowledgeArticle, new: dict[str, Any]) -> KnowledgeArticle:
    """Write the fields of ``new`` that differ, with their history and outbox rows."""
    changes = {name: (getattr(article, name), value) for name, value in new.items()
               if getattr(article, name) != value}
    if not changes:
        return article
    changes["updated_at"] = (article.updated_at, session.now())
    KnowledgeArticle.update({KnowledgeArticle._meta.fields[name]: value
                             for name, (_, value) in changes.items()}) \
        .where(KnowledgeArticle.id == article.id).execute()
    stamp = session.hlc.tick().encode()
    queue(outbox_entry(session.hlc, ARTICLE, article.id, name,
                       to_millis(value) if name.endswith("_at") and value else value,
                       hlc=stamp)
          for name, (_, value) in changes.items())
    _record_history(session, _history_rows(session, article.id, changes))
    log.info("%s changed by %s: %s", article.number, session.login, ", ".join(changes))
    return KnowledgeArticle.get_by_id(article.id)


@activity(Permission.WRITE_KNOWLEDGE)
def new_article(session: Session, title: str | None = None, symptoms: str = "", cause: str = "",
                solution: str = "", category: str | None = None, service: str | None = None,
                ci_type: str | None = None) -> KnowledgeArticle:
    """Write a new draft article (Markdown texts); refuses one without a title."""
    fields = checked_fields({"title": title, "symptoms": symptoms, "cause": cause,
                             "solution": solution, "category": category,
                             "service": service, "ci_type": ci_type}, creating=True)
    return _new_article(session, fields)


@activity(Permission.WRITE_KNOWLEDGE)
def edit_article(session: Session, number: str, **values: str | None) -> KnowledgeArticle:
    """Change fields of an article (title, symptoms, cause, solution, category,
    service, ci_type). A published article's text stays editable by whoever may
    publish; others revise a draft."""
    article = article_by_number(number)
    fields = checked_fields(values, creating=False)
    if article.status != ArticleStatus.DRAFT:
        session.require(Permission.PUBLISH_KNOWLEDGE)
    return _save(session, article, fields)


def _move(session: Session, number: str, target: ArticleStatus) -> KnowledgeArticle:
    article = article_by_number(number)
    check_article_transition(ArticleStatus(article.status), target)
    new: dict[str, Any] = {"status": target.value}
    if target == ArticleStatus.PUBLISHED:
        publishable(article.__data__)
        new["reviewed_at"] = session.now()
    return _save(session, article, new)


@activity(Permission.PUBLISH_KNOWLEDGE)
def publish_article(session: Session, number: str) -> KnowledgeArticle:
    """Publish a draft (it is reviewed now): refuses one without a solution."""
    return _move(session, number, ArticleStatus.PUBLISHED)


@activity(Permission.PUBLISH_KNOWLEDGE)
def retire_article(session: Session, number: str) -> KnowledgeArticle:
    """Retire a published article that no longer applies."""
    return _move(session, number, ArticleStatus.RETIRED)


@activity(Permission.WRITE_KNOWLEDGE)
def revise_article(session: Session, number: str) -> KnowledgeArticle:
    """Take a published or retired article back to draft to revise it."""
    article = article_by_number(number)
    if article.status == ArticleStatus.PUBLISHED:
        session.require(Permission.PUBLISH_KNOWLEDGE)  # unpublishing is a publisher's call
    return _move(session, number, ArticleStatus.DRAFT)


@activity(Permission.WRITE_KNOWLEDGE)
def article_from_ticket(session: Session, ticket: Ticket) -> KnowledgeArticle:
    """A draft filled from a resolved ticket: its summary as title, its description as
    symptoms, its resolution as the solution (a workaround says so), its category and
    service. Resolution notes are reviewed before they are published."""
    notes = ticket.resolution_notes or ""
    solution = f"Workaround: {notes}" if ticket.resolution_type == "workaround" else notes
    fields = checked_fields({"title": ticket.summary, "symptoms": ticket.description or "",
                             "solution": solution, "category": ticket.category,
                             "service": ticket.service}, creating=True)
    return _new_article(session, fields, source=ticket)


def article_made_from(ticket_id: str) -> KnowledgeArticle | None:
    """The newest article written from ``ticket_id``'s resolution, if any."""
    return (KnowledgeArticle.select()
            .where(KnowledgeArticle.source_ticket_id == ticket_id)
            .order_by(KnowledgeArticle.created_at.desc()).first())
