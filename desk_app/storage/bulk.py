"""Bulk writes for imports and demo data: raw executemany in one transaction, the
search index rebuilt once at the end instead of row by row."""

from collections.abc import Callable, Sequence

from peewee import Model

from desk_app.storage.database import database
from desk_app.storage.kpi_summary import kpi_summary_rebuilt_after
from desk_app.storage.models import ChecklistTick, History, Link, Outbox, Ticket, Worklog
from desk_app.storage.rows import insert_sql
from desk_app.storage.search import next_ticket_rowid, search_index_rebuilt_after

CHUNK = 5_000


class BulkWriter:
    """Writes many tickets and their rows inside the caller's transaction.

    Use as a context manager around the ``add_*`` calls; the search index is rebuilt
    for the new tickets when the block ends.
    """

    def __init__(self, progress: Callable[[int], None] | None = None) -> None:
        self.progress = progress
        self.written = 0
        self._pending: dict[type[Model], list[tuple]] = {}
        self._index = None
        self._summary = None

    def __enter__(self) -> "BulkWriter":
        if not database.in_transaction():
            raise RuntimeError("BulkWriter needs a running transaction")
        # References may point forward in the batch; they are checked at commit instead.
        database.execute_sql("PRAGMA defer_foreign_keys = ON")
        self._index = search_index_rebuilt_after(next_ticket_rowid())
        self._index.__enter__()
        self._summary = kpi_summary_rebuilt_after()
        self._summary.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self.flush()
        try:
            self._index.__exit__(*exc_info)
        finally:
            self._summary.__exit__(*exc_info)

    def add(self, model: type[Model], rows: Sequence[tuple]) -> None:
        """Queue rows (tuples in column order) of ``model``."""
        pending = self._pending.setdefault(model, [])
        pending.extend(rows)
        if len(pending) >= CHUNK:
            self._write(model)

    def ticket_done(self, count: int = 1) -> None:
        """Count finished tickets for the progress callback."""
        self.written += count
        if self.progress:
            self.progress(self.written)

    def flush(self) -> None:
        """Write everything queued (tickets first: the other rows refer to them)."""
        for model in (Ticket, History, Worklog, ChecklistTick, Link, Outbox):
            if self._pending.get(model):
                self._write(model)

    def _write(self, model: type[Model]) -> None:
        if model is not Ticket and self._pending.get(Ticket):
            self._write(Ticket)
        rows = self._pending.pop(model, [])
        if rows:
            database.cursor().executemany(insert_sql(model), rows)
