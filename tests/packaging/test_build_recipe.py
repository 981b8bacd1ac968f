"""The PyInstaller recipe's pieces that decide what the bundle carries (the bundle itself
is built and self-tested by .ci/run)."""

import ast
import fnmatch
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

import exclusions  # noqa: E402
import pruning  # noqa: E402

LINKS = {  # a small Qt: two plugins we drop, one we keep, libraries shared or not
    "/qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so": ["libQt6Quick.so.6",
                                                                        "libQt6Gui.so.6"],
    "/qt/lib/libQt6Quick.so.6": ["libQt6Qml.so.6", "libQt6Gui.so.6"],
    "/qt/lib/libQt6Qml.so.6": ["libQt6Network.so.6"],
    "/qt/plugins/imageformats/libqpdf.so": ["libQt6Pdf.so.6"],
    "/qt/lib/libQt6Pdf.so.6": ["libQt6Network.so.6"],
    "/qt/plugins/imageformats/libqsvg.so": ["libQt6Svg.so.6", "libQt6Gui.so.6"],
    "/qt/lib/libQt6Svg.so.6": ["libQt6Gui.so.6"],
    "/qt/lib/libQt6Gui.so.6": ["libQt6Core.so.6"],
    "/qt/lib/libQt6Core.so.6": [],
    "/qt/lib/libQt6Network.so.6": ["libQt6Core.so.6"],
    "/site/PySide6/QtGui.abi3.so": ["libQt6Gui.so.6"],
}


def imports_of(source: str):
    return [(name, None) for name in LINKS[source]]


def entries():
    return [(source.removeprefix("/site/").removeprefix("/qt/"), source, "BINARY")
            for source in LINKS]


def test_prune_drops_the_plugins_and_the_libraries_only_they_need():
    kept, dropped = pruning.prune(entries(), exclusions.excluded_plugins(), imports_of)
    names = {Path(entry[0]).name for entry in kept}
    assert names == {"libqsvg.so", "libQt6Svg.so.6", "libQt6Gui.so.6", "libQt6Core.so.6",
                     "QtGui.abi3.so"}
    assert {Path(entry[0]).name for entry in dropped} == {
        "libqtvirtualkeyboardplugin.so", "libqpdf.so", "libQt6Quick.so.6", "libQt6Qml.so.6",
        "libQt6Pdf.so.6", "libQt6Network.so.6"}


def test_a_library_still_needed_by_something_kept_stays():
    links = dict(LINKS, **{"/site/PySide6/QtNetwork.abi3.so": ["libQt6Network.so.6"]})
    with_network = [*entries(), ("PySide6/QtNetwork.abi3.so",
                                 "/site/PySide6/QtNetwork.abi3.so", "EXTENSION")]
    kept, _ = pruning.prune(with_network, exclusions.excluded_plugins(),
                            lambda source: [(name, None) for name in links[source]])
    assert "libQt6Network.so.6" in {Path(entry[0]).name for entry in kept}


def test_keeping_a_group_keeps_its_plugins():
    keep = {"Virtual keyboard plugin (pulls QML / Quick)"}
    kept, _ = pruning.prune(entries(), exclusions.excluded_plugins(keep), imports_of)
    assert {"libqtvirtualkeyboardplugin.so", "libQt6Quick.so.6"} <= {
        Path(entry[0]).name for entry in kept}


def test_the_icu_data_qt_reads_stays():
    """Collation, time zone names, the root locale, the key pool, the supplemental
    tables and the converter aliases are what Qt's ICU calls open; none of them is left
    out. The locales' own format bundles go (ICU falls back to root; the bundle's
    selftest checks Swedish collation and a German zone name)."""
    patterns = exclusions.excluded_icu_data()
    for needed in ("coll/root.res", "coll/ucadata.icu", "coll/sv.res", "zone/de.res",
                   "zoneinfo64.res", "metaZones.res", "root.res", "pool.res",
                   "res_index.res", "cnvalias.icu", "nfc.nrm", "supplementalData.res",
                   "likelySubtags.res", "keyTypeData.res", "timezoneTypes.res",
                   "metadata.res", "plurals.res", "dayPeriods.res", "langInfo.res"):
        assert not any(fnmatch.fnmatchcase(needed, p) for p in patterns), needed
    for unused in ("brkitr/word.brk", "lang/de.res", "unit/de.res", "ibm-943_P15A-2003.cnv",
                   "de.res", "yue.res", "pt_BR.res", "es_419.res", "sr_Latn_BA.res",
                   "ast_ES.res"):
        assert any(fnmatch.fnmatchcase(unused, p) for p in patterns), unused


def test_cryptography_leaves_only_with_its_stand_in():
    """The stand-in's runtime hook is what makes leaving cryptography out safe."""
    spec = (ROOT / "build" / "desk_app.spec").read_text()
    assert "cryptography" in exclusions.excluded_modules()
    assert "cryptography_stand_in.py" in spec and "openssl_aes" in spec
    assert (ROOT / "build" / "runtime_hooks" / "cryptography_stand_in.py").exists()


def test_translations_are_left_out_and_our_data_kept():
    datas = [("PySide6/Qt/translations/qtbase_de.qm", "/x", "DATA"),
             ("resources/policy/default.toml", "/y", "DATA")]
    assert pruning.drop_data(datas, exclusions.excluded_data()) == [datas[1]]


