"""Attachment contents to and from the team database, in chunks of a few MB.

Up: each chunk goes by binary COPY in its own short transaction (an interrupted upload
resumes with the chunks still missing); the server refuses a chunk whose bytes do not
hash to the hash sent with it, and the chunk is sent again. The content row is added
last, so a content is downloadable only once whole.
Down: each chunk's hash is checked as it arrives (a bad one is fetched again), and the
whole content's SHA-256 before it is stored under that name
(:meth:`~desk_app.storage.attachment_store.ContentStore.put_stream`).
"""

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg

from desk_app.storage.attachment_store import ContentMismatch, ContentStore

log = logging.getLogger(__name__)

CHUNK_BYTES = 4 * 1024 * 1024
ATTEMPTS = 3


class TransferFailed(Exception):
    """A content could not be moved whole and unchanged (nothing was stored)."""


@dataclass
class TransferReport:
    """What one round of content transfers did."""

    uploaded: list[str] = field(default_factory=list)
    downloaded: list[str] = field(default_factory=list)
    bytes_up: int = 0
    bytes_down: int = 0
    problems: list[str] = field(default_factory=list)


def contents_on_server(conn: psycopg.Connection, hashes: list[str]) -> set[str]:
    """Which of these contents the team database holds whole."""
    if not hashes:
        return set()
    return {row[0] for row in conn.execute(
        "SELECT sha256 FROM desk.attachment_content WHERE sha256 = ANY(%s)", (hashes,))}


def upload(conn: psycopg.Connection, store: ContentStore, sha256: str, size: int,
           chunk_bytes: int | None = None) -> int:
    """Send the stored content ``sha256`` (``size`` bytes) in chunks of ``chunk_bytes``
    (default :data:`CHUNK_BYTES`) unless the team database has it; returns the bytes
    sent. The local copy is checked first: a damaged one is never sent under the name."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    if contents_on_server(conn, [sha256]):
        return 0
    if store.verified_path(sha256) is None:
        raise TransferFailed(f"the local copy of {sha256[:12]}... is missing or damaged")
    present = {row[0] for row in conn.execute(
        "SELECT idx FROM desk.attachment_chunk WHERE sha256 = %s AND chunk_bytes = %s",
        (sha256, chunk_bytes))}
    sent = chunks = 0
    for index, block in enumerate(store.read_blocks(sha256, chunk_bytes)):
        chunks = index + 1
        if index not in present:
            _send_chunk(conn, sha256, chunk_bytes, index, block)
            sent += len(block)
    conn.execute("INSERT INTO desk.attachment_content (sha256, size, chunk_bytes, chunks) "
                 "VALUES (%s, %s, %s, %s) ON CONFLICT (sha256) DO NOTHING",
                 (sha256, size, chunk_bytes, chunks))
    return sent


def _send_chunk(conn: psycopg.Connection, sha256: str, chunk_bytes: int, index: int,
                block: bytes) -> None:
    digest = hashlib.sha256(block).digest()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with conn.transaction(), conn.cursor() as cursor, cursor.copy(
                    "COPY desk.attachment_chunk (sha256, chunk_bytes, idx, chunk_sha256, "
                    "data) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["text", "int4", "int4", "bytea", "bytea"])
                copy.write_row((sha256, chunk_bytes, index, digest, block))
            return
        except psycopg.errors.UniqueViolation:
            return  # another desk sent the same chunk meanwhile
        except psycopg.errors.CheckViolation as error:
            log.warning("chunk %d of %s refused by the server (attempt %d): %s",
                        index, sha256[:12], attempt, error)
    raise TransferFailed(f"chunk {index} of {sha256[:12]}... was refused by the team "
                         f"database {ATTEMPTS} times (its bytes did not match its hash)")


def download(conn: psycopg.Connection, store: ContentStore, sha256: str) -> int:
    """Fetch the content ``sha256`` into the store, checking every chunk and the whole;
    returns its size. :class:`TransferFailed` when the team database lacks it or its
    bytes are wrong (nothing stored)."""
    row = conn.execute("SELECT size, chunks, chunk_bytes FROM desk.attachment_content "
                       "WHERE sha256 = %s", (sha256,)).fetchone()
    if row is None:
        raise TransferFailed(f"the team database does not hold {sha256[:12]}... yet (the "
                             "desk that added it has not synced since)")
    size, chunks, chunk_bytes = row
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _, length = store.put_stream(_chunks(conn, sha256, chunk_bytes, chunks),
                                         expected=sha256)
        except ContentMismatch as error:
            log.warning("content %s refused (attempt %d): %s", sha256[:12], attempt, error)
            continue
        if length != size:  # cannot happen with a matching hash; say so if it does
            raise TransferFailed(f"{sha256[:12]}... is {length} bytes, the team database "
                                 f"says {size}")
        return length
    raise TransferFailed(f"the team database's copy of {sha256[:12]}... is damaged (its "
                         f"bytes do not hash to its name after {ATTEMPTS} tries); it was "
                         "not stored; the desk that added it can send it again")


def _chunks(conn: psycopg.Connection, sha256: str, chunk_bytes: int,
            count: int) -> Iterator[bytes]:
    for index in range(count):
        for attempt in range(1, ATTEMPTS + 1):
            row = conn.execute("SELECT chunk_sha256, data FROM desk.attachment_chunk "
                               "WHERE sha256 = %s AND chunk_bytes = %s AND idx = %s",
                               (sha256, chunk_bytes, index)).fetchone()
            if row is None:
                raise ContentMismatch(f"chunk {index} of {sha256[:12]}... is missing")
            digest, data = bytes(row[0]), bytes(row[1])
            if hashlib.sha256(data).digest() == digest:
                yield data
                break
            log.warning("chunk %d of %s arrived damaged (attempt %d)", index, sha256[:12],
                        attempt)
        else:
            raise ContentMismatch(f"chunk {index} of {sha256[:12]}... arrived damaged "
                                  f"{ATTEMPTS} times")
