"""Reading Zammad tickets as its REST API gives them: the list of
``GET /api/v1/tickets?expand=true`` (names instead of ids), each ticket optionally with
``articles`` (``GET /api/v1/ticket_articles/by_ticket/{id}``) and ``history``
(the ``history`` list of ``GET /api/v1/ticket_history/{id}``) added under those keys.

Each ticket becomes ``ZAM-<number>``; its articles become worklog entries (their
attachments named), its history rows of state, priority, group and owner changes
history rows, and without them its creation, first response and closing show its
status history.
"""

import html
import re
from collections.abc import Iterator
from typing import Any

from desk_app.core.validation import TEXT_MAX
from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.schema import TicketRecord
from desk_app.services.transfer.tool_exports import (
    BadRow,
    coded,
    description_of,
    json_items,
    label,
    lifecycle,
    moment,
    problem_at,
    summary_of,
    tool_number,
)

TOOL = "Zammad"
STATES = {"new": ("new", None), "open": ("in_progress", None),
          "pending reminder": ("on_hold", "awaiting_user"),
          "pending close": ("resolved", None), "closed": ("closed", None),
          "merged": ("cancelled", None), "removed": ("cancelled", None)}
PRIORITIES = {"1 low": "P4", "2 normal": "P3", "3 high": "P2"}
LEVELS = {"P2": ("high", "medium"), "P3": ("medium", "medium"), "P4": ("low", "low")}
CHANNELS = {"email": "email", "phone": "phone", "web": "web", "note": "technician",
            "chat": "web", "sms": "phone"}
KINDS = {"phone": "phone", "email": "email"}
TRACKED = {"state": "status", "priority": "priority", "group": "group", "owner": "assignee"}
TAG = re.compile(r"<[^>]+>")
NOBODY = ("-", "")


