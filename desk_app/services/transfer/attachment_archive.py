"""Attachments in a JSON export: a zip beside the JSON file (``tickets.json`` ->
``tickets.attachments.zip``) holding ``manifest.json`` (one entry per attachment:
its id, ticket number, name, type, size, SHA-256, when, by whom, source) and each
content once, as ``content/<sha256>``.

An import reads the zip before any ticket is written: every content is hashed as it is
stored and must match its name, else the whole import is refused naming the entry. The
attachment rows are then added (one activity) to the tickets the import brought or
already had; a row already here is left as it is.
"""

import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from desk_app.core.attachment_rules import check_source, safe_file_name
from desk_app.core.errors import InvalidValue, NotFound
from desk_app.core.permissions import Permission
from desk_app.services.attachments import content_store
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import record_new_row
from desk_app.services.session import Session, activity
from desk_app.services.transfer.records import to_iso
from desk_app.storage.attachment_store import ContentMismatch, check_hash
from desk_app.storage.models import Attachment, Ticket

SUFFIX = ".attachments.zip"
MANIFEST = "manifest.json"
FORMAT = "desk-app attachments"
VERSION = 1


def archive_beside(json_path: Path) -> Path:
    """Where the attachments of the export ``json_path`` go."""
    return json_path.with_name(json_path.stem + SUFFIX)


@dataclass(frozen=True)
class ArchivedAttachment:
    """One manifest entry, checked."""

    id: str
    ticket: str  # the ticket's number
    name: str
    content_type: str
    size: int
    sha256: str
    at: datetime
    by: str
    source: str


def write_archive(session: Session, path: Path) -> tuple[int, int]:
    """Write every attachment whose content is on this desk into the zip ``path``
    (through a scratch file); returns (written, left out for want of content). No
    attachments: no file (an older one of that name is removed)."""
    store = content_store()
    zone = ZoneInfo(session.policy.time_zone)
    rows = list(Attachment.select(Attachment, Ticket.number).join(Ticket)
                .order_by(Attachment.at, Attachment.id).dicts())
    kept = [r for r in rows if store.has(r["sha256"])]
    if not kept:
        path.unlink(missing_ok=True)
        return 0, len(rows)
    manifest = {"format": FORMAT, "version": VERSION, "attachments": [
        {"id": r["id"], "ticket": r["number"], "name": r["name"],
         "content_type": r["content_type"], "size": r["size"], "sha256": r["sha256"],
         "at": to_iso(r["at"], zone), "by": r["by"], "source": r["source"]} for r in kept]}
    scratch = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_DEFLATED,
                             compresslevel=1) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for sha256 in dict.fromkeys(r["sha256"] for r in kept):
                archive.write(store.path_of(sha256), f"content/{sha256}")
        with open(scratch, "rb") as written:
            os.fsync(written.fileno())
        scratch.replace(path)
    finally:
        scratch.unlink(missing_ok=True)
    return len(kept), len(rows) - len(kept)


def read_archive(path: Path) -> list[ArchivedAttachment]:
    """Check the zip ``path`` and store its contents (each must hash to its name);
    returns its entries. Refuses (:class:`InvalidValue`, naming the entry) anything
    wrong; a refused archive adds no attachment."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InvalidValue("attachments", f"{path.name} is not a readable zip ({error})") \
            from None
    with archive:
        entries = _manifest(archive, path.name)
        store = content_store()
        sizes = {e.sha256: e.size for e in entries}
        for sha256, size in sizes.items():
            member = f"content/{sha256}"
            try:
                with archive.open(member) as source:
                    _, stored = store.put_stream(
                        iter(lambda s=source: s.read(1024 * 1024), b""), expected=sha256)
            except KeyError:
                raise InvalidValue("attachments", f"{path.name}: {member} is missing") \
                    from None
            except (ContentMismatch, zipfile.BadZipFile) as error:
                raise InvalidValue("attachments", f"{path.name}: {member} does not match "
                                   f"its SHA-256 ({error}); nothing was imported") from None
            if stored != size:
                raise InvalidValue("attachments", f"{path.name}: {member} is {stored} bytes, "
                                   f"the manifest says {size}; nothing was imported")
    return entries


def _manifest(archive: zipfile.ZipFile, name: str) -> list[ArchivedAttachment]:
    try:
        document = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise InvalidValue("attachments", f"{name} has no {MANIFEST}") from None
    except ValueError as error:
        raise InvalidValue("attachments", f"{name}: {MANIFEST} is not JSON ({error})") \
            from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidValue("attachments", f"{name} is not a desk-app attachments archive")
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise InvalidValue("attachments", f"{name} was written by a newer desk-app")
    entries = []
    for position, item in enumerate(document.get("attachments") or [], 1):
        try:
            entries.append(_entry(item))
        except (KeyError, TypeError, ValueError, InvalidValue) as error:
            raise InvalidValue("attachments", f"{name}: entry {position}: {error}") from None
    return entries


def _entry(item: dict[str, Any]) -> ArchivedAttachment:
    size = item["size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError(f"size {size!r} is not a number of bytes")
    at = datetime.fromisoformat(str(item["at"]))
    if at.tzinfo is None:
        raise ValueError(f"at {item['at']!r} has no time zone")
    return ArchivedAttachment(
        id=str(item["id"])[:64], ticket=str(item["ticket"]), name=safe_file_name(item["name"]),
        content_type=str(item["content_type"])[:200] or "application/octet-stream",
        size=size, sha256=check_hash(item["sha256"]), at=at, by=str(item["by"])[:100],
        source=check_source(str(item["source"])))


@activity(Permission.IMPORT)
def restore_attachments(session: Session, entries: list[ArchivedAttachment]) -> int:
    """Add the archive's attachment rows to their tickets (queued for sync); returns
    how many were new. A ticket the import does not know is refused by number."""
    added = 0
    for entry in entries:
        try:
            ticket = ticket_by_number(entry.ticket)
        except NotFound:
            raise InvalidValue("attachments", f"{entry.name}: no ticket {entry.ticket} "
                               "here or in the export") from None
        if Attachment.get_or_none(Attachment.id == entry.id) is not None:
            continue
        record_new_row(session, Attachment, {
            "id": entry.id, "ticket": ticket.id, "sha256": entry.sha256, "name": entry.name,
            "content_type": entry.content_type, "size": entry.size, "at": entry.at,
            "by": entry.by, "source": entry.source})
        added += 1
    return added
