"""``desk-app report --out`` that cannot be written (a folder, a missing folder, a
device) is refused naming ``out`` in every format, never a traceback."""

import pytest


@pytest.mark.parametrize("kind", ["md", "csv", "pdf"])
def test_an_out_that_cannot_be_written_is_refused(run, tmp_path, kind):
    folder = tmp_path / "reports"
    folder.mkdir()
    for out in (folder, tmp_path / "missing" / f"r.{kind}"):
        code, _out, err = run("report", "--format", kind, "--out", str(out))
        assert code == 2 and "refused: out:" in err, (out, err)
        assert "internal error" not in err
    assert list(folder.iterdir()) == []


def test_a_device_that_refuses_writes_is_refused(run, tmp_path):
    code, _out, err = run("report", "--format", "csv", "--out", "/dev/full")
    assert code == 2 and "refused: out:" in err and "internal error" not in err
