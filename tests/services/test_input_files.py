"""Reading a named file: each failure is a refusal naming the file."""

import os
import threading

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.services import input_files
from desk_app.services.input_files import read_input_bytes, read_input_text


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


def test_a_pipe_nobody_writes_to_is_refused_after_a_wait_not_waited_on_forever(
        tmp_path, monkeypatch):
    monkeypatch.setattr(input_files, "PIPE_WAIT_SECONDS", 0.2)
    pipe = tmp_path / "tickets.json"
    os.mkfifo(pipe)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_input_bytes(pipe)
        except BaseException as error:
            outcome.append(error)

    # in a thread: reading the pipe as before the fix would hang the test run
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "still waiting for a writer"
    refused = outcome[0]
    assert isinstance(refused, InvalidValue) and refused.field == "file"
    assert "tickets.json is a pipe" in refused.message


def test_a_pipe_that_is_written_to_is_read_whole(tmp_path):
    pipe = tmp_path / "tickets.json"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("wb") as sink:
            sink.write(b"x" * 100_000)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert read_input_bytes(pipe) == b"x" * 100_000
    finally:
        writer.join(5)
