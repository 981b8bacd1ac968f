"""services.report_files: a report file is refused when read-only and survives two
writes of the same file at once."""

from pathlib import Path

import pytest

from desk_app.core.errors import InvalidValue
from desk_app.services.report_files import write_report_file


def test_a_read_only_report_file_is_refused_naming_out_and_kept(tmp_path: Path):
    target = tmp_path / "weekly.csv"
    target.write_text("earlier report")
    target.chmod(0o444)
    with pytest.raises(InvalidValue) as refused:
        write_report_file(target, lambda scratch: scratch.write_text("new report"))
    assert refused.value.field == "out"
    assert "read-only" in str(refused.value)
    assert target.read_text() == "earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weekly.csv"]


def test_two_writes_of_one_report_at_once_both_finish_a_whole_file(tmp_path: Path):
    target = tmp_path / "weekly.md"

    def outer(scratch: Path) -> None:
        scratch.write_text("first half of the outer report, ")
        # A second process writes the same report while this one is half-way.
        write_report_file(target, lambda other: other.write_text("inner report"))
        with scratch.open("a") as rest:
            rest.write("second half")

    write_report_file(target, outer)
    assert target.read_text() == "first half of the outer report, second half"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["weekly.md"]
