"""The export and the reports write a file whole or not at all: a failure names ``out``,
says nothing was written, and leaves an earlier file of that name as it was."""

import errno
from pathlib import Path

import pytest

from desk_app.core.errors import DiskFull, InvalidValue
from desk_app.services.intake import log_ticket
from desk_app.services.transfer.files import export_to_file, write_whole
from tests.conftest import new_ticket


def _failing(code: int):
    def write(scratch: Path) -> None:
        scratch.write_text("half a file")
        raise OSError(code, "refused for the test")
    return write


def test_a_failed_write_keeps_the_earlier_file_and_names_out(desk, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "report.md"
    target.write_text("last week's report")
    with pytest.raises(InvalidValue) as err:
        write_whole(target, _failing(errno.EACCES))
    assert err.value.field == "out" and "nothing was written" in err.value.message
    assert target.read_text() == "last week's report"
    assert list(target.parent.iterdir()) == [target]  # no scratch file left behind


def test_a_full_disk_is_said_as_such(desk, tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(DiskFull):
        write_whole(tmp_path / "out" / "report.md", _failing(errno.ENOSPC))
    assert not list((tmp_path / "out").iterdir())


def test_the_export_writes_through_the_same_writer(session, tmp_path, monkeypatch):
    log_ticket(session, new_ticket())
    target = tmp_path / "tickets.csv"
    assert export_to_file(session, "csv", target) == 1
    before = target.read_text()
    monkeypatch.setattr(Path, "replace", lambda *_a: (_ for _ in ()).throw(
        OSError(errno.EACCES, "refused for the test")))
    with pytest.raises(InvalidValue) as err:
        export_to_file(session, "csv", target)
    assert err.value.field == "out" and "nothing was exported" in err.value.message
    assert target.read_text() == before