def _imported_modules() -> set[str]:
    found = set()
    for path in (ROOT / "desk_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
    return found


# Imported only by `desk-app screenshot` (run from source): its report page draws the
# dashboard's PDF with QtPdf, which would add about 8 MB to the bundle.
SCREENSHOTS_ONLY = {"PySide6.QtPdf"}


def test_nothing_the_app_imports_is_excluded():
    excluded = set(exclusions.excluded_modules())
    used = {name for name in _imported_modules() - SCREENSHOTS_ONLY
            if any(name == ex or name.startswith(ex + ".") for ex in excluded)}
    assert not used, f"the bundle would leave these out: {sorted(used)}"
    assert {"PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.Qt3DCore",
            "PySide6.QtMultimedia"} <= excluded


@pytest.mark.parametrize("group", exclusions.all_groups())
def test_every_group_can_be_kept_on_its_own(group):
    everything = (set(exclusions.excluded_modules()), set(exclusions.excluded_plugins()),
                  set(exclusions.excluded_data()), set(exclusions.excluded_icu_data()),
                  set(exclusions.excluded_libraries()), {exclusions.stripped()},
                  {exclusions.optimize_level() == 2})
    without = (set(exclusions.excluded_modules({group})),
               set(exclusions.excluded_plugins({group})),
               set(exclusions.excluded_data({group})),
               set(exclusions.excluded_icu_data({group})),
               set(exclusions.excluded_libraries({group})), {exclusions.stripped({group})},
               {exclusions.optimize_level({group}) == 2})
    assert any(a > b or (a == {True} and b == {False})
               for a, b in zip(everything, without, strict=True))


@pytest.mark.parametrize("plugin", ["PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                                    "PySide6/Qt/plugins/imageformats/libqsvg.so",
                                    "PySide6/plugins/iconengines/qsvgicon.dll",
                                    "PySide6/plugins/imageformats/qsvg.dll",
                                    "PySide6/Qt/plugins/iconengines/libqsvgicon.dylib"])
def test_the_svg_plugins_the_icons_are_drawn_with_stay(plugin):
    kept, dropped = pruning.prune([(plugin, "/site/" + plugin, "BINARY")],
                                  exclusions.excluded_plugins(), lambda _source: [])
    assert [entry[0] for entry in kept] == [plugin] and not dropped


def test_jpeg_stays_for_the_photos_attached_from_site():
    jpeg = "PySide6/Qt/plugins/imageformats/libqjpeg.so"
    tiff = "PySide6/Qt/plugins/imageformats/libqtiff.so"
    kept, dropped = pruning.prune([(jpeg, "/site/" + jpeg, "BINARY"),
                                   (tiff, "/site/" + tiff, "BINARY")],
                                  exclusions.excluded_plugins(), lambda _source: [])
    assert [e[0] for e in kept] == [jpeg] and [e[0] for e in dropped] == [tiff]


def test_libsystemd_and_its_chain_leave_and_libdbus_stays():
    binaries = [(name, "/usr/lib/" + name, "BINARY") for name in (
        "libsystemd.so.0", "libgcrypt.so.20", "libgpg-error.so.0", "liblz4.so.1",
        "libcap.so.2", "libdbus-1.so.3", "libzstd.so.1", "liblzma.so.5",
        "PySide6/Qt/lib/libQt6DBus.so.6")]
    kept = pruning.drop_data(binaries, exclusions.excluded_libraries())
    # Qt's D-Bus links libdbus-1, QtCore libzstd, Python's _lzma liblzma: they stay
    assert [e[0] for e in kept] == ["libdbus-1.so.3", "libzstd.so.1", "liblzma.so.5",
                                    "PySide6/Qt/lib/libQt6DBus.so.6"]


def test_the_desktop_libraries_the_display_check_names_come_from_the_system():
    from desk_app.ui.display_libraries import LIBRARIES

    names = ["libX11.so.6", "libX11-xcb.so.1", "libXau.so.6", "libfontconfig.so.1",
             "libfreetype.so.6", "libpng16.so.16", "libglib-2.0.so.0", "libgthread-2.0.so.0",
             "libpcre2-8.so.0", "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libzstd.so.1"]
    binaries = [(name, "/usr/lib/" + name, "BINARY") for name in names]
    kept = [e[0] for e in pruning.drop_data(binaries, exclusions.excluded_libraries())]
    # the xcb utilities stay (desktops often lack them); QtCore's libzstd stays
    assert kept == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libzstd.so.1"]
    left = {"libX11.so.6", "libX11-xcb.so.1", "libfontconfig.so.1", "libfreetype.so.6",
            "libglib-2.0.so.0", "libgthread-2.0.so.0"}
    assert left <= set(LIBRARIES)  # a missing one is named, with its package


def test_qtcharts_stays_for_the_dashboard_and_the_opengl_bindings_leave():
    excluded = set(exclusions.excluded_modules())
    assert "PySide6.QtCharts" not in excluded
    assert {"PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtGraphs"} <= excluded


def test_multiprocessing_leaves_with_its_start_up_hook():
    assert {"multiprocessing", "concurrent.futures.process"} <= set(
        exclusions.excluded_modules())


def test_docstrings_leave_unless_kept():
    assert exclusions.optimize_level() == 2
    assert exclusions.optimize_level({exclusions.DOCSTRINGS_GROUP}) == 1


def test_nothing_of_ours_reads_a_docstring_at_run_time():
    """optimize=2 drops them: ``__doc__`` is None in the bundle."""
    readers = [str(path.relative_to(ROOT)) for folder in ("desk_app", "build")
               for path in (ROOT / folder).rglob("*.py")
               if "__doc__" in path.read_text(encoding="utf-8")
               and path.name not in ("build.py",)]  # build.py runs from source only
    assert not readers, f"these read __doc__ (None in the bundle): {readers}"
