"""Import from and export to files, choosing the format."""

from collections.abc import Callable
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue
from desk_app.core.permissions import Permission
from desk_app.services.session import Session, reads
from desk_app.services.transfer.csv_format import read_csv, write_csv
from desk_app.services.transfer.importer import ImportResult, import_records
from desk_app.services.transfer.json_format import read_json, write_json
from desk_app.services.transfer.servicenow import read_servicenow

SOURCES = {"json": "desk-app JSON export", "csv": "desk-app CSV",
           "servicenow": "ServiceNow export"}


def detect_format(path: Path, text: str) -> str:
    """json by extension or content; a CSV whose header has incident_state is
    ServiceNow's; any other CSV is ours."""
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        return "json"
    header = text.split("\n", 1)[0]
    return "servicenow" if "incident_state" in header else "csv"


def import_file(session: Session, path: Path, fmt: str | None = None, skip_bad: bool = False,
                progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import the tickets of ``path``; refuses the whole file on any bad row unless
    ``skip_bad``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidValue("file", f"{path} does not exist") from None
    except UnicodeDecodeError:
        raise InvalidValue("file", f"{path} is not UTF-8 text") from None
    fmt = fmt or detect_format(path, text)
    if fmt == "json":
        items, problems = read_json(text), []
    elif fmt == "csv":
        items, problems = read_csv(text)
    elif fmt == "servicenow":
        items, problems = read_servicenow(text, ZoneInfo(session.policy.time_zone))
    else:
        raise InvalidValue("format", f"unknown format {fmt!r}")
    return import_records(session, items, skip_bad=skip_bad, source=SOURCES[fmt],
                          earlier_problems=problems, progress=progress)


@reads
def export_tickets(session: Session, fmt: str, out: TextIO,
                   progress: Callable[[int], None] | None = None) -> int:
    """Write every ticket in ``fmt`` (json or csv); returns the count."""
    session.require(Permission.EXPORT)
    if fmt == "json":
        return write_json(session, out, progress)
    if fmt == "csv":
        return write_csv(session, out, progress)
    raise InvalidValue("format", f"cannot export as {fmt!r}; choose json or csv")


def export_to_file(session: Session, fmt: str, path: Path,
                   progress: Callable[[int], None] | None = None) -> int:
    """Export into ``path`` through a scratch file: an interrupted or cancelled export
    leaves no half-written file (and an earlier file of that name intact)."""
    scratch = path.with_name(path.name + ".part")
    try:
        with scratch.open("w", encoding="utf-8", newline="") as out:
            count = export_tickets(session, fmt, out, progress)
        scratch.replace(path)
    finally:
        scratch.unlink(missing_ok=True)
    return count
