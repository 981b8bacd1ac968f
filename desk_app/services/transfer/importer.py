"""Writing validated records: all or nothing, or with --skip-bad the good ones.

Every record (tickets, and the knowledge articles of a JSON export) is validated, and
every reference (group, technician, problem, parent, link target, the tickets and
articles a knowledge use names, an article's source ticket) resolved, before anything
is written; the write itself is one transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.enums import Role
from desk_app.core.errors import BatchRefused, Problem
from desk_app.core.field_units import baseline_steps
from desk_app.core.ids import uuid7
from desk_app.core.permissions import Permission
from desk_app.services.catalogue import sla_for
from desk_app.services.recording import queue_change
from desk_app.services.session import Session, activity
from desk_app.services.transfer import extras_import
from desk_app.services.transfer.article_import import (
    ArticleCandidate,
    article_candidates,
    desk_articles,
    write_articles,
)
from desk_app.services.transfer.records import BadRecord, children, ticket_row, validated
from desk_app.services.transfer.schema import CsvRecord, TicketRecord, shown_number
from desk_app.storage.bulk import BulkWriter
from desk_app.storage.fields import to_millis
from desk_app.storage.models import (
    ChecklistTick,
    History,
    Link,
    Outbox,
    SupportGroup,
    Technician,
    Ticket,
    Worklog,
)
from desk_app.storage.numbering import skip_past
from desk_app.storage.outbox import as_row, outbox_entry
from desk_app.storage.rows import insert_rows, stored_row


@dataclass
class ImportResult:
    imported: int = 0
    skipped: list[Problem] = field(default_factory=list)
    format: str = ""
    warnings: list[str] = field(default_factory=list)
    articles: int = 0  # knowledge articles imported


@dataclass
class _Candidate:
    position: int
    label: str
    row: dict[str, Any]
    children: dict[str, list[dict]]


CHILD_MODELS = {"history": History, "worklog": Worklog, "ticks": ChecklistTick,
                "links": Link, **extras_import.MODELS}
CYCLE_SHOWN = 6  # numbers of a parent cycle named in its message


def _existing(column: Any, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        found |= {v for (v,) in column.model.select(column).where(column.in_(chunk)).tuples()}
    return found


def _number_ids(numbers: set[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    values = sorted(numbers)
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        ids |= dict(Ticket.select(Ticket.number, Ticket.id)
                    .where(Ticket.number.in_(chunk)).tuples())
    return ids


def _references(candidate: _Candidate) -> list[tuple[str, str]]:
    refs = [(key.removesuffix("_number"), candidate.row[key])
            for key in ("problem_number", "parent_number") if candidate.row.get(key)]
    refs += [("link", link["number"]) for link in candidate.children["links"]]
    return refs + extras_import.ticket_references(candidate.children)


def _ids(candidate: _Candidate) -> list[tuple[str, str]]:
    """(kind, id) of every id the record brings."""
    found = [("ticket", candidate.row["id"])] if candidate.row.get("id") else []
    found += [(key, child["id"]) for key, rows in candidate.children.items()
              for child in rows if child.get("id")]
    return found


def _id_clashes(candidates: dict[str, _Candidate]) -> dict[str, str]:
    """Why records bring an id that another record of the file, or this desk, holds."""
    reasons: dict[str, str] = {}
    first: dict[tuple[str, str], _Candidate] = {}
    for number, candidate in candidates.items():
        own: set[tuple[str, str]] = set()
        for kind, value in _ids(candidate):
            earlier = first.setdefault((kind, value), candidate)
            if earlier is not candidate:
                reasons.setdefault(number, f"{kind} id {value} appears twice (first in "
                                           f"{earlier.label})")
            elif (kind, value) in own:
                reasons.setdefault(number, f"{kind} id {value} appears twice in this record")
            own.add((kind, value))
    by_kind: dict[str, list[str]] = {}
    for kind, value in first:
        by_kind.setdefault(kind, []).append(value)
    taken = {(kind, value) for kind, values in by_kind.items() for value in _existing(
        (Ticket if kind == "ticket" else CHILD_MODELS[kind]).id, values)}
    for (kind, value), candidate in first.items():
        if (kind, value) in taken:
            reasons.setdefault(candidate.row["number"],
                               f"{kind} id {value} is already on this desk")
    return reasons


def _parent_cycles(candidates: dict[str, _Candidate]) -> dict[str, str]:
    """Why records are part of a parent cycle: each walk from a record up its parents
    visits a record at most once."""
    reasons: dict[str, str] = {}
    done: set[str] = set()
    for start in candidates:
        path: list[str] = []
        on_path: set[str] = set()
        number: str | None = start
        while number in candidates and number not in done and number not in on_path:
            path.append(number)
            on_path.add(number)
            number = candidates[number].row.get("parent_number")
        if number in on_path:
            cycle = path[path.index(number):]
            shown_cycle = " -> ".join([*cycle[:CYCLE_SHOWN], number])
            for member in cycle:
                reasons[member] = f"parent: {shown_cycle} is a cycle"
        done |= on_path
    return reasons


@activity(Permission.IMPORT)
def import_records(session: Session, items: list[tuple[int, Any]],
                   schema: type[CsvRecord] = TicketRecord, skip_bad: bool = False,
                   source: str = "import", file: str = "", unit: str = "line",
                   earlier_problems: list[Problem] | None = None,
                   progress: Callable[[int], None] | None = None,
                   articles: list[tuple[int, Any]] | None = None) -> ImportResult:
    """Import portable ticket records given with their positions in ``file`` (a line,
    or with ``unit="record"`` a record number); each is checked by ``schema``.
    ``articles`` are knowledge-article records (:class:`ArticleRecord`) with their
    positions in the file's list of articles."""
    policy = session.policy
    zone = ZoneInfo(policy.time_zone)
    now = session.now()
    problems = [replace(p, file=file) for p in earlier_problems or []]
    sla_of = cache(lambda service: sla_for(session, service))  # once per service

    def refuse(position: int, label: str, reason: str) -> None:
        problems.append(Problem(position, reason, unit, file, label))

    candidates: dict[str, _Candidate] = {}
    for position, record in items:
        label = shown_number(record.get("number")) if isinstance(record, dict) else ""
        try:
            data = validated(schema, record, zone)
            row = ticket_row(data, policy, now, sla_of)
            extras_import.check_extras(children(data), now)
        except BadRecord as bad:
            refuse(position, label, str(bad))
            continue
        if row["number"] in candidates:
            earlier = candidates[row["number"]]
            refuse(position, label, f"number: {row['number']} appears twice (first at "
                                    f"{unit} {earlier.position})")
            continue
        candidates[row["number"]] = _Candidate(position, row["number"], row, children(data))

    for number in _existing(Ticket.number, list(candidates)):
        dropped = candidates.pop(number)
        refuse(dropped.position, number, f"number: {number} is already on this desk")
    for reasons in (_id_clashes, _parent_cycles):
        for number, reason in reasons(candidates).items():
            dropped = candidates.pop(number)
            refuse(dropped.position, number, reason)

    found = article_candidates(articles or [], zone, now, lambda position, label, reason:
                               problems.append(Problem(position, reason, "article", file,
                                                       label)))
    on_desk = _resolve(candidates, found, refuse, problems, file)

    if problems and not skip_bad:
        raise BatchRefused("import", sorted(problems))
    _write(session, list(candidates.values()), on_desk, source, progress, found)
    skip_past(list(candidates))
    return ImportResult(len(candidates), sorted(problems), articles=len(found))


