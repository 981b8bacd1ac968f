"""Inserting rows on hot paths: the INSERT statement is built once per table and rows
are converted by the fields' own db_value, skipping per-call query building."""

from collections.abc import Iterable
from functools import cache
from typing import Any

from peewee import Model

from desk_app.storage.database import database


@cache
def insert_sql(model: type[Model]) -> str:
    """``INSERT INTO table (every column) VALUES (?, ...)`` for ``model``."""
    names = [f.column_name for f in model._meta.sorted_fields]
    return (f"INSERT INTO {model._meta.table_name} ({', '.join(names)}) "
            f"VALUES ({', '.join('?' for _ in names)})")


def _stored_row(model: type[Model], values: dict[str, Any]) -> tuple:
    row = []
    for field in model._meta.sorted_fields:
        value = values.get(field.name, values.get(field.column_name, _MISSING))
        if value is _MISSING:
            value = field.default() if callable(field.default) else field.default
        if isinstance(value, Model):
            value = value.get_id()
        row.append(field.db_value(value))
    return tuple(row)


_MISSING = object()


def insert_row(model: type[Model], values: dict[str, Any]) -> None:
    """Insert one row given by field name (or column name) with Python values."""
    database.execute_sql(insert_sql(model), _stored_row(model, values))


def insert_rows(model: type[Model], rows: Iterable[dict[str, Any]]) -> None:
    """Insert many rows given by field name with Python values."""
    tuples = [_stored_row(model, values) for values in rows]
    if tuples:
        database.cursor().executemany(insert_sql(model), tuples)
