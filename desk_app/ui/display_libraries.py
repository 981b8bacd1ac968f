"""Before Qt starts on an X11 display: are the system libraries of Qt's xcb platform
plugin installed? Without one of them Qt stops with "no Qt platform plugin could be
initialized" and names none; this check names the missing library and the package that
brings it on this Linux distribution.

No Qt here: it runs before PySide6 is imported. Loading a library costs what Qt pays a
moment later anyway (the loader keeps it).
"""

import os
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from desk_app.core.errors import EnvironmentProblem

FAMILIES = ("debian", "fedora", "arch", "suse")
INSTALL = {"debian": "sudo apt install", "fedora": "sudo dnf install",
           "arch": "sudo pacman -S", "suse": "sudo zypper install"}

# What libqxcb.so and libQt6XcbQpa.so.6 of PySide6 link (plus what QtGui and QtDBus
# link), in load order, and the package of each on Debian/Ubuntu, Fedora/RHEL, Arch and
# openSUSE. tests/ui/test_display_libraries.py checks the list against the installed Qt.
LIBRARIES: dict[str, tuple[str, str, str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb", "libxcb", "libxcb1"),
    "libX11.so.6": ("libx11-6", "libX11", "libx11", "libX11-6"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb", "libxcb", "libxcb-render0"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb", "libxcb", "libxcb-shm0"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb", "libxcb-shape0"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb", "libxcb-randr0"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb", "libxcb", "libxcb-sync1"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb", "libxcb", "libxcb-xfixes0"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb", "libxcb-xkb1"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util", "xcb-util", "libxcb-util1"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image",
                          "libxcb-image0"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil",
                                "xcb-util-renderutil", "libxcb-render-util0"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor",
                           "libxcb-cursor0"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm", "libxcb-icccm4"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms",
                            "libxcb-keysyms1"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon", "libxkbcommon", "libxkbcommon0"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11",
                              "libxkbcommon-x11-0"),
    "libGL.so.1": ("libgl1", "libglvnd-glx", "libglvnd", "libGL1"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl", "libglvnd", "libEGL1"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig", "fontconfig", "libfontconfig1"),
    "libfreetype.so.6": ("libfreetype6", "freetype", "freetype2", "libfreetype6"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libglib-2_0-0"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2", "glib2", "libgthread-2_0-0"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs", "dbus", "libdbus-1-3"),
}
_NOT_FOUND = re.compile(r"([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")


class DisplayLibrariesMissing(EnvironmentProblem):
    """Qt's X11 support cannot start: ``missing`` names the libraries."""

    def __init__(self, missing: list[str], family: str | None) -> None:
        self.missing = missing
        self.family = family
        names = ", ".join(missing)
        plural = "ies" if len(missing) > 1 else "y"
        problem = (f"cannot open the window on this X11 display: the system librar{plural} "
                   f"{names} of Qt's X11 (xcb) support {'are' if len(missing) > 1 else 'is'}"
                   " not installed")
        if family is None:
            advice = (f"install the package(s) that provide {names} (the README's 'Linux "
                      "system packages' lists them per distribution), then start desk-app "
                      "again")
        else:
            index = FAMILIES.index(family)
            packages = dict.fromkeys(LIBRARIES[name][index] for name in missing
                                     if name in LIBRARIES)
            unknown = [name for name in missing if name not in LIBRARIES]
            steps = [f"{INSTALL[family]} {' '.join(packages)}"] if packages else []
            if unknown:  # a library one of ours needs: its package is not listed here
                steps.append(f"the package(s) that provide {', '.join(unknown)}")
            advice = (f"install {'them' if len(missing) > 1 else 'it'}: "
                      f"{' and '.join(steps)}; then start desk-app again")
        super().__init__(problem, advice)


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when Qt will open its windows through xcb: Linux, no platform chosen but
    xcb, an X11 display, and no Wayland session that Qt would take instead."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    wayland = environ.get("WAYLAND_DISPLAY") and \
        environ.get("XDG_SESSION_TYPE", "").lower() == "wayland"
    return bool(environ.get("DISPLAY")) and not wayland


def distribution_family(os_release: str) -> str | None:
    """"debian", "fedora", "arch" or "suse" from the text of /etc/os-release (its ID,
    then ID_LIKE), or None for another distribution."""
    values = {}
    for line in os_release.splitlines():
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("\"'").lower()
    names = [values.get("ID", ""), *values.get("ID_LIKE", "").split()]
    aliases = {"debian": "debian", "ubuntu": "debian", "fedora": "fedora", "rhel": "fedora",
               "centos": "fedora", "arch": "arch", "suse": "suse", "opensuse": "suse",
               "sles": "suse"}
    for name in names:
        for alias, family in aliases.items():
            if name == alias or name.startswith(alias + "-"):
                return family
    return None


def missing_libraries(load: Callable[[str], object] | None = None,
                      bundled: Path | None = None) -> list[str]:
    """The libraries of :data:`LIBRARIES` that cannot be loaded (by ``load``, ctypes by
    default), each named by the file the loader could not find (a library can fail for
    one it needs). A copy in the bundle's folder ``bundled`` is loaded from there."""
    if load is None:
        import ctypes  # only where Qt is about to use xcb

        load = ctypes.CDLL
    missing: list[str] = []
    for name in LIBRARIES:
        copy = bundled / name if bundled is not None else None
        try:
            load(str(copy) if copy is not None and copy.exists() else name)
        except OSError as error:
            found = _NOT_FOUND.search(str(error))
            lacking = found.group(1) if found else name
            if lacking not in missing:
                missing.append(lacking)
    return missing


def check_display_libraries(environ: Mapping[str, str] = os.environ,
                            load: Callable[[str], object] | None = None,
                            os_release: Path = Path("/etc/os-release"),
                            platform: str = sys.platform) -> None:
    """Raise :class:`DisplayLibrariesMissing` when Qt is about to use xcb and a library
    it needs is not there; do nothing otherwise."""
    if not uses_xcb(environ, platform):
        return
    bundle = getattr(sys, "_MEIPASS", None)
    missing = missing_libraries(load, Path(bundle) if bundle else None)
    if not missing:
        return
    try:
        family = distribution_family(os_release.read_text(encoding="utf-8"))
    except OSError:
        family = None
    raise DisplayLibrariesMissing(missing, family)
