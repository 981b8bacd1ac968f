"""The KPI report as text for files: Markdown (the PDF is this Markdown through
``desk_app.app.write_pdf_document``; the dashboard's export adds charts to it) and CSV
tables."""

from datetime import datetime

from desk_app.services.kpi_dashboard import Dashboard
from desk_app.services.session import Session


def report_markdown(session: Session, since: datetime, until: datetime,
                    by: str | None = None) -> str:
    """The whole report for incidents logged in [since, until) as Markdown: a title with
    the period, the tiles (value, target, rating), trends by week and month, the
    breakdowns (only ``by``'s when given, one of ``BREAKDOWNS``), backlog by age and time
    spent."""
    raise NotImplementedError


def dashboard_markdown(data: Dashboard, title: str = "KPI report",
                       by: str | None = None) -> str:
    """:func:`report_markdown` for an already computed :class:`Dashboard`."""
    raise NotImplementedError


def report_tables(data: Dashboard, by: str | None = None) -> dict[str, list[list[str]]]:
    """Every table of the report as rows of cells (header row first), by table name:
    "tiles", "trend_week", "trend_month", "by_<breakdown>", "backlog",
    "time_by_technician", "time_by_group", "time_by_ticket"."""
    raise NotImplementedError


def tables_csv(tables: dict[str, list[list[str]]]) -> str:
    """The tables as one CSV text: per table a row ``# <name>``, its header and rows, and
    a blank line between tables."""
    raise NotImplementedError

