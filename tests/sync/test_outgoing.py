"""The change records a push sends: rows written as JSON by SQLite must carry the same
values as the rows read by Python, whatever text they hold."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app.services.details import update_details
from desk_app.services.intake import log_ticket
from desk_app.services.worklog import add_worklog
from desk_app.storage.database import database
from desk_app.storage.rows import rows_where_in
from desk_app.sync import outgoing
from desk_app.sync.entities import ENTITIES
from tests.conftest import new_ticket

MAX_SQLITE_FUNCTION_ARGUMENTS = 127


def test_every_synced_table_is_written_whole_within_sqlites_argument_limit(session):
    log_ticket(session, new_ticket())
    assert 2 * len(ENTITIES["ticket"].columns) > MAX_SQLITE_FUNCTION_ARGUMENTS  # split
    for kind in ENTITIES.values():
        expression = outgoing._json_object(kind)  # SQLite refuses a call with
        # too many arguments when it prepares the statement, rows or not
        row = database.execute_sql(f"SELECT {expression} FROM {kind.name} LIMIT 1").fetchone()
        if row is not None:
            assert list(json.loads(row[0])) == sorted(
                kind.columns, key=lambda c: (len(c.encode()), c.encode())), kind.name



def test_a_wide_row_is_one_object_alone_and_inside_an_array(session):
    """The ticket is wider than one SQLite call: its objects are spliced as text, and
    made a JSON value again where it goes inside an array."""
    log_ticket(session, new_ticket())
    ticket = ENTITIES["ticket"]
    alone = database.execute_sql(
        f"SELECT {outgoing._json_object(ticket)} FROM ticket").fetchone()[0]
    nested = database.execute_sql(
        f"SELECT json_group_array({outgoing._json_object(ticket, nested=True)}) "
        "FROM ticket").fetchone()[0]
    assert json.loads(nested) == [json.loads(alone)]
    assert set(json.loads(alone)) == set(ticket.columns)

def _records(batch: outgoing.PushBatch) -> list[tuple[str | None, ...]]:
    """The change records of a push, read back from its CSV lines the way PostgreSQL
    reads them: a quoted field with its quotes doubled, an empty unquoted one NULL, any
    other unquoted one (a row's JSON) as it is. (Split on the delimiter: the texts these
    tests write never hold it raw, and JSON cannot.)"""
    lines = batch.copy_text.decode().split("\n")
    assert lines.pop() == ""  # every line ends with a newline
    records = [tuple(_field(text) for text in line.split(outgoing.DELIMITER))
               for line in lines]
    assert len(records) == batch.records and all(len(r) == 6 for r in records)
    return records


def _field(text: str) -> str | None:
    quote = outgoing.QUOTE
    if text.startswith(quote):
        assert text.endswith(quote) and quote not in text[1:-1].replace(quote * 2, "")
        return text[1:-1].replace(quote * 2, quote)
    return text or None


def _sent() -> dict[tuple[str, str | None], object]:
    records = _records(outgoing.change_records(outgoing.read_pending()))
    assert all(isinstance(value, str) for _, _, _, _, value, _ in records)
    return {(kind, field): json.loads(value) for _, kind, _, field, value, _ in records}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                           blacklist_characters="\x00"), max_size=40))
def test_new_ticket_and_its_rows_go_as_stored(session, text):
    ticket = log_ticket(session, new_ticket())
    add_worklog(session, ticket.number, "first note")
    with database.atomic():
        database.execute_sql("UPDATE ticket SET summary = ?, description = ?, rfc = NULL "
                             "WHERE id = ?", (text, text, ticket.id))
        database.execute_sql("UPDATE worklog SET note = ? WHERE ticket_id = ?",
                             (text, ticket.id))

    sent = _sent()

    assert sent[("ticket", None)] == rows_where_in("ticket", "id", [ticket.id])[0]
    for child in ("history", "worklog"):
        assert sent[(child, None)] == rows_where_in(child, "ticket_id", [ticket.id])
    outgoing.forget([op for e in outgoing.read_pending() for op in (e.op_id, *e.covers)])


def test_appended_rows_and_field_changes_go_as_queued(session):
    ticket = log_ticket(session, new_ticket())
    with database.atomic():
        outgoing.acknowledge(outgoing.read_pending())
    add_worklog(session, ticket.number, 'a "quoted" note\twith\\ and\nlines \u00e9\U0001F600')
    update_details(session, ticket.number, {"contact": 'call "Bo" \\ ext.\t12'})

    sent = _sent()

    assert sent[("worklog", None)] == [
        row for row in rows_where_in("worklog", "ticket_id", [ticket.id])
        if row["note"].startswith("a ")]
    assert sent[("ticket", "contact")] == 'call "Bo" \\ ext.\t12'


def test_rows_go_with_their_keys_in_jsonb_order(session):
    """jsonb sorts an object's keys shorter first, then bytewise: sent in that order,
    the server finds them sorted (a first push spent a sixth of its time sorting)."""
    log_ticket(session, new_ticket())

    for _, _, _, _, sent, _ in _records(outgoing.change_records(outgoing.read_pending())):
        value = json.loads(sent)
        for row in value if isinstance(value, list) else [value]:
            keys = list(row)
            assert keys == sorted(keys, key=lambda k: (len(k.encode()), k.encode()))
