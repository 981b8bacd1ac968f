"""Writing validated records: all or nothing, or with --skip-bad the good ones.

Every record is validated, and every reference (group, technician, problem, parent,
link target) resolved, before anything is written; the write itself is one
transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.enums import Role
from desk_app.core.errors import BatchRefused
from desk_app.core.field_units import baseline_steps
from desk_app.core.ids import uuid7
from desk_app.core.permissions import Permission
from desk_app.services.recording import queue_change
from desk_app.services.session import Session, activity
from desk_app.services.transfer.records import BadRecord, validate_children, validate_ticket
from desk_app.storage.bulk import BulkWriter
from desk_app.storage.fields import from_millis, to_millis
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
from desk_app.storage.rows import stored_row


@dataclass
class ImportResult:
    imported: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Candidate:
    line: int
    row: dict[str, Any]
    children: dict[str, list[dict]]


def _existing(column: Any, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        found |= {v for (v,) in Ticket.select(column).where(column.in_(chunk)).tuples()}
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
    refs = [(key, candidate.row[key]) for key in ("problem_number", "parent_number")
            if candidate.row.get(key)]
    refs += [("link", link["number"]) for link in candidate.children["links"]]
    return refs


@activity(Permission.IMPORT)
def import_records(session: Session, items: list[tuple[int, dict[str, Any]]],
                   skip_bad: bool = False, source: str = "import",
                   earlier_problems: list[tuple[int, str]] | None = None,
                   progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import portable ticket records given with their line numbers."""
    policy = session.policy
    zone = ZoneInfo(policy.time_zone)
    problems = list(earlier_problems or [])
    candidates: dict[str, _Candidate] = {}
    for line, record in items:
        try:
            row = validate_ticket(record, zone)
            children = validate_children(record, zone)
        except BadRecord as bad:
            problems.append((line, str(bad)))
            continue
        if row["number"] in candidates:
            problems.append((line, f"number {row['number']} appears twice "
                                   f"(first on line {candidates[row['number']].line})"))
            continue
        candidates[row["number"]] = _Candidate(line, row, children)

    for number in _existing(Ticket.number, list(candidates)):
        problems.append((candidates.pop(number).line, f"{number} is already on this desk"))
    given_ids = [c.row["id"] for c in candidates.values() if c.row.get("id")]
    taken_ids = _existing(Ticket.id, given_ids)
    for number, candidate in list(candidates.items()):
        if candidate.row.get("id") in taken_ids:
            problems.append((candidate.line, f"{number} (id {candidate.row['id']}) is already "
                                             "on this desk under another number"))
            del candidates[number]

    referenced = {target for c in candidates.values() for _, target in _references(c)}
    on_desk = _number_ids(referenced - set(candidates))
    changed = True
    while changed:  # dropping a ticket can orphan the ones that point at it
        changed = False
        for number, candidate in list(candidates.items()):
            for kind, target in _references(candidate):
                if target not in candidates and target not in on_desk:
                    problems.append((candidate.line, f"{kind} {target} is neither in the "
                                                     "import nor on this desk"))
                    del candidates[number]
                    changed = True
                    break

    if problems and not skip_bad:
        raise BatchRefused("import", sorted(problems))
    _write(session, list(candidates.values()), on_desk, source, progress)
    skip_past(list(candidates))
    return ImportResult(len(candidates), sorted(problems))


def _write(session: Session, candidates: list[_Candidate], on_desk: dict[str, str],
           source: str, progress: Callable[[int], None] | None) -> None:
    policy = session.policy
    groups = {g.name: g.id for g in SupportGroup.select()}
    people = {t.login: t.id for t in Technician.select()}
    ids = dict(on_desk)
    for candidate in candidates:
        candidate.row["id"] = candidate.row.get("id") or uuid7()
        ids[candidate.row["number"]] = candidate.row["id"]
    now = to_millis(session.now())
    with BulkWriter(progress) as writer:
        for candidate in candidates:
            row = candidate.row
            group_name = row.pop("group_name")
            if group_name and group_name not in groups:
                groups[group_name] = SupportGroup.create(name=group_name,
                                                         level=row["support_level"]).id
                queue_change(session, "support_group", groups[group_name], None, None)
            login = row.pop("assignee_login")
            if login and login not in people:
                people[login] = Technician.create(login=login, name=login, active=False,
                                                  role=Role.SUPPORT.value).id
                queue_change(session, "technician", people[login], None, None)
            row["group_id"] = groups.get(group_name) if group_name else None
            row["assignee_id"] = people.get(login) if login else None
            row["problem_id"] = ids.get(row.pop("problem_number") or "")
            row["parent_id"] = ids.get(row.pop("parent_number") or "")
            if row.get("response_due") is None or row.get("resolution_due") is None:
                logged = from_millis(row["logged_at"])
                stopped = timedelta(milliseconds=row["sla_stopped_ms"])
                row["response_due"] = to_millis(policy.sla.response_due(row["priority"], logged))
                row["resolution_due"] = to_millis(
                    policy.sla.resolution_due(row["priority"], logged, stopped))
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
            writer.ticket_done()
        writer.flush()
        links = [{"id": link.get("id"), "ticket_id": c.row["id"],
                  "kind": link["kind"], "target_id": ids[link["number"]],
                  "at": link["at"], "by": link["by"]}
                 for c in candidates for link in c.children["links"]]
        writer.add(Link, [stored_row(Link, link) for link in links])
