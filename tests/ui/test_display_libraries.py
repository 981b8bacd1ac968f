"""The check before Qt starts on xcb: a missing system library is named with the package
of this distribution; nothing is said (or loaded) when all are there or xcb is not used."""

import shutil
import subprocess
from pathlib import Path

import pytest

from desk_app.ui import display_libraries as check
from desk_app.ui.display_libraries import (
    LIBRARIES,
    DisplayLibrariesMissing,
    check_display_libraries,
    distribution_family,
    missing_libraries,
    uses_xcb,
)

X11 = {"DISPLAY": ":0"}
DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'


def _loader(missing: dict[str, str]):
    """A loader that fails for ``missing`` (name -> the file the loader reports)."""
    loaded = []

    def load(name: str):
        loaded.append(name)
        if name in missing:
            raise OSError(f"{missing[name]}: cannot open shared object file: "
                          "No such file or directory")
        return object()

    load.loaded = loaded  # type: ignore[attr-defined]
    return load


def _os_release(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "os-release"
    path.write_text(text)
    return path


def test_a_missing_library_is_named_with_its_package(tmp_path):
    load = _loader({"libxcb-icccm.so.4": "libxcb-icccm.so.4"})
    with pytest.raises(DisplayLibrariesMissing) as missing:
        check_display_libraries(X11, load, _os_release(tmp_path, DEBIAN), "linux")
    assert missing.value.missing == ["libxcb-icccm.so.4"]
    assert "libxcb-icccm.so.4" in missing.value.problem
    assert "not installed" in missing.value.problem
    assert missing.value.advice.startswith("install it: sudo apt install libxcb-icccm4;")


def test_a_library_failing_for_one_it_needs_names_that_one(tmp_path):
    load = _loader({"libxcb-cursor.so.0": "libxcb-image.so.0",
                    "libxcb-image.so.0": "libxcb-image.so.0",
                    "libxcb-keysyms.so.1": "libxcb-keysyms.so.1"})
    fedora = _os_release(tmp_path, 'NAME="Fedora Linux"\nID=fedora\n')
    with pytest.raises(DisplayLibrariesMissing) as missing:
        check_display_libraries(X11, load, fedora, "linux")
    assert missing.value.missing == ["libxcb-image.so.0", "libxcb-keysyms.so.1"]
    assert "sudo dnf install xcb-util-image xcb-util-keysyms" in missing.value.advice


def test_all_there_says_nothing(tmp_path):
    load = _loader({})
    check_display_libraries(X11, load, _os_release(tmp_path, DEBIAN), "linux")
    assert load.loaded == list(LIBRARIES)  # type: ignore[attr-defined]


@pytest.mark.parametrize("environ", [
    {"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"},
    {},  # no display at all
    {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"},
    {"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"},
])
def test_nothing_is_checked_when_qt_will_not_use_xcb(environ, tmp_path):
    load = _loader({name: name for name in LIBRARIES})
    check_display_libraries(environ, load, tmp_path / "none", "linux")
    check_display_libraries(X11, load, tmp_path / "none", "darwin")
    check_display_libraries(X11, load, tmp_path / "none", "win32")
    assert load.loaded == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("environ", "xcb"), [
    ({"DISPLAY": ":0"}, True),
    ({"QT_QPA_PLATFORM": "xcb", "DISPLAY": ":1"}, True),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, True),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11", "WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, True),  # no compositor to reach
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, False),
])
def test_when_qt_uses_xcb(environ, xcb):
    assert uses_xcb(environ, "linux") is xcb


@pytest.mark.parametrize(("text", "family"), [
    (DEBIAN, "debian"),
    ('ID=ubuntu\nID_LIKE=debian\n', "debian"),
    ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "debian"),
    ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "fedora"),
    ('ID="rhel"\n', "fedora"),
    ('ID=arch\n', "arch"),
    ('ID=manjaro\nID_LIKE=arch\n', "arch"),
    ('ID="opensuse-tumbleweed"\nID_LIKE="opensuse suse"\n', "suse"),
    ('ID="sles"\n', "suse"),
    ('ID=alpine\n', None),
])
def test_distribution_family_from_os_release(text, family):
    assert distribution_family(text) == family


def test_another_distribution_points_to_the_readme(tmp_path):
    load = _loader({"libxcb-keysyms.so.1": "libxcb-keysyms.so.1"})
    with pytest.raises(DisplayLibrariesMissing) as missing:
        check_display_libraries(X11, load, _os_release(tmp_path, "ID=alpine\n"), "linux")
    assert "libxcb-keysyms.so.1" in missing.value.advice and "README" in missing.value.advice
    with pytest.raises(DisplayLibrariesMissing):  # no os-release at all
        check_display_libraries(X11, load, tmp_path / "absent", "linux")


def test_a_bundled_copy_is_loaded_from_the_bundle(tmp_path):
    (tmp_path / "libxcb-icccm.so.4").write_bytes(b"")
    load = _loader({"libxcb-icccm.so.4": "libxcb-icccm.so.4"})
    assert missing_libraries(load, tmp_path) == []
    assert str(tmp_path / "libxcb-icccm.so.4") in load.loaded  # type: ignore[attr-defined]


def test_the_list_covers_what_the_installed_qt_xcb_plugin_links():
    import PySide6

    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.skip("objdump (binutils) is not installed")
    qt = Path(PySide6.__file__).parent / "Qt"
    needed = set()
    for library in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        dump = subprocess.run([objdump, "-p", str(library)], capture_output=True, text=True,
                              check=True).stdout
        needed |= {line.split()[1] for line in dump.splitlines()
                   if line.strip().startswith("NEEDED")}
    system = {name for name in needed if not name.startswith(("libQt6", "libpyside",
                                                              "libshiboken"))}
    core = {"libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libpthread.so.0",
            "libdl.so.2", "librt.so.1", "ld-linux-x86-64.so.2"}
    assert system - core <= set(LIBRARIES), system - core - set(LIBRARIES)
    assert all(len(packages) == len(check.FAMILIES) for packages in LIBRARIES.values())


@pytest.mark.parametrize(("missing", "advice"), [
    (["libXau.so.6"], "install it: the package(s) that provide libXau.so.6;"),
    (["libXau.so.6", "libxcb-cursor.so.0"],
     "install them: sudo apt install libxcb-cursor0 and the package(s) that provide "
     "libXau.so.6;"),
])
def test_a_library_not_in_the_list_is_named_not_an_empty_install(missing, advice):
    text = str(DisplayLibrariesMissing(missing, "debian"))
    assert advice in text
    assert "install ;" not in text


def test_ci_installs_every_package_the_readme_lists_for_debian():
    """.ci/run runs the bundle under Xvfb with "the README's Debian list": the same list,
    so a library the README asks people for cannot be missing only on CI."""
    import re

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    debian = re.search(r"\| Debian[^|]*\| `sudo apt install ([^`]+)`", readme).group(1).split()
    script = (root / ".ci" / "run").read_text(encoding="utf-8")
    ci = re.search(r"display_packages=\(([^)]*)\)", script).group(1).split()
    assert set(debian) <= set(ci), sorted(set(debian) - set(ci))
    assert {packages[0] for packages in LIBRARIES.values()} <= set(debian)
