"""Import from and export to files, choosing the format.

The formats and their schemas (pydantic) are imported when a file is read or written:
the window and every command import this module, and starting them stays without
building the schemas (about 100 ms)."""

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from uuid import uuid4
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desk_app.core.errors import DiskFull, InvalidValue
from desk_app.core.permissions import Permission
from desk_app.services.input_files import read_input_bytes
from desk_app.services.session import Session, reads
from desk_app.storage.database import database

if TYPE_CHECKING:
    from desk_app.services.transfer.importer import ImportResult

SCRATCH_SUFFIX = ".partial"


def _zone(name: str | None, session: Session) -> tuple[ZoneInfo, bool]:
    if not name:
        return ZoneInfo(session.policy.time_zone), True
    try:
        return ZoneInfo(name), False
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue("time_zone", f"{name!r} is not a time zone (such as "
                           "Europe/Paris or UTC)") from None


def import_file(session: Session, path: Path, fmt: str | None = None, skip_bad: bool = False,
                progress: Callable[[int], None] | None = None,
                date_format: str | None = None, time_zone: str | None = None
                ) -> "ImportResult":
    """Import the tickets of ``path`` in ``fmt`` (detected from the extension and the
    content when None); refuses the whole file on any bad record unless ``skip_bad``.
    ``date_format`` forces how dates are read (else detected from the data);
    ``time_zone`` is the zone of times that have none (else the desk's, with a
    warning in the result)."""
    from desk_app.services.transfer import formats
    from desk_app.services.transfer.encodings import UTF8
    from desk_app.services.transfer.importer import import_records

    data = read_input_bytes(path)
    chosen = (formats.load(fmt) if fmt
              else formats.detect(formats.Sample(path, data[:formats.SAMPLE_BYTES])))
    attachments = _archived_attachments(path) if chosen.name == "json" else None
    zone, assumed = _zone(time_zone, session)
    source = formats.Source(path, data)
    reading = chosen.read(source, formats.ReadOptions(zone, assumed, date_format))
    warnings = list(reading.warnings)
    if source.encoding and source.encoding != UTF8:
        warnings.insert(0, f"{path.name} was read as {source.encoding} text")
    result = import_records(session, reading.items, schema=chosen.schema,
                            skip_bad=skip_bad, source=chosen.title, file=path.name,
                            unit=chosen.unit, earlier_problems=reading.problems,
                            progress=progress, articles=reading.articles)
    result.format = chosen.name
    result.warnings = warnings
    if attachments:
        from desk_app.services.transfer.attachment_archive import restore_attachments

        added = restore_attachments(session, attachments)
        warnings.append(f"{added} attachment(s) restored from "
                        f"{path.stem}.attachments.zip (hashes checked)")
    return result


def _archived_attachments(path: Path) -> list | None:
    """The attachments in the zip beside a JSON export (checked and stored), if any."""
    from desk_app.services.transfer.attachment_archive import archive_beside, read_archive

    archive = archive_beside(path)
    return read_archive(archive) if archive.is_file() else None


@reads
def export_tickets(session: Session, fmt: str, out: TextIO,
                   progress: Callable[[int], None] | None = None) -> int:
    """Write every ticket in ``fmt`` (json or csv); returns the count."""
    from desk_app.services.transfer.csv_format import write_csv
    from desk_app.services.transfer.json_format import write_json

    session.require(Permission.EXPORT)
    if fmt == "json":
        return write_json(session, out, progress)
    if fmt == "csv":
        return write_csv(session, out, progress)
    raise InvalidValue("format", f"cannot export as {fmt!r}; choose json or csv")


def check_export_target(path: Path) -> Path:
    """``path`` made absolute, or refuse: the desk's own database or anything in its
    data folder, a folder, a place whose folder does not exist, a device or a pipe, a
    database, or an existing file that is read-only (no write bit: root could replace
    it regardless)."""
    target = path.expanduser().resolve()
    if database.database and database.database != ":memory:":
        data_folder = Path(database.database).resolve().parent
        if target == data_folder or data_folder in target.parents:
            raise InvalidValue("out", f"{path} is in the desk's data folder ({data_folder}); "
                               "export somewhere else")
    if target.is_dir():
        raise InvalidValue("out", f"{path} is a folder; give a file name")
    if not target.parent.is_dir():
        raise InvalidValue("out", f"the folder {target.parent} does not exist")
    # A device or a pipe would be replaced by the finished scratch file, not written to.
    if target.exists() and not target.is_file():
        raise InvalidValue("out", f"{path} is not a regular file (a device or a pipe); "
                           "give a file name, or leave --out out to write to the terminal")
    if _is_database(target):
        raise InvalidValue("out", f"{path} is a database (another desk's?); exporting "
                           "would replace it: give another file name")
    if target.is_file() and not target.stat().st_mode & (
            stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise InvalidValue("out", f"{path} is read-only; nothing was written (make it "
                           "writable or give another file name)")
    return target


def _is_database(path: Path) -> bool:
    """Whether ``path`` is an existing SQLite database file (its header says so)."""
    try:
        with path.open("rb") as existing:
            return existing.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def write_whole(path: Path, write: Callable[[Path], object], what: str = "written") -> Path:
    """Check ``path`` (:func:`check_export_target`), let ``write`` fill a scratch file
    beside it, then put the scratch file in its place: a failed, cancelled or
    interrupted write leaves no half-written file and an earlier file of that name
    intact. Every failure names ``out`` and says nothing was ``what``. Returns the
    absolute path written."""
    target = check_export_target(path)
    # this write's own scratch name: two writes of one file at once each finish a whole
    # file (the last one stays) instead of interleaving in a shared scratch file
    scratch = target.with_name(f"{target.name}.{os.getpid()}-{uuid4().hex[:8]}"
                               f"{SCRATCH_SUFFIX}")
    try:
        write(scratch)
        scratch.replace(target)
    except OSError as error:
        if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            raise DiskFull(f"the disk holding {target.parent} is full (or the file-size "
                           "limit is reached)", f"nothing was {what}; free some space or "
                           "write it somewhere else") from error
        reason = f" ({error.strerror})" if error.strerror else ""
        raise InvalidValue("out", f"cannot write {path}{reason}; nothing was "
                           f"{what}") from None
    finally:
        scratch.unlink(missing_ok=True)
    return target


def export_to_file(session: Session, fmt: str, path: Path,
                   progress: Callable[[int], None] | None = None) -> int:
    """Export into ``path`` through a scratch file beside it (:func:`write_whole`)."""
    if fmt not in ("json", "csv"):
        raise InvalidValue("format", f"cannot export as {fmt!r}; choose json or csv")
    counted: list[int] = []

    def write(scratch: Path) -> None:
        with scratch.open("w", encoding="utf-8", newline="") as out:
            counted.append(export_tickets(session, fmt, out, progress))
        if fmt == "json":
            from desk_app.services.transfer.attachment_archive import (
                archive_beside,
                write_archive,
            )

            write_archive(session.snapshot(), archive_beside(check_export_target(path)))

    write_whole(path, write, "exported")
    return counted[0]