def _text(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise BadRow(f"{key}: must be text")
    return str(value).strip() or None


def _person(value: Any, key: str) -> str | None:
    name = _text(value, key)
    return None if name in NOBODY else label(name, key)


def _plain(body: str, content_type: str | None) -> str:
    if content_type == "text/html":
        body = html.unescape(TAG.sub(" ", body.replace("<br>", "\n").replace("</p>", "\n")))
    return "\n".join(" ".join(line.split()) for line in body.splitlines()).strip()


def _objects(value: Any, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, entry) of each entry of the list ``value`` (``name`` in the ticket),
    ``where`` naming it for a refusal; refuses a non-list or an entry not an object."""
    if not isinstance(value, list):
        raise BadRow(f"{name}: must be a list")
    for index, entry in enumerate(value, 1):
        where = f"{name} entry {index}"
        if not isinstance(entry, dict):
            raise BadRow(f"{where}: must be an object")
        yield where, entry


def _worklog(articles: Any, options: ReadOptions) -> list[dict[str, Any]]:
    entries = []
    for where, article in _objects(articles, "articles"):
        at = moment(_text(article.get("created_at"), f"{where}: created_at"),
                    f"{where}: created_at", (), options.zone)
        if at is None:
            raise BadRow(f"{where}: created_at: is required")
        by = (_person(article.get("created_by"), f"{where}: created_by")
              or label(_text(article.get("from"), f"{where}: from"), f"{where}: from")
              or "zammad")
        body = _plain(_text(article.get("body"), f"{where}: body") or "",
                      article.get("content_type"))
        subject = _text(article.get("subject"), f"{where}: subject")
        files = article.get("attachments") or []
        if not isinstance(files, list):
            raise BadRow(f"{where}: attachments: must be a list")
        names = [str(f.get("filename")) for f in files if isinstance(f, dict)
                 and f.get("filename")]
        parts = [("(internal) " if article.get("internal") is True else "")
                 + (subject or "")] if subject or article.get("internal") is True else []
        parts += [body] if body else []
        parts += ["Attachments in Zammad (not imported): " + ", ".join(names)] if names else []
        note = "\n".join(p.strip() for p in parts if p.strip()) or "(empty article)"
        if len(note) > TEXT_MAX:
            raise BadRow(f"{where}: body: at most {TEXT_MAX} characters")
        entries.append({"at": at, "by": by, "note": note,
                        "kind": KINDS.get(str(article.get("type")), "note")})
    return entries


def _history(rows: Any, options: ReadOptions) -> list[dict[str, Any]]:
    found = []
    for where, row in _objects(rows, "history"):
        name = TRACKED.get(str(row.get("attribute")))
        if name is None or row.get("object", "Ticket") != "Ticket":
            continue
        old, new = (_text(row.get(k), f"{where}: {k}") for k in ("value_from", "value_to"))
        if name == "status":
            old, new = (STATES.get((v or "").lower(), (v, None))[0] for v in (old, new))
        elif name == "priority":
            old, new = (PRIORITIES.get((v or "").lower(), v) for v in (old, new))
        at = moment(_text(row.get("created_at"), f"{where}: created_at"),
                    f"{where}: created_at", (), options.zone)
        if at is None:
            raise BadRow(f"{where}: created_at: is required")
        found.append({"at": at, "field": name, "old": old, "new": new,
                      "by": _person(row.get("created_by"), f"{where}: created_by")
                      or "zammad"})
    return found


def _record(ticket: Any, options: ReadOptions) -> dict[str, Any]:
    if not isinstance(ticket, dict):
        raise BadRow("must be a ticket object")

    def when(key: str) -> str | None:
        return moment(_text(ticket.get(key), key), key, (), options.zone)

    number = tool_number("ZAM", _text(ticket.get("number"), "number"), "number")
    state = _text(ticket.get("state"), "state")
    if state is None:
        raise BadRow("state: is required (export with expand=true)")
    status, hold = coded(state, STATES, "state")
    created = when("created_at")
    if created is None:
        raise BadRow("created_at: is required")
    updated, closed, responded = when("updated_at"), when("close_at"), when("first_response_at")
    if status == "closed" and closed is None:
        closed = updated
        if closed is None:
            raise BadRow("close_at: a closed ticket needs close_at (or updated_at)")
    resolved = (closed or updated) if status in ("resolved", "closed") else None
    priority = coded(_text(ticket.get("priority"), "priority"), PRIORITIES, "priority") or "P3"
    summary, whole_title = summary_of(_text(ticket.get("title"), "title"), "title")
    owner = _person(ticket.get("owner"), "owner")
    customer = _person(ticket.get("customer"), "customer")
    worklog = _worklog(ticket.get("articles") or [], options)
    history = _history(ticket.get("history") or [], options)
    if not any(row["field"] == "status" for row in history):
        history = lifecycle(created, customer or "zammad",
                            [(responded, "in_progress"), (resolved, "resolved"),
                             (closed, "closed")], status, owner or "zammad") + history
    first_body = worklog[0]["note"] if worklog else ""
    tags = ticket.get("tags")
    details = [f"{name}: {value}" for name, value in (
        ("Organization", _text(ticket.get("organization"), "organization")),
        ("Tags", ", ".join(map(str, tags)) if isinstance(tags, list) else None),
        ("Note", _text(ticket.get("note"), "note"))) if value]
    channel = _text(ticket.get("create_article_type"), "create_article_type")
    return {
        "number": number,
        "type": "incident",
        "status": status,
        "hold_reason": hold,
        "cancel_reason": "duplicate" if state.lower() == "merged" else
        ("mislogged" if status == "cancelled" else None),
        "priority": priority,
        "impact": LEVELS[priority][0],
        "urgency": LEVELS[priority][1],
        "summary": summary,
        "description": description_of(
            whole_title, first_body[:TEXT_MAX // 2],
            f"Imported from Zammad (ticket #{ticket.get('number')}).", details),
        "group": label(_text(ticket.get("group"), "group"), "group"),
        "assignee": owner,
        "reporter": customer,
        "contact": customer,
        "channel": CHANNELS.get((channel or "").lower()),
        "detected_at": created,
        "logged_at": created,
        "logged_by": _person(ticket.get("created_by"), "created_by"),
        "updated_at": updated,
        "responded_at": responded,
        "resolved_at": resolved,
        "closed_at": closed if status == "closed" else None,
        "response_due": when("first_response_escalation_at"),
        "resolution_due": when("close_escalation_at"),
        "history": history,
        "worklog": worklog,
    }


def read_zammad(text: str, options: ReadOptions) -> Reading:
    """The tickets of a Zammad API export, each at the line where it starts, and the
    tickets refused."""
    reading = Reading([])
    for line, ticket in json_items(text, TOOL):
        number = ticket.get("number") if isinstance(ticket, dict) else None
        try:
            reading.items.append((line, _record(ticket, options)))
        except BadRow as bad:
            reading.problems.append(problem_at(
                line, str(bad), f"ZAM-{number}" if isinstance(number, str | int) else None))
    return reading  # Zammad writes its times in UTC: no zone is assumed


def _detect(sample: Sample) -> int:
    """A JSON list whose first ticket has Zammad's keys (number, title, state_id)."""
    head = sample.text.lstrip()
    if not head.startswith("["):
        return 0
    keys = ('"state_id"', '"number"', '"title"', '"group_id"')
    return 85 if all(key in head[:8192] for key in keys) else 0


def _read(source: Source, options: ReadOptions) -> Reading:
    return read_zammad(source.text(), options)


FORMAT = ImportFormat(name="zammad", title="Zammad export", unit="line", detect=_detect,
                      read=_read, schema=TicketRecord)
