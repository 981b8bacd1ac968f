"""Writing what the JSON export carries beyond ticket columns (format version 2): the
knowledge articles, and for a chunk of tickets their knowledge uses, major-incident
rows and post-incident reviews, as portable records (see
:mod:`desk_app.services.transfer.extras_schema`)."""

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.services.transfer.records import to_iso
from desk_app.storage.models import (
    ArticleHistory,
    CorrectiveAction,
    KnowledgeArticle,
    KnowledgeUse,
    MajorReview,
    MajorTeamChange,
    MajorTimelineEntry,
    MajorUpdate,
    Technician,
    Ticket,
)

ARTICLE_TIMES = ("created_at", "updated_at", "reviewed_at")
REVIEW_TIMES = ("completed_at",)
ACTION_TIMES = ("done_at", "created_at")
TICKET_KEYS = ("knowledge_uses", "major_team", "major_timeline", "major_updates", "review")


def _times(row: dict[str, Any], names: tuple[str, ...], zone: ZoneInfo) -> dict[str, Any]:
    return row | {name: to_iso(row[name], zone) for name in names}


def _ticket_numbers(ids: set[str]) -> dict[str, str]:
    values = sorted(ids)
    found: dict[str, str] = {}
    for start in range(0, len(values), 500):
        found |= dict(Ticket.select(Ticket.id, Ticket.number)
                      .where(Ticket.id.in_(values[start:start + 500])).tuples())
    return found


def article_records(zone: ZoneInfo) -> Iterator[dict[str, Any]]:
    """Every knowledge article as a portable record with its history, oldest first."""
    history: dict[str, list[dict]] = {}
    for row in ArticleHistory.select().order_by(ArticleHistory.at, ArticleHistory.id).dicts():
        article = row.pop("article")
        history.setdefault(article, []).append(row | {"at": to_iso(row["at"], zone)})
    rows = list(KnowledgeArticle.select()
                .order_by(KnowledgeArticle.created_at, KnowledgeArticle.id).dicts())
    sources = _ticket_numbers({r["source_ticket_id"] for r in rows if r["source_ticket_id"]})
    for row in rows:
        record = _times(row, ARTICLE_TIMES, zone)
        source = record.pop("source_ticket_id")
        record["source_ticket"] = sources.get(source) if source else None
        record["history"] = history.get(row["id"], [])
        yield record


def _by_ticket(model, ids: list[str], zone: ZoneInfo) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in (model.select().where(model.ticket.in_(ids))
                .order_by(model.at, model.id).dicts()):
        ticket = row.pop("ticket")
        grouped.setdefault(ticket, []).append(row | {"at": to_iso(row["at"], zone)})
    return grouped


def _uses(ids: list[str], zone: ZoneInfo) -> dict[str, list[dict]]:
    grouped = _by_ticket(KnowledgeUse, ids, zone)
    rows = [row for found in grouped.values() for row in found]
    numbers = _ticket_numbers({r["target_id"] for r in rows if r["kind"] != "article"})
    articles = dict(KnowledgeArticle.select(KnowledgeArticle.id, KnowledgeArticle.number)
                    .where(KnowledgeArticle.id.in_(
                        [r["target_id"] for r in rows if r["kind"] == "article"])).tuples())
    for ticket, found in grouped.items():
        grouped[ticket] = [{"kind": r["kind"], "at": r["at"], "by": r["by"],
                            "target": (articles if r["kind"] == "article" else numbers)
                            .get(r["target_id"])} for r in found]
    return grouped


def _team(ids: list[str], zone: ZoneInfo) -> dict[str, list[dict]]:
    grouped = _by_ticket(MajorTeamChange, ids, zone)
    logins = dict(Technician.select(Technician.id, Technician.login).tuples())
    for found in grouped.values():
        for row in found:
            row["technician"] = logins.get(row.pop("technician_id"))
    return grouped


def _updates(ids: list[str], zone: ZoneInfo) -> dict[str, list[dict]]:
    grouped = _by_ticket(MajorUpdate, ids, zone)
    for found in grouped.values():
        for row in found:
            row["next_update_at"] = to_iso(row["next_update_at"], zone)
    return grouped


def _reviews(ids: list[str], zone: ZoneInfo) -> dict[str, dict]:
    actions: dict[str, list[dict]] = {}
    for row in (CorrectiveAction.select().where(CorrectiveAction.ticket_id.in_(ids))
                .order_by(CorrectiveAction.created_at, CorrectiveAction.id).dicts()):
        record = _times(row, ACTION_TIMES, zone)
        del record["review_id"]
        actions.setdefault(record.pop("ticket_id"), []).append(record)
    reviews: dict[str, dict] = {}
    for row in MajorReview.select().where(MajorReview.ticket_id.in_(ids)).dicts():
        record = _times(row, REVIEW_TIMES, zone)
        del record["id"]  # derived from the ticket's id again on import
        ticket = record.pop("ticket_id")
        reviews[ticket] = record | {"actions": actions.get(ticket, [])}
    return reviews


def ticket_extras(ids: list[str], zone: ZoneInfo) -> dict[str, dict[str, Any]]:
    """For each of the tickets ``ids``: its knowledge uses, major-team changes,
    timeline entries, updates (lists, oldest first) and review (or None)."""
    found = {"knowledge_uses": _uses(ids, zone),
             "major_team": _team(ids, zone),
             "major_timeline": _by_ticket(MajorTimelineEntry, ids, zone),
             "major_updates": _updates(ids, zone)}
    reviews = _reviews(ids, zone)
    return {ticket: {key: rows.get(ticket, []) for key, rows in found.items()}
            | {"review": reviews.get(ticket)} for ticket in ids}
