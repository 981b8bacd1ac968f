"""Knowledge articles through their activities: lifecycle, permissions, history and
outbox rows, made from a resolution and linked by the closure."""

import pytest

from desk_app.core.errors import InvalidValue, NotFound, PermissionDenied, TransitionRefused
from desk_app.services import admin, knowledge, workflow
from desk_app.services.intake import log_ticket
from desk_app.services.knowledge_view import article_view, list_articles
from desk_app.services.lookup import ticket_by_number
from desk_app.services.session import Session
from desk_app.services.ticket_view import ticket_view
from desk_app.storage.models import ArticleHistory, KnowledgeArticle, Outbox

from ..conftest import new_ticket


def _rows():
    return (KnowledgeArticle.select().count(), ArticleHistory.select().count(),
            Outbox.select().count())


def _person(session, clock, login, role):
    admin.add_technician(session, login, login.title(), role, None)
    return Session(admin.technician_by_login(login), clock)


def test_an_article_goes_draft_published_retired_and_back_to_draft(session, clock):
    article = knowledge.new_article(session, "VPN drops every few minutes",
                                    symptoms="The client disconnects", cause="Old profile",
                                    solution="Push the new **profile**", service="Remote access")
    assert article.status == "draft" and article.author == "alice"
    assert article.number.startswith("KB-")
    clock.advance(hours=1)
    published = knowledge.publish_article(session, article.number)
    assert published.status == "published" and published.reviewed_at == clock()
    assert knowledge.retire_article(session, article.number).status == "retired"
    assert knowledge.revise_article(session, article.number).status == "draft"
    view = article_view(session, article.number)
    steps = [(h["old"], h["new"]) for h in view["history"] if h["field"] == "status"]
    assert steps == [(None, "draft"), ("draft", "published"), ("published", "retired"),
                     ("retired", "draft")]


def test_every_change_is_a_history_row_and_an_outbox_row(session):
    article = knowledge.new_article(session, "Printer jam", solution="Open tray 2")
    queued = {(o.entity, o.field) for o in Outbox.select()}
    assert ("knowledge_article", None) in queued and ("article_history", None) in queued
    before = Outbox.select().count()
    knowledge.edit_article(session, article.number, cause="Worn roller", title="Printer jams")
    fields = {(o.field, o.value) for o in Outbox.select().where(
        (Outbox.entity == "knowledge_article") & Outbox.field.is_null(False))}
    assert ('cause', '"Worn roller"') in fields and ("title", '"Printer jams"') in fields
    assert Outbox.select().count() > before
    changed = [h["field"] for h in article_view(session, article.number)["history"]]
    assert changed.count("cause") == 1 and changed.count("title") == 2


def test_refused_steps_name_the_rule_and_change_nothing(session):
    article = knowledge.new_article(session, "Empty draft")
    before = _rows()
    with pytest.raises(InvalidValue) as err:
        knowledge.publish_article(session, article.number)  # no solution yet
    assert err.value.field == "solution"
    with pytest.raises(TransitionRefused) as err:
        knowledge.retire_article(session, article.number)
    assert "article lifecycle" in err.value.message
    with pytest.raises(InvalidValue) as err:
        knowledge.new_article(session, "  ", solution="Restart")
    assert err.value.field == "title"
    with pytest.raises(InvalidValue) as err:
        knowledge.edit_article(session, article.number, title="")
    assert err.value.field == "title"
    with pytest.raises(NotFound):
        knowledge.publish_article(session, "KB-00000-00000")
    assert _rows() == before


def test_only_technicians_and_managers_publish(session, clock):
    desk_person = _person(session, clock, "dana", "service_desk")
    article = knowledge.new_article(desk_person, "Reset a password", solution="Use the portal")
    with pytest.raises(PermissionDenied) as err:
        knowledge.publish_article(desk_person, article.number)
    assert err.value.field == "role"
    tech = _person(session, clock, "tom", "support")
    knowledge.publish_article(tech, article.number)
    with pytest.raises(PermissionDenied):  # a published text is a publisher's to change
        knowledge.edit_article(desk_person, article.number, solution="Call us")
    with pytest.raises(PermissionDenied):
        knowledge.revise_article(desk_person, article.number)
    knowledge.edit_article(tech, article.number, solution="Use the self-service portal")


def test_publish_as_knowledge_at_resolve_fills_a_draft_the_closure_links(session):
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "workaround", "workaround", "Use the web VPN",
                     publish_knowledge=True)
    article = KnowledgeArticle.get()
    assert (article.title, article.symptoms, article.status) == (
        "VPN drops every few minutes", "Since this morning", "draft")
    assert article.solution == "Workaround: Use the web VPN"
    assert article.service == "Remote access" and article.category == "Network"
    workflow.confirm(session, number)
    workflow.close(session, number, knowledge="updated", problem_reason="One-off outage")
    ticket = ticket_by_number(number)
    assert ticket.article_id == article.id
    assert ticket_view(session, ticket)["article"] == article.number
    view = article_view(session, article.number)
    assert view["source_ticket"] == number and view["linked_tickets"] == [number]


def test_the_closure_links_a_named_article(session):
    article = knowledge.new_article(session, "VPN", solution="Reinstall")
    number = log_ticket(session, new_ticket()).number
    workflow.resolve(session, number, "permanent", "solved", "Reinstalled",
                     article=article.number.lower())
    assert ticket_by_number(number).knowledge == "updated"
    assert ticket_by_number(number).article_id == article.id
    with pytest.raises(InvalidValue) as err:
        workflow.close(session, number, knowledge="not_needed", article=article.number)
    assert err.value.field == "article"


def test_list_by_status(session):
    first = knowledge.new_article(session, "One", solution="a")
    knowledge.new_article(session, "Two", solution="b")
    knowledge.publish_article(session, first.number)
    assert [a["title"] for a in list_articles(session, "published")] == ["One"]
    assert len(list_articles(session)) == 2
    assert [a["title"] for a in list_articles(session, limit=1)] == ["One"]  # last changed
    with pytest.raises(InvalidValue):
        list_articles(session, "gone")
