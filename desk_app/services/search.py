"""One ranked search over tickets (resolution notes included), published knowledge
articles and known errors: bm25 with field weights per index, the kinds merged best
first. Words the knowledge index does not hold are matched to close terms it does
(typo-tolerant step, :mod:`desk_app.core.spelling`), kept because it finds more of the
right articles (see the README's search section)."""

import time
from dataclasses import asdict, dataclass
from typing import Any

from desk_app.core.errors import InvalidValue
from desk_app.core.search_text import match_expression, query_words
from desk_app.core.spelling import corrections
from desk_app.services.session import Session, reads
from desk_app.storage.ranked_search import (
    index_signature,
    ranked_knowledge,
    ranked_tickets,
    vocabulary,
)

KINDS = ("ticket", "article", "known_error")
KIND_CHOICES = (*KINDS, "all")
# bm25 scores of two indexes are not on one scale; curated knowledge is favoured a little
KNOWLEDGE_BOOST = 1.3
FUZZY = True
VOCABULARY_SECONDS = 30.0


@dataclass(frozen=True)
class Hit:
    """One search result: its kind, the row's id, what to call it, its title and the
    text that fixed it (resolution notes, solution or workaround)."""

    kind: str
    ref: str
    label: str
    title: str
    fix: str
    score: float
    status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Vocabulary:
    """The knowledge index's terms, re-read when the index changed or after a while."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.read_at = 0.0
        self.counts: dict[str, int] = {}
        self.terms: list[str] = []

    def current(self) -> tuple[dict[str, int], list[str]]:
        from desk_app.storage.database import database

        key = (database.database, index_signature("knowledge_search"))
        if key != self.key or time.monotonic() - self.read_at > VOCABULARY_SECONDS:
            self.counts = vocabulary("knowledge_search")
            self.terms = list(self.counts)
            self.key, self.read_at = key, time.monotonic()
        return self.counts, self.terms


_vocabulary = _Vocabulary()


def expression(text: str, typing: bool = False, fuzzy: bool | None = None) -> str | None:
    """The FTS5 expression for ``text`` (with the typo-tolerant step unless ``fuzzy`` is
    False); None when there is nothing to search for yet."""
    words = query_words(text)
    if fuzzy if fuzzy is not None else FUZZY:
        counts, terms = _vocabulary.current()
        if terms:
            found = corrections(words, counts, terms)
            return match_expression(words, typing, found.alternatives, found.prefixes)
    return match_expression(words, typing)


def _kinds(kind: str) -> tuple[str, ...]:
    if kind not in KIND_CHOICES:
        raise InvalidValue("kind", f"must be one of {', '.join(KIND_CHOICES)}, not {kind!r}")
    return KINDS if kind == "all" else (kind,)


def ranked(match: str, kinds: tuple[str, ...], limit: int, solved_only: bool = False,
           exclude_id: str | None = None) -> list[Hit]:
    """The hits of ``match`` over ``kinds``, merged best first."""
    hits: list[Hit] = []
    if "ticket" in kinds:
        hits += [Hit("ticket", row["id"], row["number"], row["summary"],
                     row["resolution_notes"] or "", row["score"], row["status"])
                 for row in ranked_tickets(match, limit, solved_only, exclude_id)]
    knowledge = tuple(k for k in kinds if k != "ticket")
    if knowledge:
        hits += [Hit(row["kind"], row["ref"], row["label"], row["title"], row["fix"],
                     row["score"] * KNOWLEDGE_BOOST, row["status"])
                 for row in ranked_knowledge(match, limit, knowledge)]
    hits.sort(key=lambda hit: hit.score)
    return hits[:limit]


@reads
def search(session: Session, text: str, kind: str = "all", limit: int = 20,
           fuzzy: bool | None = None) -> list[Hit]:
    """Tickets, articles and known errors matching ``text``, best first."""
    del session
    kinds = _kinds(kind)
    if not 1 <= limit <= 500:
        raise InvalidValue("limit", "must be between 1 and 500")
    match = expression(text, typing=False, fuzzy=fuzzy)
    if match is None:
        raise InvalidValue("search", "nothing to search for (type a word)")
    return ranked(match, kinds, limit)
