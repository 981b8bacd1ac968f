"""The ranked search and the suggestions at diagnosis: field weights, kinds, published
articles only, "this solved it", the checklist tick by opening suggestions, and
hostile queries."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.core.checklists import SEARCHED_KNOWN_ERRORS
from desk_app.core.errors import InvalidValue, Refused
from desk_app.services import classification, diagnosis, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.reporting import report
from desk_app.services.search import search
from desk_app.storage.database import database
from desk_app.storage.models import KnowledgeArticle, KnowledgeUse, Outbox, Ticket

from ..conftest import new_ticket


def article(number: str, title: str, symptoms: str = "", solution: str = "Restart it.",
            status: str = "published") -> KnowledgeArticle:
    return KnowledgeArticle.create(number=number, title=title, symptoms=symptoms,
                                   cause="", solution=solution, status=status,
                                   author="alice", created_at=0, updated_at=0)


def known_error(session, summary: str, workaround: str) -> Ticket:
    problem = log_ticket(session, new_ticket(summary=summary, type="problem"))
    Ticket.update(problem_status="known_error", root_cause="A driver leak",
                  workaround=workaround).where(Ticket.id == problem.id).execute()
    return problem


def solved(session, summary: str, notes: str, description: str = "Since this morning"):
    number = log_ticket(session, new_ticket(summary=summary, description=description)).number
    workflow.resolve(session, number, "permanent", "solved", notes)
    return number


def test_a_title_hit_beats_a_description_hit(session):
    article("KB-000001", "Monitor stays dark", symptoms="The projector flickers at times.")
    article("KB-000002", "Projector flickers", symptoms="Seen in room 4.")
    found = search(session, "projector", kind="article")
    assert [hit.label for hit in found] == ["KB-000002", "KB-000001"]


def test_a_summary_hit_beats_a_description_hit(session):
    low = solved(session, "Screen dark", "Reseated the cable", description="quokka noise")
    high = solved(session, "Quokka app crashes", "Reinstalled it")
    assert [hit.label for hit in search(session, "quokka", kind="ticket")] == [high, low]


def test_resolution_notes_are_searchable(session):
    number = solved(session, "Laptop will not boot", "Replaced the wombat fuse")
    found = search(session, "wombat", kind="ticket")
    assert [(hit.label, hit.fix) for hit in found] == [(number, "Replaced the wombat fuse")]


def test_a_known_errors_workaround_is_found(session):
    problem = known_error(session, "Printers drop jobs", "Clear the zebra spooler cache")
    found = search(session, "zebra spooler")
    assert [(hit.kind, hit.label) for hit in found] == [("known_error", problem.number)]
    assert found[0].fix == "Clear the zebra spooler cache"
    Ticket.update(problem_status="resolved").where(Ticket.id == problem.id).execute()
    assert search(session, "zebra") == []  # no longer a known error


def test_the_kinds_merge_best_first(session):
    article("KB-000001", "Outlook crashes on start", solution="Disable the add-in.")
    known_error(session, "Outlook crashes with PDF add-in", "Remove the PDF add-in")
    solved(session, "Outlook crashes", "Repaired Office")
    found = search(session, "outlook crashes")
    assert {hit.kind for hit in found} == {"article", "known_error", "ticket"}
    assert found[0].score == max(hit.score for hit in found)  # best first
    assert search(session, "outlook", kind="known_error")[0].kind == "known_error"
    with pytest.raises(InvalidValue, match="kind"):
        search(session, "outlook", kind="everything")


def test_only_published_articles_are_suggested(session):
    draft = article("KB-000001", "Badger error on login", status="draft")
    assert diagnosis.suggest(session, "badger error") == []
    with pytest.raises(Refused, match="not published"):
        diagnosis._target("article", draft.id)
    KnowledgeArticle.update(status="published").where(
        KnowledgeArticle.id == draft.id).execute()
    assert [h.label for h in diagnosis.suggest(session, "badger error")] == ["KB-000001"]
    KnowledgeArticle.update(status="retired").where(KnowledgeArticle.id == draft.id).execute()
    assert diagnosis.suggest(session, "badger error") == []


def test_suggestions_offer_solved_tickets_not_open_ones(session):
    log_ticket(session, new_ticket(summary="Ferret jams the printer"))
    done = solved(session, "Ferret jams the printer again", "Removed the ferret")
    hits = diagnosis.suggest(session, "ferret jam")  # the last word is still typed
    assert [(h.kind, h.label, h.fix) for h in hits] == [("ticket", done, "Removed the ferret")]


def test_suggestions_for_a_ticket_leave_the_ticket_out(session):
    done = solved(session, "Heron scanner offline", "Power-cycled the heron scanner")
    article("KB-000001", "Heron scanner offline", solution="Check the heron cable.")
    number = log_ticket(session, new_ticket(summary="Heron scanner offline")).number
    hits = diagnosis.suggest_for_ticket(session, number)
    assert {h.label for h in hits} == {done, "KB-000001"}


def test_this_solved_it_links_offers_the_text_and_counts(session):
    kb = article("KB-000001", "Otter VPN drops", solution="Turn off power saving.")
    number = log_ticket(session, new_ticket()).number
    database.execute_sql("DELETE FROM outbox")
    solution = diagnosis.this_solved_it(session, number, "article", "KB-000001")
    assert (solution.text, solution.recorded, solution.label) == (
        "Turn off power saving.", True, "KB-000001")
    use = KnowledgeUse.get()
    assert (use.ticket_id, use.kind, use.target_id) == (ticket_by_number(number).id,
                                                        "article", kb.id)
    assert Outbox.select().where(Outbox.entity == "knowledge_use").count() == 1
    again = diagnosis.this_solved_it(session, number, "article", kb.id)
    assert again.recorded is False and KnowledgeUse.select().count() == 1
    assert report(session)["resolved_by_knowledge"]["by_knowledge"] == 0  # not resolved yet
    workflow.resolve(session, number, "permanent", "solved", solution.text)
    figures = report(session)["resolved_by_knowledge"]
    assert (figures["resolved"], figures["by_knowledge"], figures["knowledge_percent"]) == (
        1, 1, 100.0)


def test_this_solved_it_refuses_what_cannot_solve(session):
    number = log_ticket(session, new_ticket()).number
    other = log_ticket(session, new_ticket()).number
    with pytest.raises(Refused, match="no resolution notes"):
        diagnosis.this_solved_it(session, number, "ticket", other)
    with pytest.raises(Refused, match="not a known error"):
        diagnosis.this_solved_it(session, number, "known_error", other)
    with pytest.raises(Refused, match="no knowledge article"):
        diagnosis.this_solved_it(session, number, "article", "KB-404")
    with pytest.raises(InvalidValue, match="kind"):
        diagnosis.this_solved_it(session, number, "rumour", other)
    assert KnowledgeUse.select().count() == 0


def test_a_known_error_solves_with_its_workaround(session):
    problem = known_error(session, "Printers drop jobs", "Restart the spooler")
    number = log_ticket(session, new_ticket()).number
    solution = diagnosis.this_solved_it(session, number, "known_error", problem.number)
    assert solution.text == "Restart the spooler"


def _searched(number: str) -> bool:
    return any(t.item == SEARCHED_KNOWN_ERRORS
               for t in classification.ticked_items(ticket_by_number(number)).values())


def test_opening_suggestions_ticks_searched_known_errors_not_by_hand(session):
    number = log_ticket(session, new_ticket()).number
    with pytest.raises(Refused, match="opening the suggestions"):
        classification.tick_checklist(session, number, [SEARCHED_KNOWN_ERRORS])
    with pytest.raises(Refused, match="opening the suggestions"):
        classification.tick_checklist(session, number, ["1"])
    assert not _searched(number)
    assert diagnosis.suggestions_opened(session, number) is True
    assert _searched(number)
    assert diagnosis.suggestions_opened(session, number) is False  # once


def test_logging_after_suggestions_were_shown_ticks_the_item(session):
    kb = article("KB-000001", "VPN drops", solution="Update the client.")
    plain = log_ticket(session, new_ticket()).number
    searched = log_ticket(session, new_ticket(searched_knowledge=True,
                                              solved_by=("article", kb.id))).number
    assert not _searched(plain) and _searched(searched)
    assert KnowledgeUse.get().ticket_id == ticket_by_number(searched).id


HOSTILE = ['"', '""', "'", 'foo"bar', "NEAR(a b)", "a NEAR b", "*", "**", "a*", "-x",
           "AND", "OR NOT", "(", ")", "^start", "col:value", "summary: x", "{a b}: c",
           "ünïcødé 日本語 🙂", "\x00", "\\", "%_", "a" * 10_000, "word " * 3_000, "   "]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_raise(session, text):
    article("KB-000001", "Unicode ünïcødé 日本語 article")
    diagnosis.suggest(session, text)
    try:
        search(session, text)
    except InvalidValue as refusal:  # nothing to search for: a clear refusal
        assert refusal.field == "search"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_is_a_safe_query(session, text):
    diagnosis.suggest(session, text)


def test_solved_tickets_that_say_the_same_are_suggested_once(session):
    first = solved(session, "Kiwi printer offline", "Restarted the kiwi spooler")
    second = solved(session, "Kiwi printer offline", "Restarted the kiwi spooler")
    assert [h.label for h in diagnosis.suggest(session, "kiwi printer")] == [second]
    assert {h.label for h in search(session, "kiwi printer")} == {first, second}