def _resolve(candidates: dict[str, _Candidate], found: dict[str, ArticleCandidate],
             refuse: Callable[[int, str, str], None], problems: list[Problem],
             file: str) -> dict[str, str]:
    """Drop every ticket and article that names a ticket or article neither in the
    import nor on this desk; returns {number: id} of the tickets and articles named
    that are on this desk."""
    referenced = {target for c in candidates.values() for _, target in _references(c)}
    referenced |= {a.row["source_ticket"] for a in found.values() if a.row["source_ticket"]}
    on_desk = _number_ids(referenced - set(candidates))
    articles_here = desk_articles({number for c in candidates.values()
                                   for number in extras_import.article_references(
                                       c.children)} - set(found))
    changed = True
    while changed:  # dropping a ticket can orphan the ones that point at it
        changed = False
        for number, candidate in list(candidates.items()):
            missing = [f"{kind}: {target}" for kind, target in _references(candidate)
                       if target not in candidates and target not in on_desk]
            missing += [f"knowledge_uses article: {target}" for target in
                        extras_import.article_references(candidate.children)
                        if target not in found and target not in articles_here]
            if missing:
                refuse(candidate.position, number,
                       f"{missing[0]} is neither in the import nor on this desk")
                del candidates[number]
                changed = True
        for number, article in list(found.items()):
            source = article.row["source_ticket"]
            if source and source not in candidates and source not in on_desk:
                problems.append(Problem(article.position, f"source_ticket: {source} is "
                                        "neither in the import nor on this desk",
                                        "article", file, number))
                del found[number]
                changed = True
    return on_desk | articles_here


