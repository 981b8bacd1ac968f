"""Activities whose effects are thrown away: for screenshots and walkthroughs on a real
desk, which must find the desk exactly as it was afterwards."""

from desk_app.storage.database import database


class _Undone(Exception):
    """Marks the rehearsal's end (never raised)."""


class Rehearsal:
    """``begin`` opens an outer transaction on this thread; every activity after it nests
    inside (as a savepoint); ``end`` rolls all of it back."""

    def __init__(self) -> None:
        self._transaction = None

    def begin(self) -> None:
        self._transaction = database.transaction()
        self._transaction.__enter__()

    def end(self) -> None:
        if self._transaction is not None:
            self._transaction.__exit__(_Undone, _Undone(), None)
            self._transaction = None
