"""Reading a named file: each failure is a refusal naming the file."""

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.services.input_files import read_input_text


@pytest.mark.parametrize(("content", "name", "message"), [
    (None, "missing.csv", "does not exist"),
    ("folder", "tickets", "is a folder, not a file"),
    (b"caf\xe9", "latin1.csv", "latin1.csv is not UTF-8 text (byte 4"),
])
def test_unreadable_files_are_refused_with_their_name(tmp_path, content, name, message):
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidValue) as refused:
        read_input_text(path)
    assert refused.value.field == "file" and message in refused.value.message


def test_a_byte_order_mark_goes_and_line_ends_stay_when_asked(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'\xef\xbb\xbfa,"x\r\ny"\r\n')
    assert read_input_text(path, newline="") == 'a,"x\r\ny"\r\n'
    assert read_input_text(path) == 'a,"x\ny"\n'
