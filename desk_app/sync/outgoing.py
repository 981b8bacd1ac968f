"""Our changes on their way out: the outbox read as the team database's change
records, in an order the receivers can apply, and trimmed once acknowledged."""

import json
from operator import itemgetter
from typing import Any, NamedTuple

import psycopg

from desk_app.storage.database import database
from desk_app.sync.entities import APPENDED, Entity, entity, owner
from desk_app.sync.errors import SyncError


class Pending(NamedTuple):
    """One outbox entry (a named tuple: a first push reads a million of them)."""

    op_id: str
    entity: str
    row_id: str
    field: str | None
    value: str | None
    hlc: str
    covers: tuple[str, ...] = ()  # a new ticket's appended entries, sent with it


def pending_count() -> int:
    """How many of our changes wait to be pushed."""
    return database.execute_sql("SELECT COUNT(*) FROM outbox").fetchone()[0]


def read_pending() -> list[Pending]:
    """Every outbox entry, in push order: new rows first (groups, technicians, then
    tickets, each ticket after the tickets it refers to), then everything else in the
    order it happened. A new ticket is sent with every row it has, so the entries of
    rows appended to it since go with it (``covers``) rather than on their own."""
    entries = [Pending(*row) for row in database.execute_sql(
        "SELECT op_id, entity, row_id, field, value, hlc FROM outbox ORDER BY hlc, op_id")]
    kinds = {name: entity(name) for name in {e.entity for e in entries}}
    appended = {name for name, kind in kinds.items() if kind.appended}
    created = [e for e in entries if e.field is None and e.entity not in appended]
    new_tickets = {e.row_id for e in created if e.entity == "ticket"}
    covered: dict[str, list[str]] = {}
    rest = []
    for e in entries:
        if e.entity in appended:
            if e.field is None and e.row_id in new_tickets:
                covered.setdefault(e.row_id, []).append(e.op_id)
            else:
                rest.append(e)
        elif e.field is not None:
            rest.append(e)
    created = [e._replace(covers=tuple(covered[e.row_id]))
               if e.entity == "ticket" and e.row_id in covered else e for e in created]
    created.sort(key=lambda e: kinds[e.entity].rank)
    return _referred_first(created) + rest


