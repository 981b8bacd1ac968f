"""Screenshots of the KPI dashboard (at 1366x768, the smallest screen it must fit) and
of the first two pages of its PDF report, side by side (``desk-app screenshot``)."""

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from desk_app.ui import palette
from desk_app.ui.driving import wait_until

DASHBOARD_SHOTS = ("22-dashboard.png", "23-report-pdf.png")
SMALL_SCREEN = QSize(1366, 768)
PAGE_WIDTH_PX = 700


def pdf_pages_image(pdf: Path, pages: int = 2, width: int = PAGE_WIDTH_PX) -> QImage:
    """The first ``pages`` pages of ``pdf`` drawn side by side on a grey backdrop."""
    from PySide6.QtPdf import QPdfDocument  # only the screenshots read PDFs

    document = QPdfDocument()
    document.load(str(pdf))
    count = min(pages, document.pageCount())
    size = document.pagePointSize(0)
    height = int(width * size.height() / size.width())
    gap = 24
    sheet = QImage(count * width + (count + 1) * gap, height + 2 * gap,
                   QImage.Format.Format_ARGB32)
    sheet.fill(QColor(palette.surface("light").border))  # paper on a desk
    painter = QPainter(sheet)
    for page in range(count):
        painter.fillRect(gap + page * (width + gap), gap, width, height,
                         QColor(palette.surface("light").base))
        painter.drawImage(gap + page * (width + gap), gap,
                          document.render(page, QSize(width, height)))
    painter.end()
    document.close()
    return sheet


def dashboard_shots(window: Any, out_dir: Path) -> list[str]:
    """Show the dashboard at 1366x768, save it, export its PDF and save two pages of it;
    the window goes back to its queues and size."""
    before = window.size()
    window.resize(SMALL_SCREEN)
    page = window.show_dashboard()
    wait_until(lambda: page.data is not None and not page.computing, 60_000,
               "the dashboard's figures")
    QApplication.processEvents()
    shot = out_dir / DASHBOARD_SHOTS[0]
    if not window.grab().save(str(shot)):
        raise OSError(f"could not write {shot}")
    with tempfile.TemporaryDirectory() as folder:
        pdf = page.exports.export_pdf(Path(folder) / "kpi-report.pdf")
        if pdf is None:
            raise OSError("the dashboard's PDF could not be written")
        pages = out_dir / DASHBOARD_SHOTS[1]
        try:
            sheet = pdf_pages_image(pdf)
        except ImportError:  # the bundle leaves out Qt's PDF reader (8 MB): no picture
            sheet = None
        if sheet is not None and not sheet.save(str(pages)):
            raise OSError(f"could not write {pages}")
    window.show_queues()
    window.resize(before)
    return [str(shot)] + ([str(pages)] if sheet is not None else [])
