"""Importing what a ticket record of the JSON export (version 2) brings beyond its
columns: the rules between its entries, the tickets and articles they name, and the
rows to write once every ticket and article has its id."""

from datetime import datetime
from typing import Any

from desk_app.core.ids import natural_id, uuid7
from desk_app.services.major_review import review_id
from desk_app.services.transfer.records import FUTURE_SLACK, BadRecord
from desk_app.storage.fields import to_millis
from desk_app.storage.models import (
    CorrectiveAction,
    KnowledgeUse,
    MajorReview,
    MajorTeamChange,
    MajorTimelineEntry,
    MajorUpdate,
)

# the kinds of rows a record brings with ids of their own (checked for clashes)
MODELS = {"major_team": MajorTeamChange, "major_timeline": MajorTimelineEntry,
          "major_updates": MajorUpdate, "actions": CorrectiveAction}
# the kinds that sync as rows of their own (the others go with their new ticket)
OWN_ROWS = (MajorReview, CorrectiveAction)


def check_extras(children: dict[str, list[dict]], now: datetime) -> None:
    """Refuse a record whose knowledge uses name one target twice, or whose review or
    actions happened in the future, naming the entry and field."""
    seen: dict[tuple[str, str], int] = {}
    for index, use in enumerate(children["knowledge_uses"], 1):
        key = (use["kind"], use["target"])
        if key in seen:
            raise BadRecord(f"knowledge_uses entry {index}: {use['kind']} {use['target']} "
                            f"appears twice (first in entry {seen[key]})")
        seen[key] = index
    latest = to_millis(now + FUTURE_SLACK)
    late = [f"review: {name}" for review in children["review"]
            for name in ("completed_at",) if (review.get(name) or 0) > latest]
    late += [f"review: actions entry {index}: {name}"
             for index, action in enumerate(children["actions"], 1)
             for name in ("created_at", "done_at") if (action.get(name) or 0) > latest]
    if late:
        raise BadRecord(f"{late[0]}: is in the future")
    if children["actions"] and not children["review"]:
        raise BadRecord("review: actions need their review")


def ticket_references(children: dict[str, list[dict]]) -> list[tuple[str, str]]:
    """(field, ticket number) of every ticket the record's knowledge uses name."""
    return [(f"knowledge_uses {use['kind']}", use["target"])
            for use in children["knowledge_uses"] if use["kind"] != "article"]


def article_references(children: dict[str, list[dict]]) -> list[str]:
    """The article numbers the record's knowledge uses name."""
    return [use["target"] for use in children["knowledge_uses"] if use["kind"] == "article"]


def logins(children: dict[str, list[dict]]) -> set[str]:
    """The technicians (logins) the record's major-incident team changes name."""
    return {change["technician"] for change in children["major_team"]}


def extra_rows(children: dict[str, list[dict]], ticket_id: str, tickets: dict[str, str],
               articles: dict[str, str], people: dict[str, str]) -> list[tuple[Any, list]]:
    """(model, rows) to write for one ticket, given the ids of every ticket and article
    by number and of every technician by login."""
    owned = {"ticket": ticket_id}
    uses = []
    for use in children["knowledge_uses"]:
        target = (articles if use["kind"] == "article" else tickets)[use["target"]]
        uses.append({"id": natural_id("knowledge_use", f"{ticket_id}:{use['kind']}:{target}"),
                     **owned, "kind": use["kind"], "target_id": target, "at": use["at"],
                     "by": use["by"]})
    team = [{"id": change.get("id"), **owned, "technician_id": people[change["technician"]],
             "role": change["role"], "at": change["at"], "by": change["by"]}
            for change in children["major_team"]]
    timeline = [entry | owned for entry in children["major_timeline"]]
    updates = [entry | owned for entry in children["major_updates"]]
    written = [(KnowledgeUse, uses), (MajorTeamChange, team),
               (MajorTimelineEntry, timeline), (MajorUpdate, updates)]
    if children["review"]:
        review = {**children["review"][0], "id": review_id(ticket_id), "ticket_id": ticket_id}
        actions = [action | {"id": action.get("id") or uuid7(), "review_id": review["id"],
                             "ticket_id": ticket_id} for action in children["actions"]]
        written += [(MajorReview, [review]), (CorrectiveAction, actions)]
    return written
