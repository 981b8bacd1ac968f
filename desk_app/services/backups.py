"""Backups of the desk and restores from one (``desk-app backup`` / ``restore``).

A backup is the database file and, beside it, a folder ``<file>.attachments`` with the
attachments' contents (by hash, as in the desk's own store); a restore brings both back.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from desk_app import paths
from desk_app.storage.attachment_store import ContentStore
from desk_app.storage.backup import backup_database, check_restore, restore_database
from desk_app.storage.database import close_database, database

ATTACHMENTS_SUFFIX = ".attachments"


def attachments_beside(backup: Path) -> Path:
    """The folder holding the attachments of the backup file ``backup``."""
    return backup.with_name(backup.name + ATTACHMENTS_SUFFIX)


def backup_desk(target: Path) -> Path:
    """Copy the open desk to ``target`` (a new file, or a folder for a dated file in
    it) while it stays in use, with its attachments beside it; returns the file
    written. If the attachments cannot be copied (a full disk) nothing is left behind:
    a backup without its files would look whole and is not."""
    written = backup_database(database.connection(), Path(target).expanduser())
    store = ContentStore.beside(database.database)
    folder = attachments_beside(written)
    try:
        if any(True for _ in store.contents()):
            store.copy_missing_into(ContentStore(folder))
    except BaseException:
        written.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return written


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did."""

    desk: Path
    backup: Path
    kept_aside: Path | None
    tickets: int
    team_database: bool
    attachments: int = 0  # contents brought back from the backup's attachments folder

    def describe(self) -> str:
        lines = [f"restored {self.desk} from {self.backup} ({self.tickets} tickets)"]
        if self.attachments:
            lines.append(f"brought back {self.attachments} attachment file(s)")
        if self.kept_aside:
            lines.append(f"the desk as it was is kept in {self.kept_aside}")
        if self.team_database:
            lines.append("the next sync recognises the restored desk, gives it a new "
                         "device identity and takes back everything the team database "
                         "holds; nothing of either copy is lost")
        return "\n".join(lines)


def restore_desk(backup: Path, data_dir: str | None = None) -> Restored:
    """Replace the desk of ``data_dir`` (close it first) by a checked backup, keeping
    the current desk aside; refuses a file that is not a desk or is newer."""
    desk = paths.data_dir(data_dir) / paths.DATABASE_FILE
    backup = Path(backup).expanduser()
    found = check_restore(backup, desk)  # a refused backup leaves the desk open
    close_database()  # this process's own handle, if a command opened the desk
    aside = restore_database(backup, desk)
    # Contents are kept by hash: adding the backup's never harms the files the desk
    # kept aside still refers to.
    saved = attachments_beside(backup)
    brought = (ContentStore(saved).copy_missing_into(ContentStore.beside(desk))
               if saved.is_dir() else 0)
    return Restored(desk, backup, aside, found.tickets, found.team_database, brought)
