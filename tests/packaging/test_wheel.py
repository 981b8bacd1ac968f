"""The installable package holds every module and every resource: a plain
``pip install .`` must start, not only the editable install the tests run from."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    source = tmp_path_factory.mktemp("source")
    for name in ("desk_app", "resources", "pyproject.toml", "README.md"):
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(out), str(source)], check=True,
                   capture_output=True)
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_every_module_is_in_the_wheel(wheel_names):
    for module in (ROOT / "desk_app").rglob("*.py"):
        assert str(module.relative_to(ROOT)) in wheel_names, module


def test_every_resource_is_in_the_wheel(wheel_names):
    for resource in (ROOT / "resources").rglob("*"):
        if resource.is_file():
            inside = "desk_app/resources/" + str(resource.relative_to(ROOT / "resources"))
            assert inside in wheel_names, resource
