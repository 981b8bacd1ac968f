"""Long texts on the command line: TEXT, @FILE, @- and @@TEXT."""

import os
import threading

import pytest

from desk_app.cli.text_options import option_text
from desk_app.core.errors import InvalidValue
from desk_app.services import input_files


def test_a_text_that_starts_with_at_is_written_with_two():
    assert option_text("text", "@@alice restarted the gateway") == "@alice restarted the gateway"
    assert option_text("text", "@@") == "@"
    assert option_text("text", "plain") == "plain"


def test_a_missing_file_says_how_to_write_a_text_starting_with_at(tmp_path):
    with pytest.raises(InvalidValue) as refused:
        option_text("status", f"@{tmp_path / 'alice'}")
    assert refused.value.field == "status"
    assert "no such file" in refused.value.message and "@@" in refused.value.message


def test_a_pipe_nobody_writes_to_is_refused_naming_the_option(tmp_path, monkeypatch):
    monkeypatch.setattr(input_files, "PIPE_WAIT_SECONDS", 0.2)
    pipe = tmp_path / "status.txt"
    os.mkfifo(pipe)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            option_text("status", f"@{pipe}")
        except BaseException as error:
            outcome.append(error)

    # in a thread: opening the pipe as before the fix would hang the test run
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "still waiting for a writer"
    assert isinstance(outcome[0], InvalidValue) and outcome[0].field == "status"
    assert "is a pipe nothing was written to" in outcome[0].message


def test_a_pipe_that_is_written_to_is_read(tmp_path):
    pipe = tmp_path / "status.txt"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text("Relays restarted",
                                                             encoding="utf-8"))
    writer.start()
    try:
        assert option_text("status", f"@{pipe}") == "Relays restarted"
    finally:
        writer.join(5)
