"""Backups of the desk and restores from one (``desk-app backup`` / ``restore``)."""

from dataclasses import dataclass
from pathlib import Path

from desk_app import paths
from desk_app.storage.backup import backup_database, check_restore, restore_database
from desk_app.storage.database import close_database, database


def backup_desk(target: Path) -> Path:
    """Copy the open desk to ``target`` (a new file, or a folder for a dated file in
    it) while it stays in use; returns the file written."""
    return backup_database(database.connection(), Path(target).expanduser())


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did."""

    desk: Path
    backup: Path
    kept_aside: Path | None
    tickets: int
    team_database: bool

    def describe(self) -> str:
        lines = [f"restored {self.desk} from {self.backup} ({self.tickets} tickets)"]
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
    return Restored(desk, backup, aside, found.tickets, found.team_database)
