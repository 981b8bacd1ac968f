"""Write a Markdown document (with optional images, e.g. charts) to a PDF file.

Reports and post-incident reviews are Markdown first; this turns that Markdown into an
A4 PDF with Qt's own text layout (QTextDocument) and PDF writer, so no extra dependency
is needed. It works from the command line too: without a display it renders offscreen.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

RESOLUTION_DPI = 300


def command_application() -> QGuiApplication:
    """The running Qt application, or a new offscreen one when called from a command
    (a widgets application: anything later in the same process may need widgets, and
    Qt cannot turn a plain GUI application into one)."""
    app = QGuiApplication.instance()
    if app is not None:
        return app
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") \
            and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desk_app.ui.application import qt_application  # the one way the app is made

    return qt_application()


def write_pdf(markdown: str, path: Path, title: str,
              images: Mapping[str, QImage] | None = None) -> None:
    """Lay ``markdown`` out on A4 pages and write them to ``path``.

    ``images`` maps a name used in the Markdown (``![chart](name)``) to the image to show.
    Raises OSError when the file cannot be written.
    """
    command_application()
    document = QTextDocument()
    document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    document.setMarkdown(markdown)  # first: setting the text clears the resources
    for name, image in (images or {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("desk-app")
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    document.print_(writer)
    if not path.is_file() or path.stat().st_size == 0:  # a folder, a device: not written
        raise OSError(f"{path}: the PDF could not be written")
