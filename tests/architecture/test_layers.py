"""The layer rules of the design notes, checked by import-linter on every test run."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


def test_the_contracts_catch_a_violation(tmp_path):
    """A contract that would pass anything proves nothing: break one on a copy."""
    import shutil

    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "desk_app", copy / "desk_app")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "desk_app" / "core" / "leak.py").write_text("import peewee\n")
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=copy, capture_output=True, text=True,
                            check=False, env={"PYTHONPATH": str(copy), "PATH": ""})
    assert result.returncode != 0
    assert "core is pure Python" in result.stdout
