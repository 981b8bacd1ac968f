"""A desk with a row of every kind the JSON export carries, made through the services,
and every such table's rows read back for comparison across desks."""

import io
import json
from datetime import timedelta

from desk_app.services import (
    admin,
    classification,
    knowledge,
    links,
    major_incidents,
    major_review,
    problems,
    workflow,
)
from desk_app.services.diagnosis import this_solved_it
from desk_app.services.intake import log_ticket
from desk_app.services.lookup import ticket_by_number
from desk_app.services.major_updates import send_update
from desk_app.services.transfer.files import export_tickets
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database

from ...conftest import new_ticket

# every table an export carries, and the technician/group columns that hold ids (they
# are compared by login and name: another desk gives its people ids of its own)
TABLES = ("ticket", "history", "worklog", "checklist_tick", "link", "knowledge_article",
          "article_history", "knowledge_use", "major_team_change", "major_timeline_entry",
          "major_update", "major_review", "corrective_action")
PEOPLE = {"assignee_id", "major_manager_id", "technician_id"}


def build_desk(session, clock) -> dict[str, str]:
    """Tickets, a known error, articles (one from a ticket), knowledge uses, a major
    incident with team changes, timeline, an update, a review and its actions; returns
    the numbers made."""
    admin.add_technician(session, "bob", "Bob", "support", None)
    admin.add_technician(session, "carol", "Carol", "support", None)
    problem = log_ticket(session, new_ticket(summary="Printers drop jobs", type="problem"))
    problems.describe_problem(session, problem.number, root_cause="Spooler leak",
                              workaround="Clear the spooler")
    problems.mark_known_error(session, problem.number)
    past = log_ticket(session, new_ticket(summary="Cable fault")).number
    workflow.resolve(session, past, "permanent", "solved", "Replaced the cable")
    clock.advance(minutes=10)
    article = knowledge.new_article(session, title="VPN drops", symptoms="Drops hourly",
                                    solution="Renew the certificate", category="Network")
    knowledge.edit_article(session, article.number, cause="An expired certificate")
    knowledge.publish_article(session, article.number)
    derived = knowledge.article_from_ticket(session, ticket_by_number(past))
    incident = log_ticket(session, new_ticket(summary="VPN drops again")).number
    add_worklog(session, incident, "Called Bob", kind="phone", minutes=10)
    classification.tick_checklist(session, incident, ["2"])
    links.relate(session, incident, past)
    links.link_problem(session, incident, problem.number)
    for kind, ref in (("article", article.number), ("known_error", problem.number),
                      ("ticket", past)):
        this_solved_it(session, incident, kind, ref)
    major = log_ticket(session, new_ticket(summary="VPN down for all", impact="high",
                                           urgency="high")).number
    clock.advance(minutes=5)
    major_incidents.declare(session, major, "alice", "Whole VPN down",
                            team={"bob": "commander", "carol": "resolver"},
                            stakeholders=["boss@example.com"])
    major_incidents.set_team(session, major, {"carol": None})
    major_incidents.log_entry(session, major, "decision", "Fail over to the second site")
    send_update(session, major, "Investigating", "All remote staff", "Failing over",
                "Work from the office", clock() + timedelta(minutes=30))
    clock.advance(minutes=20)
    major_review.edit_review(session, major, detection="Monitoring alarm",
                             team="Commander and a resolver")
    action = major_review.add_action(session, major, "Add a certificate check", "bob",
                                     clock().date() + timedelta(days=7))
    major_review.add_action(session, major, "Document the failover", "alice",
                            clock().date() + timedelta(days=14))
    major_review.mark_action_done(session, major, major_review.action_ref(action.id))
    return {"problem": problem.number, "past": past, "article": article.number,
            "derived": derived.number, "incident": incident, "major": major}


def exported(session) -> dict:
    """The desk's JSON export, parsed."""
    out = io.StringIO()
    export_tickets(session, "json", out)
    return json.loads(out.getvalue())


def table_rows() -> dict[str, list[tuple]]:
    """Every row of every exported table (people by login, groups by name), sorted."""
    logins = dict(database.execute_sql("SELECT id, login FROM technician").fetchall())
    groups = dict(database.execute_sql("SELECT id, name FROM support_group").fetchall())
    found = {}
    for table in TABLES:
        cursor = database.execute_sql(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        rows = []
        for row in cursor:
            values = dict(zip(names, row, strict=True))
            for column in PEOPLE & values.keys():
                values[column] = logins.get(values[column], values[column])
            if "group_id" in values:
                values["group_id"] = groups.get(values["group_id"], values["group_id"])
            rows.append(tuple(sorted(values.items(), key=lambda item: item[0])))
        found[table] = sorted(rows, key=repr)
    return found
