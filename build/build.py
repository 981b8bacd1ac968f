"""Build the desk-app executable with PyInstaller and print the bundle size.

    python build/build.py              # one folder: dist/desk-app/
    python build/build.py --onefile    # one file:   dist/desk-app (desk-app.exe on Windows)

PyInstaller's scratch files go to a folder in the system's temporary directory (or
--work), never into build/, which holds only the recipe. Needs the build extra:
pip install -e '.[build]'.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build" / "desk_app.spec"
ICON_SVG = ROOT / "resources" / "icons" / "desk-app.svg"
DESKTOP_ENTRY = ROOT / "resources" / "desk-app.desktop"
ICON_PIXELS = 256


def default_work_dir(variant: str) -> Path:
    """PyInstaller's scratch folder for one build variant (kept between builds, so a
    rebuild only redoes what changed)."""
    return Path(tempfile.gettempdir()) / "desk-app-pyinstaller" / variant


def render_icon(out: Path) -> Path:
    """The SVG icon as a PNG (PyInstaller turns it into .ico / .icns with Pillow)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (painting needs it)
    image = QImage(ICON_PIXELS, ICON_PIXELS, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(ICON_SVG)).render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise SystemExit(f"build: could not write the icon {out}")
    return out


def folder_size(path: Path) -> tuple[int, int]:
    """Bytes and number of files under ``path`` (or of the file itself)."""
    if path.is_file():
        return path.stat().st_size, 1
    sizes = [p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink()]
    return sum(sizes), len(sizes)


def bundle_path(dist: Path, onefile: bool, probe: bool) -> Path:
    """Where PyInstaller puts the bundle."""
    name = "desk-app-probe" if probe else "desk-app"
    if onefile:
        return dist / (name + (".exe" if sys.platform == "win32" else ""))
    return dist / name


def add_desktop_entry(bundle: Path) -> None:
    """Linux: the .desktop file and its icon beside the executable (see the README for
    installing them into the menu)."""
    target = bundle if bundle.is_dir() else bundle.parent
    shutil.copy2(DESKTOP_ENTRY, target / DESKTOP_ENTRY.name)
    shutil.copy2(ICON_SVG, target / ICON_SVG.name)


def build(onefile: bool = False, probe: bool = False, keep: list[str] | None = None,
          dist: Path | None = None, work: Path | None = None, clean: bool = False) -> Path:
    """Run PyInstaller on the spec; returns the bundle (folder or file)."""
    dist = dist or ROOT / "dist"
    # excluded groups need no work folder of their own: PyInstaller redoes what changed
    work = work or default_work_dir(("probe-" if probe else "")
                                    + ("onefile" if onefile else "onefolder"))
    spec_options = [*(["--onefile"] if onefile else []), *(["--probe"] if probe else []),
                    *(f"--keep={group}" for group in keep or ())]
    if sys.platform in ("win32", "darwin"):  # Linux executables carry no icon
        spec_options.append(f"--icon={render_icon(work / 'desk-app.png')}")
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
               "--log-level=WARN", f"--distpath={dist}", f"--workpath={work}",
               *(["--clean"] if clean else []), "--", *spec_options]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    bundle = bundle_path(dist, onefile, probe)
    if sys.platform.startswith("linux") and not probe:
        add_desktop_entry(bundle)
    size, files = folder_size(bundle)
    took = time.perf_counter() - started
    print(f"built {bundle.relative_to(ROOT) if bundle.is_relative_to(ROOT) else bundle}: "
          f"{size / 1e6:.1f} MB in {files} file{'s' if files != 1 else ''} ({took:.0f} s)")
    return bundle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--onefile", action="store_true",
                        help="one self-extracting executable instead of a folder")
    parser.add_argument("--probe", action="store_true",
                        help="build the benchmark's minimal PySide6 window the same way")
    parser.add_argument("--keep", action="append", default=[], metavar="GROUP",
                        help="keep an excluded group of modules (build/exclusions.py); "
                             "'all' keeps every group")
    parser.add_argument("--dist", type=Path, help="where the bundle goes (default: dist/)")
    parser.add_argument("--work", type=Path, help="PyInstaller's scratch folder "
                                                  "(default: in the temporary directory)")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    args = parser.parse_args()
    build(args.onefile, args.probe, args.keep, args.dist, args.work, args.clean)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
