"""Importing knowledge articles: each record checked on its own, its number and ids new
to the file and to this desk (a re-import brings nothing twice), its source ticket
found; written with their history and sync outbox rows."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.ids import uuid7
from desk_app.services.recording import queue_change
from desk_app.services.session import Session
from desk_app.services.transfer.extras_schema import ArticleRecord
from desk_app.services.transfer.records import FUTURE_SLACK, BadRecord, validated
from desk_app.storage.fields import to_millis
from desk_app.storage.models import ArticleHistory, KnowledgeArticle
from desk_app.storage.rows import insert_rows

UNIT = "article"
Refuse = Callable[[int, str, str], None]  # (position, number, reason)


@dataclass
class ArticleCandidate:
    position: int
    row: dict[str, Any]  # stored columns, the source ticket as ``source_ticket`` number
    history: list[dict[str, Any]]


def _article_row(data: dict[str, Any], now: datetime) -> tuple[dict, list[dict]]:
    latest = to_millis(now + FUTURE_SLACK)
    history = data.pop("history")
    late = [name for name in ("created_at", "updated_at", "reviewed_at")
            if (data.get(name) or 0) > latest]
    late += [f"history entry {index}: at" for index, entry in enumerate(history, 1)
             if entry["at"] > latest]
    if late:
        raise BadRecord(f"{late[0]}: is in the future")
    if data["created_at"] < 0:
        raise BadRecord("created_at: is before 1970")
    if data.get("updated_at") is None:
        data["updated_at"] = data["created_at"]
    for later in ("updated_at", "reviewed_at"):
        if data.get(later) is not None and data[later] < data["created_at"]:
            raise BadRecord(f"{later}: is before created_at")
    return data, history


def article_candidates(items: list[tuple[int, Any]], zone: ZoneInfo, now: datetime,
                       refuse: Refuse) -> dict[str, ArticleCandidate]:
    """The valid articles of ``items`` by number; each bad one is refused naming its
    field, a number or id met twice names where it was first."""
    found: dict[str, ArticleCandidate] = {}
    for position, record in items:
        number = record.get("number") if isinstance(record, dict) else None
        label = number if isinstance(number, str) and len(number) <= 40 else ""
        if not isinstance(record, dict):
            refuse(position, "", f"must be an object of article fields, not "
                                 f"{type(record).__name__}")
            continue
        try:
            row, history = _article_row(validated(ArticleRecord, record, zone), now)
        except BadRecord as bad:
            refuse(position, label, str(bad))
            continue
        if row["number"] in found:
            refuse(position, row["number"], f"number: {row['number']} appears twice (first "
                                            f"at {UNIT} {found[row['number']].position})")
            continue
        found[row["number"]] = ArticleCandidate(position, row, history)
    _drop_clashes(found, refuse)
    return found


def _drop_clashes(found: dict[str, ArticleCandidate], refuse: Refuse) -> None:
    """Drop articles whose number is on this desk, or whose ids another article of the
    file or this desk holds."""
    taken_numbers = _existing(KnowledgeArticle.number, list(found))
    first: dict[tuple[str, str], str] = {}
    for number, candidate in list(found.items()):
        ids = [("article", candidate.row.get("id"))]
        ids += [("article history", entry.get("id")) for entry in candidate.history]
        reason = f"number: {number} is already on this desk" \
            if number in taken_numbers else None
        own: set[tuple[str, str]] = set()
        for kind, value in ids:
            if reason or not value:
                continue
            earlier = first.setdefault((kind, value), number)
            if earlier != number:
                reason = f"{kind} id {value} appears twice (first in {earlier})"
            elif (kind, value) in own:
                reason = f"{kind} id {value} appears twice in this article"
            own.add((kind, value))
        if reason:
            del found[number]
            refuse(candidate.position, number, reason)
    models = {"article": KnowledgeArticle, "article history": ArticleHistory}
    for kind, model in models.items():
        taken = _existing(model.id, [value for (k, value) in first if k == kind])
        for value in sorted(taken):
            number = first[(kind, value)]
            if number in found:
                refuse(found.pop(number).position, number,
                       f"{kind} id {value} is already on this desk")


def _existing(column: Any, values: list[str]) -> set[str]:
    hits: set[str] = set()
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        hits |= {v for (v,) in column.model.select(column).where(column.in_(chunk)).tuples()}
    return hits


def desk_articles(numbers: set[str]) -> dict[str, str]:
    """{number: id} of the articles of this desk among ``numbers`` (the oldest of a
    number held twice)."""
    found: dict[str, str] = {}
    values = sorted(numbers)
    for start in range(0, len(values), 500):
        rows = (KnowledgeArticle.select(KnowledgeArticle.number, KnowledgeArticle.id)
                .where(KnowledgeArticle.number.in_(values[start:start + 500]))
                .order_by(KnowledgeArticle.created_at.desc()).tuples())
        found |= dict(rows)
    return found


def write_articles(session: Session, found: dict[str, ArticleCandidate],
                   tickets: dict[str, str]) -> dict[str, str]:
    """Write the articles (``tickets``: {number: id} of every ticket a source may name)
    with their history and outbox rows; returns {number: id}."""
    ids: dict[str, str] = {}
    rows, history = [], []
    for number, candidate in found.items():
        row = dict(candidate.row)
        row["id"] = row.get("id") or uuid7()
        source = row.pop("source_ticket")
        row["source_ticket_id"] = tickets[source] if source else None
        ids[number] = row["id"]
        rows.append(row)
        history += [entry | {"id": entry.get("id") or uuid7(), "article": row["id"]}
                    for entry in candidate.history]
    insert_rows(KnowledgeArticle, rows)
    insert_rows(ArticleHistory, history)
    for table, written in ((KnowledgeArticle, rows), (ArticleHistory, history)):
        for row in written:
            queue_change(session, table._meta.table_name, row["id"], None, None)
    return ids
