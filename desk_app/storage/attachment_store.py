"""The attachment store: file contents kept by their SHA-256 under the data folder
(``attachments/ab/cdef...``), so the same file twice is stored once.

A content is written to a temporary file in the same folder, flushed to disk and
renamed to its hash name only once its hash is known (and, for downloads, checked):
a crash, a full disk or a wrong hash never leaves a half or false file under a hash
name. A read-only folder or a full disk is an
:class:`~desk_app.core.errors.EnvironmentProblem` that says what to do.
"""

import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from desk_app.core.errors import DeskUnavailable, DiskFull, InvalidValue

FOLDER = "attachments"
READ_BLOCK = 1024 * 1024
_HASH = re.compile(r"^[0-9a-f]{64}$")
_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


class ContentMismatch(Exception):
    """Bytes did not hash to the SHA-256 they were meant to have (nothing was stored)."""


def check_hash(sha256: str) -> str:
    """``sha256`` when it is 64 lower-case hex digits; refused otherwise (hashes come
    from files and the wire, and name files)."""
    if not isinstance(sha256, str) or not _HASH.match(sha256):
        raise InvalidValue("sha256", f"{sha256!r} is not a SHA-256 in hex")
    return sha256


class ContentStore:
    """Contents by SHA-256 in ``root`` (the data folder's ``attachments``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def beside(cls, database_path: str | os.PathLike) -> "ContentStore":
        """The store of the desk whose database file is ``database_path``."""
        return cls(Path(database_path).parent / FOLDER)

    def path_of(self, sha256: str) -> Path:
        """Where the content ``sha256`` is (or would be) stored."""
        check_hash(sha256)
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        """True when the content is stored here."""
        return self.path_of(sha256).is_file()

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        """Store ``data``; returns (sha256, size)."""
        return self.put_stream(iter((data,)))

    def put_file(self, source: Path) -> tuple[str, int]:
        """Store a copy of the file ``source``; returns (sha256, size)."""
        with open(source, "rb") as handle:
            return self.put_stream(_blocks(handle))

    def put_stream(self, blocks: Iterable[bytes], expected: str | None = None
                   ) -> tuple[str, int]:
        """Store the concatenated ``blocks``; returns (sha256, size). With ``expected``
        the content must hash to it, else :class:`ContentMismatch` and nothing stored."""
        if expected is not None:
            check_hash(expected)
        with self._writing() as (handle, temporary):
            digest, size = hashlib.sha256(), 0
            for block in blocks:
                digest.update(block)
                size += len(block)
                handle.write(block)
            handle.flush()
            os.fsync(handle.fileno())
            sha256 = digest.hexdigest()
            if expected is not None and sha256 != expected:
                raise ContentMismatch(f"the content hashes to {sha256[:12]}..., not "
                                      f"{expected[:12]}...; it was not stored")
            target = self.path_of(sha256)
            if target.is_file() and _hash_of(target) == sha256:
                return sha256, size  # stored before: keep the one copy
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, target)
            _sync_folder(target.parent)
        return sha256, size

    def verified_path(self, sha256: str) -> Path | None:
        """The stored file when its bytes still hash to ``sha256``; a damaged copy is
        removed (it can be fetched again) and None returned, as for a missing one."""
        path = self.path_of(sha256)
        if not path.is_file():
            return None
        if _hash_of(path) != sha256:
            path.unlink(missing_ok=True)
            return None
        return path

    def contents(self) -> Iterator[str]:
        """The SHA-256 of every content stored here (temporary files left out)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for file in sorted(folder.iterdir()):
                if _HASH.match(folder.name + file.name) and file.is_file():
                    yield folder.name + file.name

    def copy_missing_into(self, other: "ContentStore") -> int:
        """Copy every content of this store that ``other`` lacks, each checked against
        its hash on the way (a damaged one is skipped, never copied); returns how many
        were copied."""
        copied = 0
        for sha256 in self.contents():
            if other.has(sha256):
                continue
            with open(self.path_of(sha256), "rb") as handle:
                try:
                    other.put_stream(_blocks(handle), expected=sha256)
                except ContentMismatch:
                    continue
            copied += 1
        return copied

    def read_blocks(self, sha256: str, size: int) -> Iterator[bytes]:
        """The stored content in blocks of ``size`` bytes."""
        with open(self.path_of(sha256), "rb") as handle:
            yield from _blocks(handle, size)

    @contextmanager
    def _writing(self) -> Iterator[tuple[BinaryIO, str]]:
        temporary = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
            with os.fdopen(descriptor, "wb") as handle:
                yield handle, temporary
        except OSError as error:
            raise self._problem(error) from error
        finally:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)

    def _problem(self, error: OSError) -> Exception:
        if error.errno in _FULL:
            return DiskFull(f"the disk holding the attachments folder {self.root} is full",
                            "nothing was stored; free some space and try again")
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return DeskUnavailable(f"the attachments folder {self.root} cannot be written "
                                   "(read-only, or not yours)",
                                   "nothing was stored; make it writable and try again")
        return DeskUnavailable(f"writing to the attachments folder {self.root} failed "
                               f"({error.strerror or error})",
                               "nothing was stored; check the disk and try again")


def _blocks(handle: BinaryIO, size: int = READ_BLOCK) -> Iterator[bytes]:
    while block := handle.read(size):
        yield block


def _hash_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in _blocks(handle):
            digest.update(block)
    return digest.hexdigest()


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (a folder cannot be opened for this on Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
