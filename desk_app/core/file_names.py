"""File names that came from outside (a mail attachment, a dropped file) made safe to
store and to offer for saving: no folders, no control characters, never empty, never
longer than file systems allow."""

import re
import unicodedata

MAX_NAME_BYTES = 200  # below every common file system's 255-byte limit, room for a suffix
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)


def safe_file_name(name: str | None, fallback: str = "attachment") -> str:
    """``name`` without any folder part, control or reserved characters, leading dots,
    Windows device names, and at most :data:`MAX_NAME_BYTES` bytes in UTF-8 (the
    extension kept); ``fallback`` when nothing usable is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]  # the last path element only
    text = _UNSAFE.sub("_", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    text = text.strip().lstrip(".").rstrip(". ")
    if not text or not any(ch.isalnum() for ch in text):
        text = fallback
    if _RESERVED.match(text):
        text = "_" + text
    return _shortened(text)


def _shortened(name: str) -> str:
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16 or not stem:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(". ")
    return (cut or "attachment") + suffix
