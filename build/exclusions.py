"""What the bundle leaves out, in named groups: the spec excludes them, and the bundle
benchmark builds once without them to report what each group saves.

desk-app uses QtCore, QtGui, QtWidgets and QtCharts only (plus the SVG icon engine,
which Qt loads as a plugin). Everything else of Qt, ICU data Qt never reads, and the parts of the
standard library a desktop client never runs, stay out; on Linux the binaries are
stripped of their symbols and libsystemd's chain comes from the system. Python is
byte-compiled without docstrings.
"""

CRYPTOGRAPHY_GROUP = "cryptography (SecretStorage's AES comes from the bundled OpenSSL)"
STRIP_GROUP = "Symbols and debug information (strip; Linux only)"
DOCSTRINGS_GROUP = "Docstrings (Python byte-compiled with optimize=2)"

QT_GROUPS: dict[str, list[str]] = {
    "WebEngine": ["QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel",
                  "QtWebSockets", "QtWebView", "QtHttpServer"],
    "QML / Quick": ["QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest"],
    "3D": ["Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
           "QtQuick3D"],
    "Multimedia": ["QtMultimedia", "QtMultimediaWidgets", "QtSpatialAudio", "QtTextToSpeech"],
    # QtCharts stays (the dashboard's charts); it links libQt6OpenGL and
    # libQt6OpenGLWidgets, which come with it as libraries (the OpenGL bindings stay out)
    "Charts and graphs other than QtCharts": ["QtDataVisualization", "QtGraphs",
                                              "QtGraphsWidgets"],
    "PDF": ["QtPdf", "QtPdfWidgets"],
    "Network": ["QtNetwork", "QtNetworkAuth"],
    "Devices": ["QtBluetooth", "QtNfc", "QtSerialPort", "QtSerialBus", "QtSensors",
                "QtPositioning", "QtLocation"],
    "OpenGL": ["QtOpenGL", "QtOpenGLWidgets"],
    "Designer, help, tests": ["QtDesigner", "QtUiTools", "QtHelp", "QtTest"],
    "Other Qt modules": ["QtSql", "QtXml", "QtScxml", "QtStateMachine", "QtRemoteObjects",
                         "QtConcurrent", "QtPrintSupport", "QtSvgWidgets", "QtAxContainer"],
    # Qt itself keeps libQt6DBus (the desktop integration); the Python binding is unused
    "QtDBus binding": ["QtDBus"],
}

PYTHON_GROUPS: dict[str, list[str]] = {
    "Tk": ["tkinter", "_tkinter", "turtle", "turtledemo", "idlelib"],
    "Test and development tools": ["unittest", "pydoc", "pydoc_data", "doctest", "pdb",
                                   "lib2to3", "test", "pytest", "_pytest", "hypothesis",
                                   "setuptools", "pkg_resources", "pip"],
    # nothing runs a second process: only concurrent.futures names ProcessPoolExecutor
    # (we use its threads); with multiprocessing collected, PyInstaller's runtime hook
    # imported it, subprocess included, at every start of the bundle
    "multiprocessing (and its runtime hook at every start)": [
        "multiprocessing", "concurrent.futures.process"],
    # pydantic offers rich's pretty printing when rich is installed (the test tools
    # bring it); that would pull rich, pygments and Pillow into the bundle (~25 MB)
    "Terminal pretty-printing (rich, pygments, Pillow)": ["rich", "pygments", "PIL"],
    # SecretStorage (the keyring's Linux backend) uses cryptography for AES-CBC only; a
    # runtime hook gives it that cipher from the bundled OpenSSL (build/openssl_aes.py)
    CRYPTOGRAPHY_GROUP: ["cryptography", "cffi", "_cffi_backend"],
    # the ranked search calls rapidfuzz's fuzz.ratio and process.extract only: both stay
    # compiled (fuzz_cpp, process_cpp_impl); rapidfuzz falls back by itself from the
    # AVX2 copies to the generic ones and from the distance metrics' C++ to Python
    "rapidfuzz's distance metrics in C++ and its AVX2 copies": [
        "rapidfuzz.distance.metrics_cpp", "rapidfuzz.distance.metrics_cpp_avx2",
        "rapidfuzz.fuzz_cpp_avx2"],
}


# Qt plugins a desktop ticket client does not load, by file name (any platform's spelling).
# The Qt libraries only these plugins need leave with them (see build/pruning.py).
QT_PLUGIN_GROUPS: dict[str, list[str]] = {
    "Virtual keyboard plugin (pulls QML / Quick)": ["*qtvirtualkeyboardplugin*"],
    "PDF image format plugin": ["*qpdf.*", "*libqpdf.*"],
    "Embedded-device platforms (EGLFS, VNC, framebuffer, touch)": [
        "*/platforms/*eglfs*", "*/platforms/*minimalegl*", "*/platforms/*vnc*",
        "*/platforms/*linuxfb*", "*/platforms/*vkkhrdisplay*", "*/egldeviceintegrations/*",
        "*/generic/*tuio*", "*/generic/*evdev*"],
    # the icons are SVG and PNG is built into QtGui; JPEG stays (0.5 MB, its decoder
    # linked in): photos attached from site are JPEG and get their thumbnail
    "Image format plugins (TIFF, WebP, GIF, ICNS, TGA, WBMP)": [
        "*/imageformats/*qtiff*", "*/imageformats/*qwebp*", "*/imageformats/*qgif*",
        "*/imageformats/*qicns*", "*/imageformats/*qtga*", "*/imageformats/*qwbmp*"],
    "GTK theme plugin (pulls the GTK stack; we draw with Fusion)": ["*/platformthemes/*gtk3*"],
}

