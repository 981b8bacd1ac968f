"""The text encodings an import reads, and the ones it refuses by name."""

import codecs

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.services.transfer.encodings import decode, sample_text

TEXT = "number,short_description\nINC0010001,Caf\u00e9 \u2013 r\u00e9seau \u20ac\n"


@pytest.mark.parametrize("data, label", [
    (TEXT.encode("utf-8"), "UTF-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "UTF-8"),
    (TEXT.encode("utf-16"), "UTF-16"),
    (TEXT.encode("utf-16-le"), "UTF-16"),
    (TEXT.encode("utf-16-be"), "UTF-16"),
    (TEXT.encode("cp1252"), "Windows-1252"),
])
def test_readable_encodings(data, label):
    assert decode(data, "f.csv") == (TEXT, label)


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"), codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT.encode("utf-16"),
    TEXT.encode("utf-16-le"), TEXT.encode("utf-16-be")])
def test_detection_sample_is_the_text_without_its_mark_even_when_cut_mid_character(data):
    assert sample_text(data) == TEXT
    assert TEXT.startswith(sample_text(data[:-1])[:-1])  # cut: never refused


@pytest.mark.parametrize("data, message", [
    (TEXT.encode("utf-32"), "f.csv is UTF-32 text"),
    (b"PK\x03\x04" + bytes(range(256)), "a zip archive"),
    (b"number\n\x81\x00\x00\x9d", "binary data"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "not readable as UTF-16"),
    # Shift JIS with a byte Windows-1252 leaves undefined (other 8-bit text that happens
    # to decode as Windows-1252 is read as such, with the warning that says so)
    ("number\n\u30c6\u30b9\u30c8\u3001".encode("shift_jis"), "text in an unknown encoding"),
    # UTF-8 text with one stray Windows-1252 byte: read as Windows-1252 every "é" of it
    # would turn into "Ã©" without a word
    ("number\nCaf\u00e9\n".encode("utf-8") + b"Bad\xe9\n", "mixes UTF-8 .*byte 17"),
])
def test_unreadable_encodings_are_named(data, message):
    with pytest.raises(InvalidValue, match=message) as refused:
        decode(data, "f.csv")
    assert refused.value.field == "file" and "save it as UTF-8" in refused.value.message
