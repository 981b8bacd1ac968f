"""How sync reaches the local database: every local step (reading the outbox, applying
pulled rows, acknowledging a push) is a function handed to a runner. In the desktop
client the runner passes it to the database's owner thread and waits, so the sync's
own thread does network I/O only and never holds a local transaction; in a
single-threaded command the step simply runs where it is."""

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

LocalRunner = Callable[[Callable[[], Any]], Any]


def run_here(step: Callable[[], T]) -> T:
    """The runner for a process whose only thread owns the database (the CLI)."""
    return step()
