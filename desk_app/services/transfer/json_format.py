"""The lossless JSON form: the knowledge articles with their history, then every
ticket: its columns, history, worklog, ticks, links, knowledge uses, major-incident
rows and post-incident review."""

import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from desk_app import __version__
from desk_app.core.errors import InvalidValue
from desk_app.services.session import Session
from desk_app.services.transfer.extras_export import article_records, ticket_extras
from desk_app.services.transfer.extras_schema import WholeTicketRecord
from desk_app.services.transfer.formats import ImportFormat, Reading, ReadOptions, Sample, Source
from desk_app.services.transfer.records import REFERENCES, child_record, ticket_fields, to_iso
from desk_app.services.transfer.schema import (
    JSON_VERSION,
    JsonDocument,
    describe,
)
from desk_app.storage.fields import MillisField
from desk_app.storage.models import (
    ChecklistTick,
    History,
    Link,
    SupportGroup,
    Technician,
    Ticket,
    Worklog,
)
from desk_app.storage.ticket_queries import TICKET_ROWID as ROWID

ENVELOPE = "desk-app tickets"
VERSION = JSON_VERSION
CHUNK = 1_000


def _children(model, ids: list[str], zone: ZoneInfo) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {i: [] for i in ids}
    query = model.select().where(model.ticket.in_(ids)).order_by(model.at, model.id).dicts()
    for row in query:
        grouped[row["ticket"]].append(child_record(row, zone))
    return grouped


def export_records(session: Session, whole: bool = False) -> Iterator[dict[str, Any]]:
    """Every ticket as a portable record, in logging order, a chunk of tickets at a time;
    ``whole`` adds what only the JSON form carries (:func:`ticket_extras`)."""
    zone = ZoneInfo(session.policy.time_zone)
    groups = dict(SupportGroup.select(SupportGroup.id, SupportGroup.name).tuples())
    people = dict(Technician.select(Technician.id, Technician.login).tuples())
    numbers: dict[str, str] = {}
    last_rowid = 0
    fields = ticket_fields()
    while True:
        rows = list(Ticket.select(ROWID.alias("_rowid"), Ticket).where(last_rowid < ROWID)
                    .order_by(ROWID).limit(CHUNK).dicts())
        if not rows:
            return
        last_rowid = rows[-1]["_rowid"]
        ids = [r["id"] for r in rows]
        history = _children(History, ids, zone)
        worklog = _children(Worklog, ids, zone)
        ticks = _children(ChecklistTick, ids, zone)
        extras = ticket_extras(ids, zone) if whole else {}
        links: dict[str, list[dict]] = {i: [] for i in ids}
        referenced = {r[k] for r in rows for k in ("problem", "parent") if r[k]}
        link_rows = list(Link.select().where(Link.ticket.in_(ids)).order_by(Link.at).dicts())
        referenced |= {link["target"] for link in link_rows}
        missing = [i for i in referenced if i not in numbers]
        if missing:
            numbers |= dict(Ticket.select(Ticket.id, Ticket.number)
                            .where(Ticket.id.in_(missing)).tuples())
        for link in link_rows:
            links[link["ticket"]].append({"id": link["id"], "kind": link["kind"],
                                          "number": numbers[link["target"]],
                                          "at": to_iso(link["at"], zone), "by": link["by"]})
        for row in rows:
            record: dict[str, Any] = {}
            for name, field in fields:
                value = row[name]
                if name in REFERENCES:
                    lookup = {"group": groups, "assignee": people,
                              "major_manager": people}.get(name, numbers)
                    value = lookup.get(value) if value else None
                elif isinstance(field, MillisField):
                    value = to_iso(value, zone)
                record[name] = value
            record["history"] = history[row["id"]]
            record["worklog"] = worklog[row["id"]]
            record["ticks"] = ticks[row["id"]]
            record["links"] = links[row["id"]]
            record |= extras.get(row["id"], {})
            yield record


def write_json(session: Session, out: TextIO,
               progress: Callable[[int], None] | None = None) -> int:
    """Stream every ticket to ``out`` as one JSON document; returns the count."""
    out.write(json.dumps({"format": ENVELOPE, "version": VERSION,
                          "exported_by": f"desk-app {__version__}"})[:-1])
    out.write(', "articles": [\n')
    zone = ZoneInfo(session.policy.time_zone)
    for index, article in enumerate(article_records(zone)):
        out.write(",\n" if index else "")
        out.write(json.dumps(article, ensure_ascii=False, sort_keys=True))
    out.write('\n], "tickets": [\n')
    count = 0
    for record in export_records(session, whole=True):
        if count:
            out.write(",\n")
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True))
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    out.write("\n]}\n")
    return count


def read_json(text: str) -> tuple[list[tuple[int, Any]], list[tuple[int, Any]]]:
    """The ticket records and the article records of a JSON export, each numbered by
    its position in its list (1-based); each is checked later on its own
    (:class:`WholeTicketRecord`, :class:`ArticleRecord`), so one bad record can be
    skipped. Refuses a file that is not a desk-app export as a whole."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidValue("file", f"not valid JSON: line {err.lineno}: {err.msg}") from None
    except (ValueError, RecursionError) as err:  # a number of thousands of digits...
        raise InvalidValue("file", f"not valid JSON: {str(err)[:80]}") from None
    if isinstance(document, list):
        return list(enumerate(document, 1)), []
    if not isinstance(document, dict) or "tickets" not in document:
        raise InvalidValue("file", 'expected a list of tickets or {"tickets": [...]}')
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise InvalidValue("file", f"written by a newer desk-app (format version "
                           f"{version}); upgrade to import it")
    try:
        envelope = JsonDocument.model_validate(document)
    except ValidationError as error:
        raise InvalidValue("file", f"not a desk-app export: {describe(error)}") from None
    return list(enumerate(envelope.tickets, 1)), list(enumerate(envelope.articles, 1))


def _detect(sample: Sample) -> int:
    """JSON by extension or content; the desk's own envelope for sure."""
    if '"desk-app tickets"' in sample.text[:4096]:
        return 90
    if sample.suffix == ".json" or sample.text.lstrip().startswith(("{", "[")):
        return 50
    return 0


def _read(source: Source, options: ReadOptions) -> Reading:
    tickets, articles = read_json(source.text())
    return Reading(tickets, articles=articles)


FORMAT = ImportFormat(name="json", title="desk-app JSON export", unit="record",
                      detect=_detect, read=_read, schema=WholeTicketRecord)