# System libraries the build machine's libdbus-1 links, left for the system's own copies
# (Linux): libdbus-1 itself stays (Qt's D-Bus, the tray and desktop notifications use
# it) and loads whichever the desktop has; no code of ours or Qt's calls them directly.
SYSTEM_LIBRARY_GROUPS: dict[str, list[str]] = {
    "libsystemd and what it links (libgcrypt, libgpg-error, lz4, libcap; the system's)": [
        "libsystemd.so.*", "libgcrypt.so.*", "libgpg-error.so.*", "liblz4.so.*",
        "libcap.so.*"],
    # Libraries every Linux desktop carries, as the AppImage exclude list also leaves
    # them: X11's client library, fontconfig, FreeType and GLib, with what only they
    # link. desk_app/ui/display_libraries.py checks them before Qt starts and names the
    # package of one that is missing. The Qt wheels are built against older versions
    # (manylinux_2_28) than any supported desktop has. The xcb utility libraries
    # (xcb-cursor, xcb-icccm...) stay: desktops often lack them.
    "X11 client, fontconfig, FreeType and GLib (the desktop's; display check names them)": [
        "libX11.so.*", "libX11-xcb.so.*", "libXau.so.*", "libXdmcp.so.*", "libbsd.so.*",
        "libmd.so.*", "libfontconfig.so.*", "libfreetype.so.*", "libexpat.so.*",
        "libpng16.so.*", "libbrotlidec.so.*", "libbrotlicommon.so.*", "libglib-2.0.so.*",
        "libgthread-2.0.so.*", "libpcre2-8.so.*"],
}

# Data folders left out: the interface is in English.
DATA_GROUPS: dict[str, list[str]] = {
    "Qt translations": ["PySide6/Qt/translations/*"],
}


# Items of ICU's data library (libicudata, Linux) that stay out: the library is rebuilt
# without them (build/icu_data.py). Qt calls ICU for collation, case mapping, time zone
# names and converters only, so these families are never opened.
ICU_DATA_GROUPS: dict[str, list[str]] = {
    "ICU data Qt never reads (break rules, display names, units, transliteration)": [
        "brkitr/*", "lang/*", "region/*", "curr/*", "unit/*", "translit/*", "rbnf/*",
        "unames.icu", "*.spp", "confusables.cfu"],
    # Qt's own text (UTF-8/16/32, Latin-1) needs no tables; desk-app reads and writes
    # files in Python, so only a Qt text decoder asked for a legacy encoding by name
    # (QStringDecoder("Shift_JIS")) would miss them
    "ICU converter tables for legacy encodings": ["*.cnv"],
    # each locale's number, date and calendar formats (de.res, pt_BR.res, ...): Qt formats
    # with its own CLDR data. Collation (coll/), time zone names (zone/), root.res, the
    # key pool and the supplemental tables stay.
    "ICU locale bundles (formats Qt takes from its own CLDR data)": [
        "[a-z][a-z].res", "[a-z][a-z][a-z].res", "[a-z][a-z]_[A-Z0-9]*.res",
        "[a-z][a-z][a-z]_[A-Z0-9]*.res"],
}

# Build steps that shrink what stays, kept (skipped) like a group.
STEP_GROUPS: list[str] = [STRIP_GROUP, DOCSTRINGS_GROUP]


def _chosen(groups: dict[str, list[str]], keep: set[str] | frozenset[str]) -> list[str]:
    return [item for group, items in groups.items() if group not in keep for item in items]


def excluded_plugins(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """File-name patterns of the Qt plugins left out."""
    return _chosen(QT_PLUGIN_GROUPS, keep)


def excluded_libraries(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Destination patterns of the system libraries left out (the system's are used)."""
    return _chosen(SYSTEM_LIBRARY_GROUPS, keep)


def optimize_level(keep: set[str] | frozenset[str] = frozenset()) -> int:
    """PyInstaller's byte-compile level: 2 drops docstrings (nothing reads them at run
    time: argparse help is written out, build/openssl_aes.py names its modules itself),
    1 only asserts."""
    return 1 if DOCSTRINGS_GROUP in keep else 2


def excluded_data(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Destination patterns of the data files left out."""
    return _chosen(DATA_GROUPS, keep)


def excluded_icu_data(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Name patterns of the ICU data items left out (after the ``icudt73l/`` prefix)."""
    return _chosen(ICU_DATA_GROUPS, keep)


def stripped(keep: set[str] | frozenset[str] = frozenset()) -> bool:
    """Whether the binaries lose their symbols (``strip``)."""
    return STRIP_GROUP not in keep


def excluded_modules(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The module names the spec excludes; a group named in ``keep`` stays in."""
    return [f"PySide6.{name}" for name in _chosen(QT_GROUPS, keep)] \
        + _chosen(PYTHON_GROUPS, keep)


def all_groups() -> list[str]:
    """Every group's name, Qt first."""
    return [*QT_GROUPS, *QT_PLUGIN_GROUPS, *SYSTEM_LIBRARY_GROUPS, *DATA_GROUPS,
            *ICU_DATA_GROUPS, *PYTHON_GROUPS, *STEP_GROUPS]
