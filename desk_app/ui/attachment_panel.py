"""The ticket's files: a list with icon or thumbnail, name, size, who and when, and the
first lines of a text file; add by button, by dropping files (on the whole ticket view,
which hands them here) or by pasting (Ctrl+V pastes a copied image as a PNG, or copied
files); open with the system viewer.

Every read and write runs on the database worker, thumbnails and text previews are
made there too (``QImage`` is safe off the GUI thread); the GUI thread only lays out
what comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QMimeData,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.core.attachment_rules import human_size
from desk_app.core.labels import human_label
from desk_app.ui import palette
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.icons import icon
from desk_app.ui.refusals import refusal_text

if TYPE_CHECKING:
    from desk_app.services.attachments import AttachmentInfo, MissingContent

# the content store and its queries: first used when a ticket's files are listed
attachments = deferred("desk_app.services.attachments")

THUMBNAIL = 72
PREVIEW_LINES = 3
PREVIEW_BYTES = 2048
CLOSED = ("closed", "cancelled")


@dataclass(frozen=True)
class Shown:
    """One attachment with what the list draws of it."""

    info: AttachmentInfo
    thumbnail: QImage | None = None
    text: str = ""


def _preview(info: AttachmentInfo) -> Shown:
    """A thumbnail of an image, the first lines of a text (only for contents here)."""
    if not info.here:
        return Shown(info)
    path = attachments.content_store().path_of(info.sha256)
    if info.is_image:
        image = QImage(str(path))
        if not image.isNull():
            return Shown(info, image.scaled(THUMBNAIL, THUMBNAIL,
                                            Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))
    if info.is_text:
        with open(path, "rb") as handle:
            head = handle.read(PREVIEW_BYTES).decode("utf-8", errors="replace")
        lines = [line.rstrip() for line in head.splitlines() if line.strip()]
        return Shown(info, text="\n".join(line[:120] for line in lines[:PREVIEW_LINES]))
    return Shown(info)


def load_shown(ticket_id: str) -> list[Shown]:
    """The ticket's attachments with their previews (runs on the database worker)."""
    return [_preview(info) for info in attachments.ticket_attachments(ticket_id)]


def _kind_icon(info: AttachmentInfo) -> str:
    if info.is_image:
        return "file-image"
    if info.is_text:
        return "file-text"
    if info.content_type in ("application/zip", "application/x-7z-compressed",
                             "application/gzip", "application/x-tar"):
        return "file-archive"
    return "file"


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def dropped_files(mime: QMimeData) -> list[str]:
    """The local files a drag or a copy carries."""
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] \
        if mime.hasUrls() else []


class AttachmentRow(QWidget):
    """One attachment in the list."""

    def __init__(self, shown: Shown) -> None:
        super().__init__()
        info = shown.info
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        picture = QLabel()
        picture.setObjectName("attachment_picture")
        picture.setFixedSize(THUMBNAIL, THUMBNAIL)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if shown.thumbnail is not None:
            picture.setPixmap(QPixmap.fromImage(shown.thumbnail))
        else:
            picture.setPixmap(icon(_kind_icon(info), "muted").pixmap(QSize(36, 36)))
        layout.addWidget(picture)
        words = QVBoxLayout()
        words.setSpacing(1)
        name = QLabel(info.name)
        name.setObjectName("attachment_name")
        font = name.font()
        font.setBold(True)
        name.setFont(font)
        name.setTextFormat(Qt.TextFormat.PlainText)
        words.addWidget(name)
        when = info.at.astimezone().strftime("%Y-%m-%d %H:%M") \
            if isinstance(info.at, datetime) else ""
        where = "" if info.here else " · on the team database (fetched when opened)"
        facts = QLabel(f"{human_size(info.size)} · {info.by} · {when} · "
                       f"{human_label(info.source)}{where}")
        facts.setObjectName("attachment_facts")
        facts.setStyleSheet(f"color: {palette.tone('muted').text}")
        words.addWidget(facts)
        if shown.text:
            preview = QLabel(shown.text)
            preview.setObjectName("attachment_preview")
            preview.setTextFormat(Qt.TextFormat.PlainText)
            monospace = preview.font()
            monospace.setFamily("monospace")
            monospace.setStyleHint(monospace.StyleHint.Monospace)
            preview.setFont(monospace)
            preview.setStyleSheet(f"color: {palette.tone('muted').text}")
            words.addWidget(preview)
        words.addStretch(1)
        layout.addLayout(words, 1)


