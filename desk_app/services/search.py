"""One ranked search over tickets (resolution notes included), published knowledge
articles and known errors.

Each index gives its candidates: knowledge by bm25 with field weights; tickets by bm25
for a search, and while typing the newest matches (every word first, then any word),
because bm25's document counts read every match of a common word. All hits are then
scored alike (:mod:`desk_app.core.ranking`: query words covered, weighted by field and
rarity) and merged best first, a candidate's bm25 order breaking ties.

Words the knowledge index does not hold are matched to close terms it does (the
typo-tolerant step, :mod:`desk_app.core.spelling`), kept because it finds more of the
right articles on the relevance set (README, "Search and suggestions")."""

import math
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from desk_app.core.errors import InvalidValue
from desk_app.core.ranking import QueryScorer
from desk_app.core.search_text import match_expression, query_words
from desk_app.core.spelling import Corrections, corrections
from desk_app.services.session import Session, reads
from desk_app.storage.ranked_search import (
    index_rows,
    index_signature,
    ranked_knowledge,
    ranked_tickets,
    recent_tickets,
    vocabulary,
)

KINDS = ("ticket", "article", "known_error")
KIND_CHOICES = (*KINDS, "all")
KNOWLEDGE_BOOST = 1.1  # curated knowledge wins a tie with a past ticket
FUZZY = True
VOCABULARY_SECONDS = 600.0
COMMON_SHARE = 0.3
CANDIDATES = 40  # per index and kind, before the shared score
TYPING_TICKETS = 60  # newest ticket matches looked at per keystroke
# field weights of the shared score: title or summary, fix, body
TITLE, FIX, BODY = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class Hit:
    """One search result: its kind, the row's id, what to call it, its title and the
    text that fixed it (resolution notes, solution or workaround)."""

    kind: str
    ref: str
    label: str
    title: str
    fix: str
    score: float  # the shared score (higher is better)
    status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Vocabulary:
    """The knowledge index's terms and row count, re-read when the index changed or
    after a while."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.read_at = 0.0
        self.counts: dict[str, int] = {}
        self.terms: list[str] = []
        self.rows = 0

    def current(self) -> "_Vocabulary":
        from desk_app.storage.database import database

        key = (database.database, index_signature("knowledge_search"))
        if key != self.key or time.monotonic() - self.read_at > VOCABULARY_SECONDS:
            self.counts = vocabulary("knowledge_search")
            self.terms = sorted(self.counts)
            self.rows = index_rows("knowledge_search")
            self.key, self.read_at = key, time.monotonic()
        return self

    def rows_with(self, word: str) -> int:
        """How many knowledge rows hold ``word`` (or its stem)."""
        return next((self.counts[form] for form in (word, word[:-1], word[:-2], word[:-3])
                     if form in self.counts), 0)

    def rarity(self, word: str) -> float:
        """How telling ``word`` is: rare in the knowledge index counts more."""
        return math.log(1.0 + (self.rows + 1) / (self.rows_with(word) + 1))

    def too_common(self, word: str) -> bool:
        """Held by so many knowledge rows that it tells nothing (a stop word of this
        desk's own vocabulary)."""
        return self.rows >= 50 and self.rows_with(word) > COMMON_SHARE * self.rows


_vocabulary = _Vocabulary()


@dataclass(frozen=True)
class Query:
    """A person's text made ready: its words, what they may stand for, the FTS5
    expressions (any word; every word) and whether the last word is still typed."""

    words: list[str]
    typing: bool
    any_word: str | None
    every_word: str | None
    found: Corrections = field(default_factory=Corrections)
    bounded: bool = False  # tickets: the newest matches, not bm25 over every match


def query(text: str, typing: bool = False, fuzzy: bool | None = None,
          bounded: bool | None = None) -> Query:
    """``text`` as a :class:`Query` (with the typo-tolerant step unless ``fuzzy`` is
    False). A typed query is ``bounded`` unless told otherwise."""
    words = query_words(text)
    found = Corrections()
    vocab = _vocabulary.current()
    common = [word for word in words if vocab.too_common(word)]
    if common and len(common) < len(words):
        words = [word for word in words if word not in common]
    if (fuzzy if fuzzy is not None else FUZZY) and vocab.terms:
        found = corrections(words, vocab.counts, vocab.terms)
    any_word = match_expression(words, typing, found.alternatives, found.prefixes)
    every = match_expression(words, typing, found.alternatives, found.prefixes, every=True)
    kept = words if not typing or not words or any_word is None or len(words[-1]) >= 3 \
        or words[-1] in found.alternatives else words[:-1]
    return Query(kept, typing, any_word, every, found,
                 typing if bounded is None else bounded)


def expression(text: str, typing: bool = False, fuzzy: bool | None = None) -> str | None:
    """The FTS5 expression matching any word of ``text``; None when there is nothing
    to search for yet."""
    return query(text, typing, fuzzy).any_word


def _kinds(kind: str) -> tuple[str, ...]:
    if kind not in KIND_CHOICES:
        raise InvalidValue("kind", f"must be one of {', '.join(KIND_CHOICES)}, not {kind!r}")
    return KINDS if kind == "all" else (kind,)


def _ticket_rows(q: Query, limit: int, solved_only: bool,
                 exclude_id: str | None) -> list[dict]:
    if not q.bounded:
        return ranked_tickets(q.any_word, max(limit, CANDIDATES), solved_only, exclude_id)
    rows = recent_tickets(q.every_word, TYPING_TICKETS, solved_only, exclude_id) \
        if q.every_word and q.every_word != q.any_word else []
    if len(rows) < TYPING_TICKETS:
        seen = {row["id"] for row in rows}
        rows += [row for row in recent_tickets(q.any_word, TYPING_TICKETS, solved_only,
                                               exclude_id) if row["id"] not in seen]
    return rows


def ranked(q: Query, kinds: tuple[str, ...], limit: int, solved_only: bool = False,
           exclude_id: str | None = None) -> list[Hit]:
    """The hits of query ``q`` over ``kinds``, merged best first."""
    if q.any_word is None:
        return []
    scorer = QueryScorer(q.words, q.typing, _vocabulary.current().rarity,
                         q.found.alternatives)

    def scored(hit: Hit, texts: list[tuple[str, float]], boost: float = 1.0) -> Hit:
        return replace(hit, score=boost * scorer.score(texts))

    lists: list[list[Hit]] = []
    knowledge = tuple(k for k in kinds if k != "ticket")
    if knowledge:  # in bm25 order
        lists.append([scored(Hit(row["kind"], row["ref"], row["label"], row["title"],
                                 row["fix"], 0.0, row["status"]),
                             [(row["title"], TITLE), (row["fix"], FIX), (row["body"], BODY)],
                             KNOWLEDGE_BOOST)
                      for row in ranked_knowledge(q.any_word, max(limit, CANDIDATES),
                                                  knowledge)])
    if "ticket" in kinds:
        tickets = [scored(Hit("ticket", row["id"], row["number"], row["summary"],
                              row["resolution_notes"] or "", 0.0, row["status"]),
                          [(row["summary"], TITLE), (row["resolution_notes"] or "", FIX),
                           (row["description"] or "", BODY)])
                   for row in _ticket_rows(q, limit, solved_only, exclude_id)]
        if q.bounded:  # the newest matches: the best covered first, newest among equals
            tickets.sort(key=lambda hit: -hit.score)
        lists.append(_distinct(tickets) if solved_only else tickets)
    return merged(lists, limit)


def _distinct(hits: list[Hit]) -> list[Hit]:
    """The first of the tickets that say the same (summary and fix): one is enough as
    a suggestion."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for hit in hits:
        key = (" ".join(hit.title.lower().split()), " ".join(hit.fix.lower().split()))
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def merged(lists: list[list[Hit]], limit: int) -> list[Hit]:
    """Each list keeps its own order (its index's ranking); at each step the head with
    the best shared score is taken (the first list wins a tie)."""
    heads = [0] * len(lists)
    out: list[Hit] = []
    while len(out) < limit:
        best = None
        for index, hits in enumerate(lists):
            if heads[index] < len(hits) and (
                    best is None or hits[heads[index]].score > lists[best][heads[best]].score):
                best = index
        if best is None:
            break
        out.append(lists[best][heads[best]])
        heads[best] += 1
    return out


@reads
def search(session: Session, text: str, kind: str = "all", limit: int = 20,
           fuzzy: bool | None = None) -> list[Hit]:
    """Tickets, articles and known errors matching ``text``, best first."""
    del session
    kinds = _kinds(kind)
    if not 1 <= limit <= 500:
        raise InvalidValue("limit", "must be between 1 and 500")
    q = query(text, typing=False, fuzzy=fuzzy)
    if q.any_word is None:
        raise InvalidValue("search", "nothing to search for (type a word)")
    return ranked(q, kinds, limit)
