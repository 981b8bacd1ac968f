"""Files on tickets: attach (a path or bytes), list, get the content (checked by its
hash, fetched from the team database when this desk lacks it), copy out.

A file's content is stored by its SHA-256 before the activity that records it runs, so
the write lock is never held while a big file is copied; the row is then written,
with its sync outbox entry, in one activity. A content stored without a row (the
activity was refused) is harmless: it is the file's own bytes under its own hash.
"""

import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desk_app.core.attachment_rules import (
    AttachmentRules,
    check_source,
    guessed_type,
    safe_file_name,
)
from desk_app.core.enums import Status
from desk_app.core.errors import InvalidValue, NotFound, Refused
from desk_app.core.permissions import Permission
from desk_app.services.lookup import ticket_by_number
from desk_app.services.recording import record_new_row
from desk_app.services.session import Session, activity, reads
from desk_app.storage.attachment_queries import attachments_of, mark_sent
from desk_app.storage.attachment_store import ContentStore
from desk_app.storage.database import database
from desk_app.storage.models import Attachment, Ticket

MAX_CONTENT_TYPE = 200


@dataclass(frozen=True)
class AttachmentInfo:
    """One attachment as screens and commands show it."""

    id: str
    ticket_id: str
    name: str
    content_type: str
    size: int
    sha256: str
    at: datetime
    by: str
    source: str
    here: bool  # the content is on this desk

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_text(self) -> bool:
        return self.content_type.startswith("text/") or self.content_type in (
            "application/json", "application/xml", "application/x-log")


@dataclass(frozen=True)
class StoredFile:
    """A content already in the store, waiting for its row."""

    name: str
    content_type: str
    sha256: str
    size: int


def content_store() -> ContentStore:
    """The open desk's attachment store (``attachments`` beside its database)."""
    return ContentStore.beside(database.database)


def rules_of(session: Session) -> AttachmentRules:
    """The attachment rules of the session's policy."""
    return AttachmentRules.from_section(session.policy.sections.get("attachments"))


def _content_type(value: str | None, name: str) -> str:
    text = (value or "").split(";")[0].strip().lower()
    if not text or len(text) > MAX_CONTENT_TYPE or "/" not in text:
        return guessed_type(name)
    return text


