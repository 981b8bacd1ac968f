"""Telling failures of the machine around the desk from bugs: a read-only folder, a
damaged or foreign database file, a full disk. Each becomes an
:class:`~desk_app.core.errors.EnvironmentProblem` that says what to do."""

import errno
import shutil
from collections.abc import Iterator
from pathlib import Path

from desk_app.core.errors import DeskUnavailable, DiskFull, EnvironmentProblem

_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and the ones it was raised from or during (peewee's rollback error
    "cannot rollback" hides the "database or disk is full" that caused it)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [current.__cause__, current.__context__]


def environment_problem(error: BaseException, database_path: Path | str | None
                        ) -> EnvironmentProblem | None:
    """The environment problem behind ``error`` (its whole chain is read), or None
    when it is not one (then it is a bug)."""
    path = Path(database_path) if database_path else None
    where = f"the data folder {path.parent}" if path else "the data folder"
    found: list[EnvironmentProblem] = []
    for cause in _chain(error):
        if isinstance(cause, EnvironmentProblem):
            return cause
        if not (isinstance(cause, OSError) or type(cause).__module__ in ("sqlite3", "peewee")):
            continue  # only the database and the operating system speak for the machine
        text = str(cause).lower()
        number = getattr(cause, "errno", None)
        full = "disk is full" in text or number in _FULL_ERRNOS or "file too large" in text
        if full or ("disk i/o error" in text and _no_room(path)):
            return DiskFull(f"the disk holding {where} is full (or the file-size limit is "
                            "reached)", "nothing of the command was written; free some "
                            "space and try again")
        if "not a database" in text or "malformed" in text or "encrypted" in text:
            found.append(DeskUnavailable(
                f"{path or 'the database'} is damaged or is not a desk-app database",
                "move it aside (keep it: it may be repaired) and start again for a new "
                "desk (sync brings the team's tickets back), or choose another folder "
                "with --data-dir or DESK_APP_DATA_DIR"))
        elif ("readonly" in text or "read-only" in text or "unable to open" in text
              or number in _READ_ONLY_ERRNOS):
            found.append(DeskUnavailable(
                f"{where} or its database cannot be written (read-only, or not yours)",
                "make it writable, or choose another folder with --data-dir or "
                "DESK_APP_DATA_DIR"))
        elif "disk i/o error" in text:
            found.append(DeskUnavailable(
                f"reading or writing {path or 'the database'} failed (disk I/O error)",
                "check the disk and that the folder is still there, then try again"))
    return found[0] if found else None


def _no_room(database_path: Path | None) -> bool:
    """True when a write error is likely for want of room: the disk holding the
    database has under 1 MB free, or a file-size limit is set (SQLite reports a write
    past that limit as a plain "disk I/O error")."""
    try:
        import resource  # not on Windows

        if resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY:
            return True
    except ImportError:
        pass
    try:
        return database_path is not None and \
            shutil.disk_usage(database_path.parent).free < 1_000_000
    except OSError:
        return False
