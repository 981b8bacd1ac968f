"""Articles and problem fields edited on two desks offline, merged through a real
PostgreSQL team database: per-field last writer wins, both edits of different fields
survive, a losing long text is kept in the article's history, and every desk ends
with the server's copy."""

from desk_app.services import knowledge, links, problems
from desk_app.services.intake import log_ticket
from desk_app.services.knowledge import article_by_number
from desk_app.services.lookup import ticket_by_number
from desk_app.storage.models import ArticleHistory
from tests.conftest import new_ticket
from tests.sync.conftest import each_desk, sync_all


def _shared_article(clients):
    amy, ben = clients("amy"), clients("ben")
    amy.open()
    number = knowledge.new_article(amy.session, "VPN drops", symptoms="Disconnects",
                                   solution="Restart the client").number
    amy.sync()
    ben.open()
    ben.sync()
    return amy, ben, number


def test_two_desks_edit_different_fields_of_one_article_and_both_survive(clients, team_db):
    amy, ben, number = _shared_article(clients)
    amy.open()
    knowledge.edit_article(amy.session, number, cause="An expired certificate")
    amy.later()
    ben.open()
    knowledge.edit_article(ben.session, number, title="VPN drops every few minutes",
                           service="Remote access")
    sync_all(amy, ben)
    for desk in each_desk(team_db, amy, ben):
        article = article_by_number(number)
        assert (article.title, article.cause, article.service) == (
            "VPN drops every few minutes", "An expired certificate", "Remote access"), desk.name
        fields = [h.field for h in ArticleHistory.select()
                  .where(ArticleHistory.article == article.id)]
        assert "cause" in fields and "title" in fields and "service" in fields


def test_a_losing_solution_is_kept_as_a_conflict_in_the_articles_history(clients, team_db):
    amy, ben, number = _shared_article(clients)
    amy.open()
    knowledge.edit_article(amy.session, number, solution="Reinstall the client")
    amy.later()
    ben.open()
    knowledge.edit_article(ben.session, number, solution="Renew the certificate")
    sync_all(amy, ben)
    for _desk in each_desk(team_db, amy, ben):
        article = article_by_number(number)
        assert article.solution == "Renew the certificate"  # the later edit wins
        kept = [h.old for h in ArticleHistory.select().where(
            (ArticleHistory.article == article.id)
            & (ArticleHistory.field == "conflict: solution"))]
        assert kept == ["Reinstall the client"]


def test_problem_root_cause_and_workaround_from_two_desks_both_survive(clients, team_db):
    # problems are worked by technicians and managers: team administrators here
    amy, ben = clients("amy", role="admin"), clients("ben", role="admin")
    amy.open()
    incident = log_ticket(amy.session, new_ticket()).number
    problem = links.raise_problem(amy.session, incident).number
    amy.sync()
    ben.open()
    ben.sync()
    amy.open()
    problems.describe_problem(amy.session, problem, root_cause="Expired certificate")
    amy.later()
    ben.open()
    problems.describe_problem(ben.session, problem, workaround="Use the web VPN")
    sync_all(amy, ben)
    for _desk in each_desk(team_db, amy, ben):
        ticket = ticket_by_number(problem)
        assert (ticket.root_cause, ticket.workaround, ticket.problem_status) == (
            "Expired certificate", "Use the web VPN", "new")
        assert ticket_by_number(incident).problem_id == ticket.id
