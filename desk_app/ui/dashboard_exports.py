"""The dashboard's Export menu: each table as CSV, the whole report as PDF (with its
charts) or as Markdown, for the period shown. Files are written from the figures
already computed: nothing is read from the database again."""

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton

from desk_app.core.errors import EnvironmentProblem, Refused
from desk_app.core.labels import human_label
from desk_app.services.kpi_report import dashboard_markdown, report_tables
from desk_app.services.report_files import write_report_file
from desk_app.ui.refusals import show_error

REPORT_TITLE = "KPI report"


def ask_save_path(parent: Any, title: str, suggested: str, kinds: str) -> str:
    """Ask where to save (a file dialog); "" when the person cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, kinds)
    return path




class DashboardExports:
    """The Export button of dashboard ``page``; ``ask_path`` is the file question
    (tests answer it themselves)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.ask_path = ask_save_path
        self.button = QToolButton()
        self.button.setObjectName("dashboard_export")
        self.button.setText("&Export")
        self.button.setToolTip("Each table as CSV, the report as PDF or Markdown")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)

    def _period_name(self) -> str:
        data = self.page.data
        return f"{data.since:%Y-%m-%d}_{data.until:%Y-%m-%d}" if data else "period"

    def _fill_menu(self) -> None:
        self.menu.clear()
        if self.page.data is None:
            return
        self.menu.addAction("Report as &PDF…", lambda: self._ask_and(
            self.export_pdf, "PDF (*.pdf)", ".pdf"))
        self.menu.addAction("Report as &Markdown…", lambda: self._ask_and(
            self.export_markdown, "Markdown (*.md)", ".md"))
        tables = self.menu.addMenu("Table as &CSV")
        for name in self.table_names():
            tables.addAction(human_label(name) + "…", lambda n=name: self._ask_and(
                lambda path: self.export_csv(n, path), "CSV (*.csv)", ".csv", n))

    def table_names(self) -> list[str]:
        """The tables of the period shown (empty before one is computed)."""
        return list(report_tables(self.page.data)) if self.page.data else []

    def _ask_and(self, write: Any, kinds: str, suffix: str, name: str = "kpi-report") -> None:
        path = self.ask_path(self.page, "Export", f"{name}_{self._period_name()}{suffix}",
                             kinds)
        if path:
            write(Path(path))

    def _done(self, path: Path) -> Path:
        self.page.status.setText(f"Saved {path.name}")
        return path

    def _write(self, path: Path, write: Callable[[Path], object]) -> Path | None:
        """Write through a scratch file beside ``path`` (a failed write leaves an earlier
        file intact); a folder, a device, a database (the desk's own!) or a place in the
        desk's data folder is refused before anything is written."""
        try:
            written = write_report_file(path, write)
        except Refused as refusal:
            show_error(self.page, "Export", EnvironmentProblem(
                f"{path} could not be written ({refusal.message})", "choose another file"))
            return None
        except EnvironmentProblem as problem:
            show_error(self.page, "Export", problem)
            return None
        return self._done(written)

    def export_csv(self, name: str, path: Path) -> Path | None:
        """Write table ``name`` of the period shown to ``path`` as CSV."""
        rows = report_tables(self.page.data)[name]

        def write(scratch: Path) -> None:
            with open(scratch, "w", newline="", encoding="utf-8") as file:
                csv.writer(file).writerows(rows)

        return self._write(path, write)

    def export_markdown(self, path: Path) -> Path | None:
        """Write the whole report of the period shown to ``path`` as Markdown."""
        text = dashboard_markdown(self.page.data, REPORT_TITLE)
        return self._write(path, lambda scratch: scratch.write_text(text, encoding="utf-8"))

    def export_pdf(self, path: Path) -> Path | None:
        """Write the whole report of the period shown, with its charts, to ``path``."""
        from desk_app.ui.report_pdf import write_report_pdf

        data = self.page.data
        markdown = dashboard_markdown(data, REPORT_TITLE)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return self._write(path, lambda scratch: write_report_pdf(
                data, markdown, scratch, REPORT_TITLE))
        finally:
            QGuiApplication.restoreOverrideCursor()