@activity(Permission.WORKLOG)
def attach_bytes(session: Session, ticket: Ticket | str, name: str, content_type: str | None,
                 data: bytes, source: str = "email", row_id: str | None = None) -> Attachment:
    """Attach ``data`` as the file ``name`` to ``ticket`` (a ticket or its number);
    joins a running activity (mail import). Refused over the policy's size limit.
    ``row_id``: a rule's deterministic id (a mail's file: every desk that imports the
    message makes the same row)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InvalidValue("file", "the content must be bytes")
    data = bytes(data)
    check_source(source)
    target = ticket_by_number(ticket) if isinstance(ticket, str) else ticket
    safe = safe_file_name(name)
    rules_of(session).check_size(len(data), safe)
    sha256, size = content_store().put_bytes(data)
    return _record(session, target, StoredFile(safe, _content_type(content_type, safe),
                                               sha256, size), source, row_id)


def attach_files(session: Session, number: str, paths: Iterable[str | Path],
                 source: str = "upload") -> list[Attachment]:
    """Attach files by path to the ticket ``number``, all or none: every file is
    checked (exists, readable, under the limit) before any is recorded."""
    check_source(source)
    session.require(Permission.WORKLOG)  # before any file is copied
    rules = rules_of(session)
    files = [Path(p) for p in paths]
    if not files:
        raise InvalidValue("file", "no file given")
    for path in files:
        if not path.is_file():
            raise InvalidValue("file", f"{path} is not a file" if path.exists()
                               else f"{path} does not exist")
        rules.check_size(path.stat().st_size, path.name)
    store = content_store()
    stored = []
    for path in files:
        try:
            sha256, size = store.put_file(path)
        except PermissionError:
            raise InvalidValue("file", f"{path} cannot be read (no permission)") from None
        rules.check_size(size, path.name)  # it grew while we read it
        safe = safe_file_name(path.name)
        stored.append(StoredFile(safe, guessed_type(safe), sha256, size))
    return _record_all(session, number, stored, source)


@activity(Permission.WORKLOG)
def _record_all(session: Session, number: str, stored: list[StoredFile],
                source: str) -> list[Attachment]:
    ticket = ticket_by_number(number)
    return [_record(session, ticket, item, source) for item in stored]


def _record(session: Session, ticket: Ticket, item: StoredFile, source: str,
            row_id: str | None = None) -> Attachment:
    if source == "upload" and ticket.status in (Status.CLOSED, Status.CANCELLED):
        raise Refused("status", f"{ticket.number} is {ticket.status}; reopen it to add files")
    values = {"ticket": ticket.id, "sha256": item.sha256, "name": item.name,
              "content_type": item.content_type, "size": item.size, "at": session.now(),
              "by": session.login, "source": source} | ({"id": row_id} if row_id else {})
    return record_new_row(session, Attachment, values)


def _info(row: Attachment, store: ContentStore) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.ticket_id, row.name, row.content_type, row.size,
                          row.sha256, row.at, row.by, row.source, store.has(row.sha256))


@reads
def list_attachments(session: Session, number: str) -> list[AttachmentInfo]:
    """The attachments of the ticket ``number``, oldest first."""
    ticket = ticket_by_number(number)
    store = content_store()
    return [_info(row, store) for row in attachments_of(ticket.id)]


def ticket_attachments(ticket_id: str) -> list[AttachmentInfo]:
    """The attachments of the ticket with this id (the ticket view's read)."""
    store = content_store()
    return [_info(row, store) for row in attachments_of(ticket_id)]


def attachment(attachment_id: str) -> AttachmentInfo:
    """One attachment by id; :class:`NotFound` when there is none."""
    row = Attachment.get_or_none(Attachment.id == str(attachment_id).strip())
    if row is None:
        raise NotFound("attachment", f"no attachment {attachment_id!r} on this desk")
    return _info(row, content_store())


def content_path(attachment_id: str) -> Path:
    """The stored, hash-checked file of an attachment, fetched from the team database
    when this desk lacks it (or its copy was damaged)."""
    missing = missing_content(attachment_id)
    if missing is not None:
        download_content(missing)
        mark_sent([missing.info.sha256])
    info = attachment(attachment_id)
    path = content_store().verified_path(info.sha256)
    if path is None:  # a download is checked before it is stored: cannot happen
        raise Refused("attachment", f"{info.name}: the fetched content did not keep")
    return path


@dataclass(frozen=True)
class MissingContent:
    """An attachment whose content is not on this desk, and where to fetch it from
    (``settings`` None: this desk has no team database)."""

    info: AttachmentInfo
    settings: Any


def missing_content(attachment_id: str) -> MissingContent | None:
    """None when the attachment's content is here and sound; else what to fetch (the
    database part of opening a file: run it where the database is)."""
    from desk_app.services.team_sync import remote_settings

    info = attachment(attachment_id)
    if content_store().verified_path(info.sha256) is not None:
        return None
    return MissingContent(info, remote_settings())


def content_fetched(missing: MissingContent) -> None:
    """Note that the team database holds a content just fetched from it."""
    mark_sent([missing.info.sha256])


def download_content(missing: MissingContent) -> None:
    """Fetch a missing content from the team database into the store, checked (the
    network part of opening a file: it touches no local database)."""
    import psycopg

    from desk_app.sync.attachment_content import TransferFailed, download
    from desk_app.sync.remote import connect, describe_error

    name = missing.info.name
    if missing.settings is None:
        raise Refused("attachment", f"{name}: its content is not on this desk and there "
                      "is no team database to fetch it from")
    try:
        with connect(missing.settings) as conn:
            download(conn, content_store(), missing.info.sha256)
    except psycopg.Error as error:
        raise Refused("attachment", f"{name}: its content is not on this desk and the "
                      f"team database could not be reached ({describe_error(error)}); "
                      "try again when online") from None
    except TransferFailed as error:
        raise Refused("attachment", f"{name}: {error}") from None


def save_copy(attachment_id: str, out: str | Path, force: bool = False) -> Path:
    """Copy an attachment's content to ``out`` (a folder: under its safe name there);
    an existing file is refused unless ``force``. Returns the path written."""
    if not str(out).strip():
        raise InvalidValue("out", "the path is blank; give a file or a folder")
    info = attachment(attachment_id)
    target = Path(out)
    if target.is_dir():
        target = target / safe_file_name(info.name)
    if target.exists() and not force:
        raise Refused("out", f"{target} exists; use --force to overwrite it")
    if not target.parent.is_dir():
        existing = next((folder for folder in target.parents if folder.exists()), None)
        if existing is not None and not existing.is_dir():
            raise InvalidValue("out", f"{existing} is a file, not a folder")
        raise InvalidValue("out", f"the folder {target.parent} does not exist")
    source = content_path(attachment_id)
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.copyfile(source, partial)
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise InvalidValue("out", f"{target} cannot be written "
                           f"({error.strerror or error})") from None
    return target


def viewer_copy(attachment_id: str) -> Path:
    """A temporary copy under the attachment's own (safe) name, for the system viewer
    (which picks the program by the name; the store's files have none)."""
    info = attachment(attachment_id)
    folder = Path(tempfile.mkdtemp(prefix="desk-attachment-"))
    return save_copy(attachment_id, folder / safe_file_name(info.name))


def drop_unreferenced(hashes: Iterable[str]) -> int:
    """Remove these contents from the store when no attachment here refers to them
    (after a rolled-back rehearsal); returns how many were removed."""
    store = content_store()
    removed = 0
    for sha256 in set(hashes):
        if Attachment.get_or_none(Attachment.sha256 == sha256) is None and store.has(sha256):
            store.path_of(sha256).unlink()
            removed += 1
    return removed