def _person(session: Session, people: dict[str, str], login: str) -> str:
    """The id of the technician ``login``, made (inactive) when this desk has none."""
    if login not in people:
        people[login] = Technician.create(login=login, name=login, active=False,
                                          role=Role.SUPPORT.value).id
        queue_change(session, "technician", people[login], None, None)
    return people[login]


def _write(session: Session, candidates: list[_Candidate], on_desk: dict[str, str],
           source: str, progress: Callable[[int], None] | None,
           articles: dict[str, ArticleCandidate]) -> None:
    groups = {g.name: g.id for g in SupportGroup.select()}
    people = {t.login: t.id for t in Technician.select()}
    ids = dict(on_desk)  # ticket numbers and article numbers: they never look alike
    for candidate in candidates:
        candidate.row["id"] = candidate.row.get("id") or uuid7()
        ids[candidate.row["number"]] = candidate.row["id"]
    now = to_millis(session.now())
    extras: dict[Any, list[dict]] = {}
    with BulkWriter(progress) as writer:
        ids |= write_articles(session, articles, ids)
        for candidate in candidates:
            row = candidate.row
            group_name = row.pop("group_name")
            if group_name and group_name not in groups:
                groups[group_name] = SupportGroup.create(name=group_name,
                                                         level=row["support_level"]).id
                queue_change(session, "support_group", groups[group_name], None, None)
            login = row.pop("assignee_login")
            for name in ({login} | extras_import.logins(candidate.children)) - {None}:
                _person(session, people, name)
            row["group_id"] = groups.get(group_name) if group_name else None
            row["assignee_id"] = people.get(login) if login else None
            manager = row.pop("major_manager_login", None)  # kept when known here
            row["major_manager_id"] = people.get(manager) if manager else None
            row["problem_id"] = ids.get(row.pop("problem_number") or "")
            row["parent_id"] = ids.get(row.pop("parent_number") or "")
            writer.add(Ticket, [stored_row(Ticket, row)])
            children = candidate.children
            history = children["history"] or [{
                "at": now, "by": session.login, "field": "imported", "old": None,
                "new": source}]
            history += [{"at": now, "by": session.login, "field": name, "old": old, "new": new}
                        for name, old, new in baseline_steps(row, history)]
            for model, rows in ((History, history), (Worklog, children["worklog"]),
                                (ChecklistTick, children["ticks"])):
                writer.add(model, [stored_row(model, child | {"ticket_id": row["id"]})
                                   for child in rows])
            writer.add(Outbox, [as_row(outbox_entry(session.hlc, "ticket", row["id"]))])
            for model, rows in extras_import.extra_rows(children, row["id"], ids, ids, people):
                extras.setdefault(model, []).extend(rows)
            writer.ticket_done()
        writer.flush()
        links = [{"id": link.get("id"), "ticket_id": c.row["id"],
                  "kind": link["kind"], "target_id": ids[link["number"]],
                  "at": link["at"], "by": link["by"]}
                 for c in candidates for link in c.children["links"]]
        writer.add(Link, [stored_row(Link, link) for link in links])
        writer.flush()
        for model, rows in extras.items():
            insert_rows(model, rows)
            if model in extras_import.OWN_ROWS:
                for extra in rows:
                    queue_change(session, model._meta.table_name, extra["id"], None, None)
