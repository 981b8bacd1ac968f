"""The desktop half of ``desk-app selftest``: start the real client on a throwaway desk,
wait for its first painted main window, then run the service checks on the client's
own database thread (as every screen does) and report each outcome. Before the window:
the icons, a Markdown page (knowledge), the tray's badged icon, a JPEG thumbnail
(attachments), a chart (the dashboard), the parts a bundle can lose without any import
failing."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QImageReader, QPixmap, QTextDocument

from desk_app.services import selftest
from desk_app.services.selftest import Outcome, SelfTestFailed, measured
from desk_app.ui.application import DesktopClient, OpenDesk, qt_application
from desk_app.ui.driving import run_on_worker, wait_until
from desk_app.ui.window_state import WindowState


def markdown_page() -> str:
    """A knowledge article's Markdown lays out (Qt's own parser), HTML kept as text."""
    from desk_app.ui.markdown_view import set_markdown

    document = QTextDocument()
    set_markdown(document, "# Paper jam\n\n| step | done |\n|---|---|\n| open tray | yes |"
                           "\n\n- [x] test page\n\n<b>raw</b>")
    text = document.toPlainText()
    for expected in ("Paper jam", "open tray", "test page", "<b>raw</b>"):
        if expected not in text:
            raise SelfTestFailed(f"the Markdown page lost {expected!r}: {text!r}")
    return f"heading, table, task list laid out ({document.blockCount()} blocks), HTML as text"


def icu_data() -> str:
    """Qt's ICU data the bundle slims: Swedish collation (ä after z; the root order puts
    it after a) and a time zone's German name."""
    from functools import cmp_to_key

    from PySide6.QtCore import QCollator, QLocale, QTimeZone

    order = sorted(["ä", "z", "a"], key=cmp_to_key(QCollator(QLocale("sv_SE")).compare))
    if order != ["a", "z", "ä"]:
        raise SelfTestFailed(f"Swedish collation sorted {order} (ICU collation data?)")
    name = QTimeZone(b"Europe/Berlin").displayName(
        QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("de_DE"))
    if "Normalzeit" not in name:
        raise SelfTestFailed(f"Europe/Berlin is named {name!r} in German (ICU zone data?)")
    return f"Swedish collation and the zone name {name!r}"


def tray_icon() -> str:
    """The notification tray's controller and its badged icon (no tray is shown: the
    check must pass where the desktop has none)."""
    from desk_app.ui.tray import TrayController, badged, tray_available

    controller = TrayController(QIcon(), available=lambda: False)
    image = badged(QIcon(), 3).pixmap(32, 32).toImage()
    if image.isNull() or image.pixelColor(24, 8).alpha() == 0:
        raise SelfTestFailed("the tray badge did not draw")
    controller.deleteLater()
    return f"badge draws; system tray {'available' if tray_available() else 'absent here'}"


def jpeg_thumbnail() -> str:
    """Photos attached from site are JPEG: Qt's JPEG plugin encodes and decodes one."""
    if b"jpeg" not in [bytes(name.data()) for name in QImageReader.supportedImageFormats()]:
        raise SelfTestFailed("no JPEG image plugin: photos get no thumbnail")
    photo = QImage(64, 48, QImage.Format.Format_RGB32)
    photo.fill(QColor(200, 40, 40))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not photo.save(buffer, "JPG"):
        raise SelfTestFailed("a JPEG could not be written")
    buffer.close()
    back = QImage.fromData(data, "JPG")
    if back.isNull() or back.size() != photo.size():
        raise SelfTestFailed("a JPEG could not be read back")
    return f"a {back.width()}x{back.height()} JPEG written and read ({data.size()} bytes)"


def chart() -> str:
    """The dashboard's charts: QtCharts (and the OpenGL libraries it links) draws a small
    bar chart offscreen, its bars in the series' colour."""
    try:
        from PySide6.QtCharts import QBarSeries, QBarSet, QChart, QChartView
    except ImportError as error:
        raise SelfTestFailed(f"QtCharts is missing: {error}") from error
    bars = QBarSet("tickets")
    bars.append([3.0, 7.0, 5.0])
    series = QBarSeries()
    series.append(bars)
    figure = QChart()
    figure.addSeries(series)
    figure.createDefaultAxes()
    figure.legend().hide()
    figure.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(figure)
    view.resize(240, 160)
    image = view.grab().toImage()
    colour = bars.color()
    painted = sum(1 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)
                  if image.pixelColor(x, y) == colour)
    view.deleteLater()
    if not painted:
        raise SelfTestFailed("the chart drew no bars (QtCharts)")
    return f"a bar chart of {bars.count()} bars drawn offscreen ({image.width()}x" \
           f"{image.height()}, {painted} bar pixels sampled)"


