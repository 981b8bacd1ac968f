"""Attachments: safe file names, the size limit and the other policy settings, the
sources an attachment comes from, sizes as people read them. Pure rules, no I/O."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk_app.core.errors import InvalidValue

SOURCES = ("upload", "email", "import")
MAX_NAME_CHARS = 120
DEFAULT_MAX_SIZE_MB = 25
DEFAULT_NAME = "attachment"
MB = 1024 * 1024
# Names Windows refuses whatever the extension (CON.txt opens the console).
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                       *(f"lpt{i}" for i in range(1, 10))})
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


@dataclass(frozen=True)
class AttachmentRules:
    """The policy's ``attachments`` section: the largest file a ticket takes, and
    whether the files of my tickets are downloaded ahead of time."""

    max_bytes: int = DEFAULT_MAX_SIZE_MB * MB
    prefetch_mine: bool = True

    @classmethod
    def from_section(cls, section: Mapping[str, Any] | None) -> "AttachmentRules":
        """The rules of a stored (already validated) section; defaults when absent."""
        section = section or {}
        megabytes = section.get("max_size_mb", DEFAULT_MAX_SIZE_MB)
        return cls(int(float(megabytes) * MB), bool(section.get("prefetch_my_tickets", True)))

    def check_size(self, size: int, name: str) -> None:
        """Refuse a file larger than the limit, naming the limit and where it is set."""
        if size > self.max_bytes:
            raise InvalidValue("file", f"{name} is {human_size(size)}, over the limit of "
                               f"{human_size(self.max_bytes)} a file (policy "
                               "attachments.max_size_mb)")


def safe_file_name(name: str) -> str:
    """``name`` as a plain file name that is safe in any folder: no folders
    (``../../etc/passwd`` is ``passwd``), no control or path characters, no leading
    dots or trailing spaces, no Windows device names, at most 120 characters with the
    extension kept; ``attachment`` when nothing is left."""
    text = unicodedata.normalize("NFC", str(name))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c
                   for c in text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem:
        stem, extension = text, ""
    if len(extension) > 16 or " " in extension:
        stem, extension = text, ""
    if stem.split(".")[0].strip().casefold() in _RESERVED:
        stem = "_" + stem
    room = MAX_NAME_CHARS - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .")
    if not stem:
        stem = DEFAULT_NAME
    return f"{stem}.{extension}" if extension else stem


def check_source(source: str) -> str:
    """The source of an attachment, refused unless it is one of :data:`SOURCES`."""
    if source not in SOURCES:
        raise InvalidValue("source", f"{source!r} is not one of {', '.join(SOURCES)}")
    return source


def human_size(size: int) -> str:
    """1536 -> "1.5 KB"; whole bytes below a kilobyte."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}".replace(".0 ", " ")
    raise AssertionError("unreachable")


# Text files the platform's type table may not know (log files above all).
_TEXT_EXTENSIONS = frozenset({"log", "txt", "out", "err", "ini", "cfg", "conf", "yaml", "yml",
                              "toml", "md", "csv", "tsv", "trace"})


def guessed_type(name: str) -> str:
    """A content type from the file name (``application/octet-stream`` when unknown)."""
    import mimetypes

    found = mimetypes.guess_type(name, strict=False)[0]
    if found:
        return found
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    return "text/plain" if extension in _TEXT_EXTENSIONS else "application/octet-stream"
