"""Rows as the database stores them: column lists, defaults, and inserts on hot paths
(the INSERT statement is built once per table; values are converted by the fields' own
db_value, skipping per-call query building)."""

from collections.abc import Iterable
from functools import cache
from typing import Any

from peewee import Model

from desk_app.storage.database import database

_MISSING = object()


@cache
def columns_of(model: type[Model]) -> tuple[str, ...]:
    """The table's column names in declaration order."""
    return tuple(f.column_name for f in model._meta.sorted_fields)


def column_defaults(model: type[Model]) -> dict[str, Any]:
    """The constant defaults by column name (callable defaults such as ids are left out:
    they must be drawn per row)."""
    return {f.column_name: f.default for f in model._meta.sorted_fields
            if not callable(f.default)}


@cache
def insert_sql(model: type[Model]) -> str:
    """``INSERT INTO table (every column) VALUES (?, ...)`` for ``model``."""
    names = columns_of(model)
    return (f"INSERT INTO {model._meta.table_name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})")


def stored_row(model: type[Model], values: dict[str, Any]) -> tuple:
    """``values`` (by field or column name) as a tuple in column order, defaults filled
    per row (an absent or empty id gets a new one), each value converted by its field."""
    row = []
    for field in model._meta.sorted_fields:
        value = values.get(field.name, values.get(field.column_name, _MISSING))
        if value is _MISSING or (value is None and callable(field.default)):
            value = field.default() if callable(field.default) else field.default
        if isinstance(value, Model):
            value = value.get_id()
        row.append(field.db_value(value))
    return tuple(row)


def insert_row(model: type[Model], values: dict[str, Any]) -> None:
    """Insert one row given by field name (or column name) with Python values."""
    database.execute_sql(insert_sql(model), stored_row(model, values))


def insert_rows(model: type[Model], rows: Iterable[dict[str, Any]]) -> None:
    """Insert many rows given by field name with Python values."""
    tuples = [stored_row(model, values) for values in rows]
    if tuples:
        database.cursor().executemany(insert_sql(model), tuples)


def rows_where_in(table: str, column: str, keys: list[str],
                  chunk: int = 500) -> list[dict[str, Any]]:
    """Every row of ``table`` whose ``column`` is one of ``keys``, as dicts by column
    name (queried ``chunk`` keys at a time). ``table`` and ``column`` are ours, never
    user input."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        cursor = database.execute_sql(
            f"SELECT * FROM {table} WHERE {column} IN ({', '.join('?' for _ in part)})", part)
        names = [d[0] for d in cursor.description]
        rows += [dict(zip(names, row, strict=True)) for row in cursor]
    return rows
