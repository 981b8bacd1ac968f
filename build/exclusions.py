"""What the bundle leaves out, in named groups: the spec excludes them, and the bundle
benchmark builds once without them to report what each group saves.

desk-app uses QtCore, QtGui and QtWidgets only (plus the SVG icon engine, which Qt loads
as a plugin). Everything else of Qt, and the parts of the standard library a desktop
client never runs, stay out.
"""

QT_GROUPS: dict[str, list[str]] = {
    "WebEngine": ["QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel",
                  "QtWebSockets", "QtWebView", "QtHttpServer"],
    "QML / Quick": ["QtQml", "QtQuick", "QtQuickWidgets", "QtQuickControls2", "QtQuickTest"],
    "3D": ["Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
           "QtQuick3D"],
    "Multimedia": ["QtMultimedia", "QtMultimediaWidgets", "QtSpatialAudio", "QtTextToSpeech"],
    "Charts and graphs": ["QtCharts", "QtDataVisualization", "QtGraphs", "QtGraphsWidgets"],
    "PDF": ["QtPdf", "QtPdfWidgets"],
    "Network": ["QtNetwork", "QtNetworkAuth"],
    "Devices": ["QtBluetooth", "QtNfc", "QtSerialPort", "QtSerialBus", "QtSensors",
                "QtPositioning", "QtLocation"],
    "OpenGL": ["QtOpenGL", "QtOpenGLWidgets"],
    "Designer, help, tests": ["QtDesigner", "QtUiTools", "QtHelp", "QtTest"],
    "Other Qt modules": ["QtSql", "QtXml", "QtScxml", "QtStateMachine", "QtRemoteObjects",
                         "QtConcurrent", "QtPrintSupport", "QtSvgWidgets", "QtAxContainer"],
}

PYTHON_GROUPS: dict[str, list[str]] = {
    "Tk": ["tkinter", "_tkinter", "turtle", "turtledemo", "idlelib"],
    "Test and development tools": ["unittest", "pydoc", "pydoc_data", "doctest", "pdb",
                                   "lib2to3", "test", "pytest", "_pytest", "hypothesis",
                                   "setuptools", "pkg_resources", "pip"],
    # pydantic offers rich's pretty printing when rich is installed (the test tools
    # bring it); that would pull rich, pygments and Pillow into the bundle (~25 MB)
    "Terminal pretty-printing (rich, pygments, Pillow)": ["rich", "pygments", "PIL"],
}


# Qt plugins a desktop ticket client does not load, by file name (any platform's spelling).
# The Qt libraries only these plugins need leave with them (see build/pruning.py).
QT_PLUGIN_GROUPS: dict[str, list[str]] = {
    "Virtual keyboard plugin (pulls QML / Quick)": ["*qtvirtualkeyboardplugin*"],
    "PDF image format plugin": ["*qpdf.*", "*libqpdf.*"],
    "Embedded-device platforms (EGLFS, VNC, framebuffer, touch)": [
        "*/platforms/*eglfs*", "*/platforms/*minimalegl*", "*/platforms/*vnc*",
        "*/platforms/*linuxfb*", "*/egldeviceintegrations/*", "*/generic/*tuio*"],
    "GTK theme plugin (pulls the GTK stack; we draw with Fusion)": ["*/platformthemes/*gtk3*"],
}

# Data folders left out: the interface is in English.
DATA_GROUPS: dict[str, list[str]] = {
    "Qt translations": ["PySide6/Qt/translations/*"],
}


def _chosen(groups: dict[str, list[str]], keep: set[str] | frozenset[str]) -> list[str]:
    return [item for group, items in groups.items() if group not in keep for item in items]


def excluded_plugins(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """File-name patterns of the Qt plugins left out."""
    return _chosen(QT_PLUGIN_GROUPS, keep)


def excluded_data(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Destination patterns of the data files left out."""
    return _chosen(DATA_GROUPS, keep)


def excluded_modules(keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The module names the spec excludes; a group named in ``keep`` stays in."""
    return [f"PySide6.{name}" for name in _chosen(QT_GROUPS, keep)] \
        + _chosen(PYTHON_GROUPS, keep)


def all_groups() -> list[str]:
    """Every group's name, Qt first."""
    return [*QT_GROUPS, *QT_PLUGIN_GROUPS, *DATA_GROUPS, *PYTHON_GROUPS]
