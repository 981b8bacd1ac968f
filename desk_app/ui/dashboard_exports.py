"""The dashboard's Export menu: each table as CSV, the whole report as PDF (with its
charts) or as Markdown, for the period shown. Files are written from the figures
already computed: nothing is read from the database again."""

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QToolButton

from desk_app.core.errors import EnvironmentProblem
from desk_app.core.labels import human_label
from desk_app.services.kpi_report import dashboard_markdown, report_tables
from desk_app.ui.refusals import show_error

REPORT_TITLE = "KPI report"


def ask_save_path(parent: Any, title: str, suggested: str, kinds: str) -> str:
    """Ask where to save (a file dialog); "" when the person cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, kinds)
    return path


def _unwritable(path: Path, error: OSError) -> EnvironmentProblem:
    return EnvironmentProblem(f"{path} could not be written ({error.strerror or error})",
                              "choose another folder or free some space")


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

    def export_csv(self, name: str, path: Path) -> Path | None:
        """Write table ``name`` of the period shown to ``path`` as CSV."""
        rows = report_tables(self.page.data)[name]
        try:
            with open(path, "w", newline="", encoding="utf-8") as file:
                csv.writer(file).writerows(rows)
        except OSError as error:
            show_error(self.page, "Export", _unwritable(path, error))
            return None
        return self._done(path)

    def export_markdown(self, path: Path) -> Path | None:
        """Write the whole report of the period shown to ``path`` as Markdown."""
        try:
            path.write_text(dashboard_markdown(self.page.data, REPORT_TITLE),
                            encoding="utf-8")
        except OSError as error:
            show_error(self.page, "Export", _unwritable(path, error))
            return None
        return self._done(path)

    def export_pdf(self, path: Path) -> Path | None:
        """Write the whole report of the period shown, with its charts, to ``path``."""
        from desk_app.ui.report_pdf import write_report_pdf

        data = self.page.data
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_report_pdf(data, dashboard_markdown(data, REPORT_TITLE), path,
                             REPORT_TITLE)
        except OSError as error:
            show_error(self.page, "Export", _unwritable(path, error))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        return self._done(path)
