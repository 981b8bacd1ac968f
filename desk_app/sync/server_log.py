"""Reading the team database's change log back (for verification and repair)."""

from collections.abc import Iterable

import psycopg

from desk_app.core.merge import Change

_IDS_PER_QUERY = 2000


def server_changes(conn: psycopg.Connection, entities: Iterable[str], row_ids: list[str],
                   device: str, cursor: tuple[str, int]) -> list[Change]:
    """The logged changes of ``row_ids`` in ``entities`` that this desk has seen: up to
    its pull ``cursor``, plus its own pushes."""
    changes = []
    for start in range(0, len(row_ids), _IDS_PER_QUERY):
        chunk = row_ids[start:start + _IDS_PER_QUERY]
        for entity, row_id, field_name, value, hlc in conn.execute(
                """SELECT entity, row_id, field, value, hlc FROM desk.change
                   WHERE entity = ANY(%s) AND row_id = ANY(%s)
                     AND ((txid, seq) <= (%s::xid8, %s) OR device_id = %s)""",
                (list(entities), chunk, cursor[0], cursor[1], device)):
            changes.append(Change(entity, row_id, field_name, value, hlc))
    return changes