class AttachmentsPanel(QWidget):
    """The attachments of the ticket shown. ``bind`` gives it the worker and session
    (the main window does); until then it only lays out."""

    count_changed = Signal(int)
    attached = Signal(str)  # the ticket id whose files changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachments_panel")
        self.worker: Any = None
        self.network: Any = None
        self.session: Any = None
        self.opener: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self.ticket: dict[str, Any] | None = None
        self.shown: list[Shown] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.add_button = QPushButton(icon("new-attachment"), "Add files…")
        self.add_button.setObjectName("add_attachment")
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(icon("open-file"), "Open")
        self.open_button.clicked.connect(self.open_selected)
        self.save_button = QPushButton(icon("save-file"), "Save a copy…")
        self.save_button.clicked.connect(self.save_selected)
        for button in (self.add_button, self.open_button, self.save_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.hint = QLabel("Drop files on the ticket, or paste an image (Ctrl+V) here.")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.message = QLabel()
        self.message.setObjectName("attachment_message")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        self.list = QListWidget()
        self.list.setObjectName("attachment_list")
        self.list.setUniformItemSizes(False)
        self.list.itemActivated.connect(lambda _item: self.open_selected())
        self.list.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.list, 1)
        self.empty = QLabel("No files yet.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty)
        self._apply_tones()
        self.setAcceptDrops(True)
        self._selection_changed()

    def _apply_tones(self) -> None:
        muted = f"color: {palette.tone('muted').text}"
        self.hint.setStyleSheet(muted)
        self.empty.setStyleSheet(muted)
        # a chosen row keeps its muted lines readable: a tint, not the full highlight
        self.list.setStyleSheet("QListWidget::item:selected { background: "
                                f"{palette.tone('accent').fill}; }}")

    def changeEvent(self, event: QEvent) -> None:
        """A theme switch: the tones again (rows are redrawn with the ticket)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_tones()

    def bind(self, worker: Any, session: Any, network: Any = None) -> None:
        """Work through ``worker`` (the database's) as ``session`` from now on; files
        another desk added come down through ``network`` (default: ``worker``)."""
        self.worker, self.session = worker, session
        self.network = network or worker

    # --- showing ---------------------------------------------------------------------

    def show_ticket(self, data: dict[str, Any]) -> None:
        """Load the files of the ticket screen ``data`` (on the worker)."""
        changed = self.ticket is None or self.ticket["id"] != data["id"]
        self.ticket = {"id": data["id"], "number": data["number"], "status": data["status"]}
        self.add_button.setEnabled(data["status"] not in CLOSED)
        if changed:
            self._say(None)
        self.reload()

    def reload(self) -> None:
        if self.worker is None or self.ticket is None:
            return
        ticket_id = self.ticket["id"]
        self.worker.submit(lambda: load_shown(ticket_id),
                           lambda shown, t=ticket_id: self._arrived(t, shown), self._failed)

    def _arrived(self, ticket_id: str, shown: list[Shown]) -> None:
        if self.ticket is None or self.ticket["id"] != ticket_id:
            return  # another ticket was chosen meanwhile
        self.shown = shown
        self.list.clear()
        for each in shown:
            item = QListWidgetItem(self.list)
            item.setData(Qt.ItemDataRole.UserRole, each.info.id)
            item.setToolTip(f"{each.info.name}\n{each.info.content_type}\n"
                            f"SHA-256 {each.info.sha256}")
            row = AttachmentRow(each)
            item.setSizeHint(row.sizeHint())
            self.list.setItemWidget(item, row)
        self.list.setVisible(bool(shown))
        self.empty.setVisible(not shown)
        self.count_changed.emit(len(shown))
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)

    def selected(self) -> str | None:
        """The id of the chosen attachment."""
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _say(self, text: str | None, tone: str = "danger") -> None:
        self.message.setVisible(bool(text))
        self.message.setText(text or "")
        self.message.setStyleSheet(f"color: {palette.tone(tone).text}")

    def _failed(self, error: Exception) -> None:
        self._say(refusal_text(error))

    # --- adding ----------------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for files and attach them."""
        dialog = QFileDialog(self, "Attach files")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(self.add_files)
        dialog.open()

    def add_files(self, paths: list[str]) -> None:
        """Attach files by path to the ticket shown (all or none)."""
        if not paths or self.ticket is None or self.worker is None:
            return
        session, number = self.session, self.ticket["number"]
        files = [Path(p) for p in paths]
        self._say("Adding " + ", ".join(f.name for f in files) + "…", "muted")
        self.worker.submit(lambda: attachments.attach_files(session, number, files),
                           self._added, self._failed)

    def add_image(self, image: QImage) -> None:
        """Attach a pasted image as a PNG."""
        if image.isNull() or self.ticket is None or self.worker is None:
            return
        picture = image.copy()  # encoded on the worker: a big screenshot takes a while
        name = datetime.now().strftime("pasted image %Y-%m-%d %H.%M.%S.png")
        session, number = self.session, self.ticket["number"]
        self.worker.submit(lambda: attachments.attach_bytes(
            session, number, name, "image/png", png_bytes(picture), source="upload"),
                           self._added, self._failed)

    def _added(self, _result: Any) -> None:
        self._say(None)
        if self.ticket is not None:
            self.attached.emit(self.ticket["id"])
        self.reload()

    def keyPressEvent(self, event: Any) -> None:
        """Ctrl+V anywhere in the panel (the list passes it on) pastes."""
        if event.matches(QKeySequence.StandardKey.Paste):
            event.accept()
            self.paste()
            return
        super().keyPressEvent(event)

    def paste(self) -> None:
        """Ctrl+V: an image on the clipboard becomes a PNG; copied files are attached."""
        self.paste_mime(QGuiApplication.clipboard().mimeData())

    def paste_mime(self, mime: QMimeData | None) -> None:
        if mime is None:
            return
        if mime.hasImage():
            self.add_image(QImage(mime.imageData()))
        elif files := dropped_files(mime):
            self.add_files(files)
        else:
            self._say("The clipboard holds no image and no files to attach.", "muted")

    def accepts(self, mime: QMimeData) -> bool:
        """Whether a drag carries files this panel takes."""
        return self.ticket is not None and self.ticket["status"] not in CLOSED and \
            bool(dropped_files(mime))

    def dragEnterEvent(self, event: Any) -> None:
        if self.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        if self.accepts(event.mimeData()):
            event.acceptProposedAction()
            self.add_files(dropped_files(event.mimeData()))

    # --- opening ---------------------------------------------------------------------

    def open_selected(self) -> None:
        """Open the chosen file with the system viewer (fetched first when not here)."""
        chosen = self.selected()
        if chosen is None or self.worker is None:
            return
        self._say("Opening…", "muted")

        def opened(path: Path) -> None:
            self._say(None)
            self.opener(QUrl.fromLocalFile(str(path)))

        def copy() -> None:
            self.worker.submit(lambda: attachments.viewer_copy(chosen), opened, self._failed)

        def fetched(missing: MissingContent) -> None:
            self.worker.submit(lambda: attachments.content_fetched(missing),
                               lambda _none: (copy(), self.reload()), self._failed)

        def checked(missing: MissingContent | None) -> None:
            if missing is None:
                copy()
                return
            self._say(f"Fetching {missing.info.name} from the team database…", "muted")
            self.network.submit(lambda: attachments.download_content(missing),
                                lambda _none: fetched(missing), self._failed)

        self.worker.submit(lambda: attachments.missing_content(chosen), checked, self._failed)

    def save_selected(self) -> None:
        """Ask where, then save a copy of the chosen file."""
        chosen = self.selected()
        if chosen is None or self.worker is None:
            return
        name = next((s.info.name for s in self.shown if s.info.id == chosen), "")
        dialog = QFileDialog(self, "Save a copy", name)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda path: self.worker.submit(
            lambda: attachments.save_copy(chosen, path, force=True),
            lambda written: self._say(f"Saved {written}", "success"), self._failed))
        dialog.open()