def _referred_first(created: list[Pending]) -> list[Pending]:
    tickets = {e.row_id: e for e in created if e.entity == "ticket"}
    if not tickets:
        return created
    refers = {row_id: [r for r in (problem_id, parent_id) if r in tickets and r != row_id]
              for row_id, problem_id, parent_id in database.execute_sql(
                  "SELECT id, problem_id, parent_id FROM ticket "
                  "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(tickets)),))}
    ordered: list[Pending] = []
    placed: set[str] = set()

    def place(row_id: str, trail: set[str]) -> None:
        if row_id in placed or row_id in trail:
            return
        for target in refers.get(row_id, []):
            place(target, trail | {row_id})
        placed.add(row_id)
        ordered.append(tickets[row_id])

    others = [e for e in created if e.entity != "ticket"]
    for e in created:
        if e.entity == "ticket":
            place(e.row_id, set())
    return others + ordered


class JsonText(str):
    """A value already encoded as JSON: sent as it is."""


class PushBatch(NamedTuple):
    """What pushing some outbox entries sends: the change records as the lines of a
    COPY in CSV format (see :data:`COPY_PUSH`; op_id, entity, row_id, field, value as
    JSON text, hlc, in the push inbox's column order), how many records that is, and
    the rows they touch ((entity, id) as :func:`~desk_app.sync.entities.owner` names
    them)."""

    copy_text: bytes
    records: int
    rows: frozenset[tuple[str, str]]


# The push goes as CSV whose delimiter and quote are control characters that JSON text
# never holds raw, so a row's JSON goes as SQLite wrote it, with nothing to escape (the
# text format's backslash escaping cost the desk more than writing the JSON). Every
# other field is quoted, by Python, once per outbox entry; an empty unquoted field is
# NULL.
DELIMITER, QUOTE = "\x01", "\x02"
COPY_PUSH = ("COPY pg_temp.push_inbox FROM STDIN "
             "(FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02', ESCAPE E'\\x02')")


def _quoted(text: str | None) -> str:
    """``text`` as a quoted field of the push (None as NULL)."""
    return "" if text is None else QUOTE + text.replace(QUOTE, QUOTE * 2) + QUOTE


def copy_line(op_id: str, entity_name: str, row_id: str, field: str | None, value: str,
              hlc: str) -> bytes:
    """One change record as its line of the push (``value`` JSON text already)."""
    return (DELIMITER.join(map(_quoted, (op_id, entity_name, row_id, field, value, hlc)))
            + "\n").encode()


class _EntryParts(NamedTuple):
    """An outbox entry as the push query reads it (a JSON array, in this order)."""

    op_id: str
    entity: str
    row_id: str
    field: str | None
    value: str | None
    hlc: str
    head: str
    value_quoted: str | None
    tail: str
    opened: str
    row: str


_ENTRY_COLUMNS = _EntryParts._fields


def _entry_parts(e: Pending) -> _EntryParts:
    """What the push query reads of an entry: the entry as queued, then its record's
    line split around the value (``head``, the quoted ``value`` of a field change,
    ``tail``), and for the records of a new ticket's rows their op id still open
    (``opened``, see :func:`_rows_op_id`) and its quoted row id (``row``). A field
    change without a value (a damaged outbox: the desk queues JSON ``null``) sends
    nothing, as a gone row: every desk pulling it would fail to apply it."""
    row = _quoted(e.row_id)
    head = DELIMITER.join([_quoted(e.op_id), _quoted(e.entity), row, _quoted(e.field), ""])
    return _EntryParts(
        e.op_id, e.entity, e.row_id, e.field, e.value, e.hlc, head,
        _quoted(e.value) if e.field is not None and e.value is not None else None,
        DELIMITER + _quoted(e.hlc) + "\n", QUOTE + _rows_op_id(e).replace(QUOTE, QUOTE * 2),
        row)


def _rows_op_id(e: Pending) -> str:
    """The op id the records of a new ticket's rows start from: the ticket's (first,
    see :func:`~desk_app.sync.identity.stored_unacknowledged`), then the newest entry
    they cover. A push the server stored but the desk never heard of is sent again;
    rows appended since then change the records, and so their op ids (the server skips
    an op id it has: the rows added would never get there)."""
    return f"{e.op_id}:{e.covers[-1]}" if e.covers else e.op_id



def change_records(entries: list[Pending]) -> PushBatch:
    """The change records pushing ``entries`` sends, in their order. A new ticket goes
    with every row it has by then (one record per kind of row, after the ticket's); an
    entry whose rows are gone sends nothing. One SQLite query writes every record as
    its line of the COPY, row values as JSON, so a first push does no Python work per
    row (at 100,000 tickets that work was the desk's biggest share of the push)."""
    if not entries:
        return PushBatch(b"", 0, frozenset())
    _refuse_damaged(entries)
    chunk = json.dumps([_entry_parts(e) for e in entries])
    present = {e.entity for e in entries}
    appended = ", ".join(f"'{kind.name}'" for kind in APPENDED)
    parts = ["SELECT pos, 0 AS sub, c.head || c.value_quoted || c.tail AS line FROM c "
             f"WHERE field IS NOT NULL AND entity NOT IN ({appended})"]
    for name in sorted(present):
        kind = entity(name)
        parts.append(_appended_part(kind) if kind.appended else _new_rows_part(kind))
    if "ticket" in present:
        parts += [_children_part(child, sub) for sub, child in enumerate(APPENDED, 1)]
    extract = ", ".join(f"value ->> {i}" for i in range(len(_ENTRY_COLUMNS)))
    query = (f"WITH c(pos, {', '.join(_ENTRY_COLUMNS)}) AS MATERIALIZED ("
             f"SELECT key, {extract} FROM json_each(?)) "
             f"SELECT pos, sub, CAST(line AS BLOB) FROM ({' UNION ALL '.join(parts)})")
    # Rows gone since they were queued send nothing (filtered here: a filter in the
    # query would build every value twice). Each part comes in entry order, so Python's
    # sort merges a few runs, where SQLite's sorter copied every line once more.
    sent = sorted((row for row in database.execute_sql(query, (chunk,))
                   if row[2] is not None), key=_ENTRY_ORDER)
    return PushBatch(b"".join(line for _, _, line in sent), len(sent),
                     frozenset(owner(entries[pos].entity, entries[pos].row_id)
                               for pos in {pos for pos, _, _ in sent}))


_ENTRY_ORDER = itemgetter(0, 1)  # (entry position, record within the entry)


def _refuse_damaged(entries: list[Pending]) -> None:
    """Refuse (:class:`SyncError`, naming the entry) an outbox entry whose value is not
    JSON, as only a damaged desk file holds: the server, or SQLite reading the ids of
    appended rows, would refuse the whole chunk without saying which."""
    for e in entries:
        if e.value is None:
            continue
        try:
            json.loads(e.value)
        except ValueError:
            change = f"{e.entity} {e.row_id}" + (f", field {e.field}" if e.field else "")
            raise SyncError(f"outbox entry {e.op_id} ({change}): its value is not JSON; "
                            "the desk's file is damaged (restore a backup)") from None


def _new_rows_part(kind: Entity) -> str:
    """New rows of ``kind``: the row as it is now (none when it is gone)."""
    return (f"SELECT c.pos, 0, c.head || {_json_object(kind)} || c.tail "
            f"FROM c CROSS JOIN {kind.name} ON {kind.name}.{kind.key} = c.row_id "
            f"WHERE c.entity = '{kind.name}' AND c.field IS NULL")


def _appended_part(kind: Entity) -> str:
    """Rows appended to a ticket: the entry lists their ids; the value is the array of
    those still there, in that order (none when none is)."""
    rows = (f"(SELECT '[' || group_concat(r, ',') || ']' FROM ("
            f"SELECT {_json_object(kind)} AS r FROM json_each(c.value) AS i "
            f"CROSS JOIN {kind.name} ON {kind.name}.id = i.value ORDER BY i.key))")
    return (f"SELECT c.pos, 0, c.head || {rows} || c.tail "
            f"FROM c WHERE c.entity = '{kind.name}'")


def _children_part(child: Entity, sub: int) -> str:
    """The rows of ``child`` a new ticket has, as one array after the ticket's record
    (none when it has none); its op id is :func:`_rows_op_id`'s with ``:<child>``
    added."""
    rows = (f"(SELECT nullif(json_group_array({_json_object(child, nested=True)}), "
            f"'[]') "
            f"FROM {child.name} WHERE {child.name}.ticket_id = c.row_id)")
    between = f":{child.name}{QUOTE}{DELIMITER}{_quoted(child.name)}{DELIMITER}"
    return (f"SELECT c.pos, {sub}, (c.opened || '{between}' || c.row || "
            f"'{DELIMITER}{DELIMITER}') || {rows} || c.tail "
            f"FROM c WHERE c.entity = 'ticket' AND c.field IS NULL")


_PAIRS_PER_CALL = 63  # SQLite functions take up to 127 arguments


def _json_object(kind: Entity, *, nested: bool = False) -> str:
    """The row of ``kind`` as JSON text. Keys go in jsonb's own order (shorter first,
    then bytewise), so a value reads the same whether the log keeps it as json (as
    sent, from version 4) or jsonb (before). A table wider than one call's arguments is
    written as one object per call, spliced as text (SQLite's json_insert parsed the
    first object again); ``nested`` makes that a JSON value again, for an array."""
    ordered = sorted(kind.columns, key=lambda c: (len(c.encode()), c.encode()))
    objects = ["json_object(" + ", ".join(f"'{c}', {kind.name}.{c}" for c in chunk) + ")"
               for chunk in (ordered[i:i + _PAIRS_PER_CALL]
                             for i in range(0, len(ordered), _PAIRS_PER_CALL))]
    if len(objects) == 1:
        return objects[0]
    # A value never ends with "}" nor a key starts with "{": only the braces go.
    parts = ([f"rtrim({objects[0]}, '}}')"] + [f"trim({o}, '{{}}')" for o in objects[1:-1]]
             + [f"ltrim({objects[-1]}, '{{')"])
    spliced = " || ',' || ".join(parts)
    return f"json({spliced})" if nested else spliced


def send(conn: psycopg.Connection, device: str, records: list[dict[str, Any]]) -> int:
    """Push change records given as dicts (op_id, entity, row_id, field, value, hlc); a
    value is JSON-encoded unless it is :class:`JsonText` already. See :func:`send_batch`."""
    return send_batch(conn, device, b"".join(copy_line(
        r["op_id"], r["entity"], r["row_id"], r["field"],
        r["value"] if isinstance(r["value"], JsonText) else json.dumps(r["value"]), r["hlc"])
        for r in records))


def send_batch(conn: psycopg.Connection, device: str, copy_text: bytes) -> int:
    """Push change records (lines of the COPY, see :class:`PushBatch`) in one short
    server transaction: COPY into the session's push inbox (made by
    ``desk.open_push_inbox``; we may only insert into it), then ``desk.append_inbox``
    checks them and appends them to the log (a record already there, same device and
    op id, is skipped). Returns how many were new."""
    with conn.transaction():
        conn.execute("SELECT desk.open_push_inbox()")
        with conn.cursor().copy(COPY_PUSH) as copy:
            copy.write(copy_text)
        return conn.execute("SELECT desk.append_inbox(%s)", (device,)).fetchone()[0]


def acknowledge(entries: list[Pending]) -> None:
    """Forget pushed outbox entries and remember the clock of each pushed field
    change (inside the caller's transaction)."""
    database.cursor().executemany(
        """INSERT INTO sync_stamp (entity, row_id, field, hlc) VALUES (?, ?, ?, ?)
           ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc
           WHERE excluded.hlc > sync_stamp.hlc""",
        [(e.entity, e.row_id, e.field, e.hlc) for e in entries if e.field is not None])
    forget([op for e in entries for op in (e.op_id, *e.covers)])


def forget(op_ids: list[str]) -> None:
    """Drop outbox entries (inside the caller's transaction)."""
    database.execute_sql("DELETE FROM outbox WHERE op_id IN (SELECT value FROM json_each(?))",
                         (json.dumps(op_ids),))
