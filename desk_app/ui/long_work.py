"""Import, export and demo data: long work with a progress dialog and a Cancel button.
A cancelled job rolls back (import, demo) or leaves no file behind (export)."""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from desk_app.services.session import Session
from desk_app.ui.deferred_modules import deferred
from desk_app.ui.refusals import show_error
from desk_app.ui.worker import BackgroundWorker, Job

if TYPE_CHECKING:  # imported when an import runs, not on the window's start path
    from desk_app.services.transfer.importer import ImportResult

files = deferred("desk_app.services.transfer.files")  # the file formats: on first import


class LongWork(QObject):
    """Starts long jobs; ``finished`` after one succeeded (the lists need a refresh)."""

    finished = Signal()
    started = Signal(object)  # the progress dialog, for tests

    def __init__(self, parent: QWidget, worker: BackgroundWorker, session: Session) -> None:
        super().__init__(parent)
        self._parent = parent
        self._worker = worker
        self._session = session

    def run(self, title: str, total: int, work: Any, done_text: Any) -> Job:
        """Run ``work(progress)`` with a progress dialog of ``total`` steps (0: unknown)."""
        dialog = QProgressDialog(title, "Cancel", 0, total, self._parent)
        dialog.setObjectName("progress_dialog")
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)

        def done(result: Any) -> None:
            dialog.close()
            QMessageBox.information(self._parent, title, done_text(result))
            self.finished.emit()

        def failed(error: Exception) -> None:
            dialog.close()
            show_error(self._parent, title, error)

        job = self._worker.submit_long(work, done, failed,
                                       lambda value: dialog.setValue(min(value, total)
                                                                     if total else 0))
        dialog.canceled.connect(job.cancel)
        self.started.emit(dialog)
        return job

    def demo(self, count: int | None = None) -> Job | None:
        """Add demo tickets (asks how many)."""
        if count is None:
            count, ok = QInputDialog.getInt(self._parent, "Demo tickets",
                                            "How many demo tickets?", 1000, 1, 2_000_000, 1000)
            if not ok:
                return None
        session = self._session
        from desk_app.services.demo import write_demo_tickets  # not on the start path

        return self.run("Adding demo tickets", count,
                        lambda progress: write_demo_tickets(session, count, progress=progress),
                        lambda written: f"{written:,} demo tickets added.")

    def import_file(self, path: str | None = None) -> Job | None:
        """Import a desk-app JSON/CSV or another tool's export (the formats of
        services/transfer/formats.py); the done message carries the import's warnings."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self._parent, "Import tickets", "",
                                                  "Exports (*.json *.csv *.xlsx);;All files (*)")
            if not path:
                return None
        session = self._session
        return self.run("Importing tickets", 0,
                        lambda progress: files.import_file(session, Path(path), progress=progress),
                        import_message)

    def export_file(self, path: str | None = None) -> Job | None:
        """Export every ticket as JSON (lossless) or CSV, by the file's extension."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self._parent, "Export tickets",
                                                  "tickets.json", "JSON (*.json);;CSV (*.csv)")
            if not path:
                return None
        fmt = "csv" if path.lower().endswith(".csv") else "json"
        session = self._session
        return self.run("Exporting tickets", 0,
                        lambda progress: files.export_to_file(session, fmt, Path(path), progress),
                        lambda count: f"Exported {count:,} tickets to {path}.")


def import_message(result: "ImportResult") -> str:
    """What an import brought, then its warnings, one per line."""
    articles = f" and {result.articles:,} knowledge articles" if result.articles else ""
    return (f"Imported {result.imported:,} tickets ({len(result.skipped):,} skipped)"
            f"{articles}." + "".join(f"\n{w[:1].upper()}{w[1:]}." for w in result.warnings))
