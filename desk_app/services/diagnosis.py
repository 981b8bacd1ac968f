"""Initial diagnosis: suggestions from solved tickets, published articles and known
errors while a ticket is logged or worked; "this solved it" records which one fixed a
ticket and offers its text for the resolution; opening the suggestions ticks the
"Searched known errors" checklist item."""

from dataclasses import dataclass

from desk_app.core.checklists import SEARCHED_KNOWN_ERRORS
from desk_app.core.errors import InvalidValue, NotFound, Refused
from desk_app.core.ids import natural_id
from desk_app.core.permissions import Permission
from desk_app.services.classification import CATEGORISATION, ticked_items
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import record_event, record_new_row
from desk_app.services.search import KINDS, Hit, query, ranked
from desk_app.services.session import Session, activity, reads
from desk_app.storage.models import ChecklistTick, KnowledgeArticle, KnowledgeUse, Ticket

SUGGESTIONS = 8
SYMPTOM_WORDS = 3  # a ticket's suggestions: its summary and the first words of its symptoms
KNOWLEDGE_KINDS = ("article", "known_error")  # what counts as "resolved by knowledge"
KNOWN_ERROR = "known_error"  # a problem's status (desk_app.core.problems)
PUBLISHED = "published"  # an article's status


@reads
def suggest(session: Session, text: str, limit: int = SUGGESTIONS,
            exclude_ticket_id: str | None = None) -> list[Hit]:
    """What may already solve ``text`` (typed so far: the last word is a prefix): solved
    tickets with their resolution, published articles and known errors, best first."""
    del session
    return ranked(query(text, typing=True), KINDS, limit, solved_only=True,
                  exclude_id=exclude_ticket_id)


@reads
def suggest_for_ticket(session: Session, number: str,
                       limit: int = SUGGESTIONS) -> list[Hit]:
    """Suggestions for an existing ticket from its summary and symptoms."""
    ticket = ticket_by_number(number)
    del session
    symptoms = " ".join(ticket.description.split()[:SYMPTOM_WORDS])
    return ranked(query(f"{ticket.summary} {symptoms}", bounded=True), KINDS, limit,
                  solved_only=True, exclude_id=ticket.id)


def tick_searched(session: Session, ticket: Ticket) -> bool:
    """Inside a running activity: tick "Searched known errors" on ``ticket`` when its
    categorisation checklist has the item and it is not ticked yet."""
    if SEARCHED_KNOWN_ERRORS not in session.policy.categorisation_items(ticket.category):
        return False
    if SEARCHED_KNOWN_ERRORS in ticked_items(ticket):
        return False
    record_new_row(session, ChecklistTick, {
        "ticket": ticket.id, "checklist": CATEGORISATION, "item": SEARCHED_KNOWN_ERRORS,
        "at": session.now(), "by": session.login})
    record_event(session, ticket, "categorisation_checklist", None, SEARCHED_KNOWN_ERRORS)
    return True


@activity(Permission.CATEGORISE)
def suggestions_opened(session: Session, number: str) -> bool:
    """The suggestions of ticket ``number`` were shown, with results or none (a search
    that finds nothing is a search): tick "Searched known errors" (once). Returns whether
    it was ticked now."""
    return tick_searched(session, ticket_by_number(number))


@dataclass(frozen=True)
class Solution:
    """What "this solved it" recorded, and the text to offer for the resolution."""

    ticket_id: str
    kind: str
    target_id: str
    label: str
    text: str
    recorded: bool  # False when it was recorded before


def _target(kind: str, ref: str) -> tuple[str, str, str]:
    """(id, label, fix text) of the article, known error or solved ticket ``ref`` (an
    id or a number)."""
    ref = (ref or "").strip()
    if kind == "article":
        article = (KnowledgeArticle.get_or_none(KnowledgeArticle.id == ref)
                   or KnowledgeArticle.get_or_none(KnowledgeArticle.number == ref.upper()))
        if article is None:
            raise NotFound("article", f"no knowledge article {ref!r}")
        if article.status != PUBLISHED:
            raise Refused("article", f"{article.number} is {article.status}, not published")
        return article.id, article.number, article.solution
    if kind not in ("known_error", "ticket"):
        raise InvalidValue("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
    found = Ticket.get_or_none(Ticket.id == ref) or ticket_by_number(ref)
    if kind == "known_error":
        if found.problem_status != KNOWN_ERROR:
            raise Refused("known_error", f"{found.number} is not a known error")
        return found.id, found.number, found.workaround or ""
    if not found.resolution_notes:
        raise Refused("ticket", f"{found.number} has no resolution notes to reuse")
    return found.id, found.number, found.resolution_notes


@activity(Permission.RESOLVE)
def this_solved_it(session: Session, number: str, kind: str, ref: str) -> Solution:
    """Record that the article, known error or past ticket ``ref`` solved ticket
    ``number`` (a synced row, once per pair; it counts towards "resolved by knowledge"
    for articles and known errors) and return its text for the resolution notes."""
    return record_solution(session, ticket_by_number(number), kind, ref)


def record_solution(session: Session, ticket: Ticket, kind: str, ref: str) -> Solution:
    """Inside a running activity: what :func:`this_solved_it` records."""
    target_id, label, text = _target(kind, ref)
    if target_id == ticket.id:
        raise InvalidValue("ticket", "a ticket cannot solve itself")
    row_id = natural_id("knowledge_use", f"{ticket.id}:{kind}:{target_id}")
    recorded = KnowledgeUse.get_or_none(KnowledgeUse.id == row_id) is None
    if recorded:
        record_new_row(session, KnowledgeUse, {
            "id": row_id, "ticket": ticket.id, "kind": kind, "target_id": target_id,
            "at": session.now(), "by": session.login})
        record_event(session, ticket, "solved_by", None, f"{kind} {label}")
    return Solution(ticket.id, kind, target_id, label, text, recorded)