def pdf_report() -> str:
    """Reports and reviews export as PDF: Qt's text layout and PDF writer (QtGui, no
    PDF reader needed) write a page with a chart image into a temporary file."""
    import tempfile

    from PySide6.QtGui import QColor, QImage

    from desk_app.ui.pdf_document import write_pdf

    picture = QImage(120, 60, QImage.Format.Format_RGB32)
    picture.fill(QColor(40, 80, 160))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "check.pdf"
        write_pdf("# KPI report\n\n| KPI | value |\n|---|---|\n| SLA | 92 % |\n\n"
                  "![chart](chart.png)\n", path, "selftest", {"chart.png": picture})
        data = path.read_bytes()
    if not data.startswith(b"%PDF") or b"/Image" not in data:
        raise SelfTestFailed("the PDF was written without its text or its chart")
    return f"a one-page PDF with a table and a chart ({len(data):,} bytes)"


def run_window_selftest(open_desk: Callable[[], OpenDesk], icon_path: str,
                        layout_file: Path) -> list[Outcome]:
    """Open the main window on the desk ``open_desk`` makes (its layout kept in
    ``layout_file``, not the person's), take a ticket through its life through the
    services, read it back, and close; returns every outcome."""
    app = qt_application(icon_path)

    def icon() -> str:
        if QIcon(icon_path).pixmap(64, 64).isNull():
            raise SelfTestFailed(f"the icon {icon_path} did not render (SVG image plugin "
                                 "missing?)")
        return f"{icon_path} renders ({app.platformName()} platform)"

    def interface_icons() -> str:
        from desk_app.ui import icons  # QtSvg and resources/icons/tabler

        empty = QPixmap(24, 24)
        empty.fill(Qt.GlobalColor.transparent)
        blank = [name for name in icons.ICONS
                 if icons.icon(name).pixmap(24, 24).toImage() == empty.toImage()]
        if blank:
            raise SelfTestFailed(f"icons did not render: {', '.join(blank)}")
        return f"{len(icons.ICONS)} tinted SVG icons render"

    outcomes = [measured("application icon", icon),
                measured("interface icons", interface_icons),
                measured("Markdown page", markdown_page), measured("ICU data", icu_data),
                measured("tray icon", tray_icon),
                measured("JPEG thumbnail", jpeg_thumbnail), measured("charts", chart),
                measured("PDF report", pdf_report)]
    client = DesktopClient(open_desk, WindowState(layout_file), interactive=False)
    try:
        def window() -> str:
            wait_until(lambda: client.ready_seconds is not None
                       or client.error is not None, 60_000, "the main window on the desk")
            if client.error is not None:
                raise SelfTestFailed(f"the desk did not open: {client.error}")
            assert client.window is not None and client.first_paint_seconds is not None
            assert client.ready_seconds is not None
            if not client.window.isVisible():
                raise SelfTestFailed("the main window is not visible")
            return (f"{client.window.windowTitle()!r} painted "
                    f"{client.first_paint_seconds * 1000:.0f} ms after the client started, "
                    f"showed the desk after {client.ready_seconds * 1000:.0f} ms")

        outcomes.append(measured("main window", window))
        if not outcomes[-1].ok:
            return outcomes
        assert client.desk is not None
        session = client.desk.session

        def on_worker(work: Callable[[], str], what: str) -> str:
            return run_on_worker(client.worker, work, what)

        numbers: list[str] = []

        def lifecycle() -> str:
            numbers.append(on_worker(lambda: selftest.ticket_lifecycle(session),
                                     "the ticket's life"))
            return f"{numbers[0]} logged, assigned, worked, resolved, confirmed, closed"

        outcomes.append(measured("ticket lifecycle", lifecycle))
        if outcomes[-1].ok:
            outcomes.append(measured("read back", lambda: on_worker(
                lambda: selftest.read_back(session, numbers[0]), "reading the ticket back")))
        outcomes += [measured(check.name, lambda check=check: on_worker(
            lambda: check.run(session), check.name)) for check in selftest.CHECKS]
    finally:
        client.shutdown()
    return outcomes
