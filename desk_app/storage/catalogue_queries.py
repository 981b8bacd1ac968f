"""Reading the service catalogue and configuration items, and the tickets on them.

Tickets name a service or CI as text; a ticket is "on" a CI when its ``ci`` equals the
CI's name ignoring case (the ticket indexes on ``ci`` and ``service`` are NOCASE)."""

from typing import Any

from peewee import Model

from desk_app.core.catalogue import catalogue_id
from desk_app.storage.database import database
from desk_app.storage.models import ConfigurationItem, Service
from desk_app.storage.rows import columns_of
from desk_app.storage.ticket_queries import OPEN_SQL

MODELS: dict[str, type[Model]] = {"service": Service, "ci": ConfigurationItem}
TICKET_COLUMN = {"service": "service", "ci": "ci"}


def _dicts(sql: str, params: tuple | list = ()) -> list[dict[str, Any]]:
    cursor = database.execute_sql(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def catalogue_rows(kind: str, include_retired: bool = False) -> list[dict[str, Any]]:
    """Every service or CI (``kind``), by name; retired ones only when asked."""
    model = MODELS[kind]
    where = "" if include_retired else " WHERE retired = 0"
    return _dicts(f"SELECT {', '.join(columns_of(model))} FROM {model._meta.table_name}"
                  f"{where} ORDER BY name COLLATE NOCASE")


def catalogue_row(kind: str, name: str) -> dict[str, Any] | None:
    """The service or CI named ``name`` (any case), or None."""
    model = MODELS[kind]
    found = _dicts(f"SELECT {', '.join(columns_of(model))} FROM {model._meta.table_name} "
                   "WHERE id = ?", (catalogue_id(kind, name),))
    return found[0] if found else None


def rows_named(kind: str, names: list[str]) -> dict[str, dict[str, Any]]:
    """The rows among ``names`` that exist, by their id."""
    model = MODELS[kind]
    ids = [catalogue_id(kind, name) for name in names]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in _dicts(f"SELECT {', '.join(columns_of(model))} FROM "
                          f"{model._meta.table_name} WHERE id IN "
                          f"({', '.join('?' for _ in chunk)})", chunk):
            found[row["id"]] = row
    return found


def tickets_on(kind: str, name: str, open_only: bool = False,
               limit: int = 500) -> list[dict[str, Any]]:
    """The tickets on a CI or service, newest first, each with ``open`` (1 or 0)."""
    column = TICKET_COLUMN[kind]
    return _dicts(
        f"SELECT t.id, t.number, t.type, t.status, t.priority, t.summary, t.logged_at, "
        f"t.resolved_at, t.ci, t.service, ({OPEN_SQL}) AS open FROM ticket t "
        f"WHERE t.{column} = ? COLLATE NOCASE"
        + (f" AND {OPEN_SQL}" if open_only else "")
        + " ORDER BY t.logged_at DESC, t.id DESC LIMIT ?", (name, limit))


def ticket_counts(kind: str, name: str) -> tuple[int, int]:
    """(all tickets, open tickets) on a CI or service."""
    column = TICKET_COLUMN[kind]
    total, open_count = database.execute_sql(
        f"SELECT COUNT(*), COALESCE(SUM({OPEN_SQL}), 0) FROM ticket t "
        f"WHERE t.{column} = ? COLLATE NOCASE", (name,)).fetchone()
    return total, open_count


def in_use(kind: str, name: str) -> bool:
    """Whether any ticket names the CI or service (or, for a service, any CI does)."""
    column = TICKET_COLUMN[kind]
    if database.execute_sql(f"SELECT 1 FROM ticket WHERE {column} = ? COLLATE NOCASE "
                            "LIMIT 1", (name,)).fetchone():
        return True
    return kind == "service" and database.execute_sql(
        "SELECT 1 FROM configuration_item WHERE service = ? COLLATE NOCASE LIMIT 1",
        (name,)).fetchone() is not None


def cis_of_service(name: str) -> list[dict[str, Any]]:
    """The CIs of a service (retired too), by name."""
    return _dicts("SELECT name, type, location, retired FROM configuration_item "
                  "WHERE service = ? COLLATE NOCASE ORDER BY name COLLATE NOCASE", (name,))


def completion_names() -> tuple[list[str], list[tuple[str, str | None]]]:
    """What the forms complete: service names, and (CI name, its service) pairs, of
    the rows in use (not retired)."""
    services = [r[0] for r in database.execute_sql(
        "SELECT name FROM service WHERE retired = 0 ORDER BY name COLLATE NOCASE")]
    cis = [(r[0], r[1]) for r in database.execute_sql(
        "SELECT name, service FROM configuration_item WHERE retired = 0 "
        "ORDER BY name COLLATE NOCASE")]
    return services, cis


def related_by_catalogue(column: str, value: str, exclude: set[str],
                         limit: int) -> list[dict[str, Any]]:
    """Open tickets with the same CI or service (``column``), newest first."""
    return [row for row in _dicts(
        "SELECT t.id, t.number, t.type, t.status, t.priority, t.summary FROM ticket t "
        f"WHERE t.{TICKET_COLUMN[column]} = ? COLLATE NOCASE AND {OPEN_SQL} "
        "ORDER BY t.logged_at DESC LIMIT ?", (value, limit + len(exclude)))
        if row["id"] not in exclude][:limit]
