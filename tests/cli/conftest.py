"""The command line as a person runs it: real argument parsing, a desk in a temporary
folder, a keyring that lives only in the test."""

import pytest

from desk_app.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch, capsys, memory_keyring):
    monkeypatch.setenv("DESK_APP_DATA_DIR", str(tmp_path / "desk"))
    monkeypatch.setenv("DESK_APP_TECHNICIAN", "alice")
    monkeypatch.setenv("DESK_APP_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("TZ", "Europe/London")

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


