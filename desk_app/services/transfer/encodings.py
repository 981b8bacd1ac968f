"""The text encoding of an imported file: UTF-8 (with or without a byte-order mark),
UTF-16 (as Excel's "Unicode text" writes it), or Windows-1252 (an older Excel's CSV);
anything else is refused naming what it looks like."""

import codecs

from desk_app.core.errors import InvalidValue

UTF8 = "UTF-8"
CP1252 = "Windows-1252"
ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the even (odd) bytes of the start are mostly NUL."""
    head = data[:4096]
    if len(head) < 4:
        return None
    odd_nul = head[1::2].count(0) / (len(head) // 2)
    even_nul = head[0::2].count(0) / (len(head) // 2)
    if odd_nul > 0.6 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.1:
        return "utf-16-be"
    return None


def _codec(data: bytes) -> str:
    """The codec its byte-order mark (or its NUL bytes) name, else ``utf-8``."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_bom(data) or "utf-8"


def _has_utf8_characters(data: bytes) -> bool:
    """Whether ``data`` holds well-formed multi-byte UTF-8 characters (Windows-1252 text
    almost never does by chance)."""
    return any(ord(c) > 0x7F and c != "\ufffd"
               for c in data.decode("utf-8", errors="replace"))


def _looks_like(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "a zip archive (an Excel workbook? give it the .xlsx extension)"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    if b"\x00" in data[:4096]:
        return "binary data"
    return "text in an unknown encoding"


def decode(data: bytes, name: str) -> tuple[str, str]:
    """``data`` as text and the name of its encoding; refuses naming what the file
    looks like when it is none of UTF-8, UTF-16 and Windows-1252."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InvalidValue("file", f"{name} is UTF-32 text; save it as UTF-8")
    codec = _codec(data)
    label = "UTF-16" if codec.startswith("utf-16") else UTF8
    try:
        return data.decode(codec), label
    except UnicodeDecodeError as err:
        if codec != "utf-8":
            raise InvalidValue("file", f"{name} is not readable as {label} (byte "
                               f"{err.start + 1}); save it as UTF-8") from None
        utf8_error = err
    if _has_utf8_characters(data):
        raise InvalidValue("file", f"{name} mixes UTF-8 with other bytes (byte "
                           f"{utf8_error.start + 1} is not UTF-8): read as Windows-1252 its "
                           f"accented letters would change; save it as UTF-8") from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or any(c < " " and c not in ALLOWED_CONTROLS for c in text[:65536]):
        raise InvalidValue("file", f"{name} is not UTF-8 text (byte {utf8_error.start + 1} "
                           f"cannot be decoded) and not Windows-1252 either: it looks like "
                           f"{_looks_like(data)}; save it as UTF-8") from None
    return text, CP1252


def sample_text(head: bytes) -> str:
    """The first bytes of a file as text for detecting its format (never refuses)."""
    codec = _codec(head)
    if codec.startswith("utf-16"):  # the sample may end inside a character
        head = head[:len(head) // 2 * 2]
    return head.decode(codec, "replace")
