"""The charts of the KPI dashboard and its PDF, made from a computed
:class:`~desk_app.services.kpi_dashboard.Dashboard` (plain data in, chart specs out)."""

from collections.abc import Sequence
from datetime import date

from desk_app.core.labels import human_label
from desk_app.services.kpi_dashboard import BREAKDOWNS, Dashboard, KpiRow
from desk_app.ui.charts import ChartSpec

TREND_TITLES = {"week": "Incidents and rates by week (from Monday)",
                "month": "Incidents and rates by month"}
BREAKDOWN_BARS = 12  # the largest rows a breakdown chart shows


def _bucket_label(row: KpiRow, grain: str) -> str:
    """A week by its Monday ("23 Nov": shorter than "2026-W48" under a bar)."""
    if grain == "week":
        try:
            return date.fromisoformat(row.key).strftime("%d %b")
        except ValueError:
            return row.label
    return row.label


def trend_chart(rows: Sequence[KpiRow], grain: str) -> ChartSpec:
    """Incidents logged per week (by its Monday) or month (bars) with SLA compliance,
    first contact resolution and satisfaction (lines, %)."""
    return ChartSpec(
        f"trend_{grain}", TREND_TITLES.get(grain, f"By {grain}"),
        [_bucket_label(row, grain) for row in rows],
        {"Logged": [row.counts.get("logged", 0) for row in rows]},
        {"SLA %": [row.values.get("sla_compliance") for row in rows],
         "First contact %": [row.values.get("first_contact_resolution") for row in rows],
         "Satisfaction %": [row.values.get("satisfaction") for row in rows]})


def breakdown_chart(rows: Sequence[KpiRow], by: str) -> ChartSpec:
    """Incidents logged per ``by`` (the largest rows) with SLA compliance (%)."""
    shown = list(rows)[:BREAKDOWN_BARS]
    return ChartSpec(
        f"by_{by}", f"Incidents by {human_label(by).lower()}",
        [row.label for row in shown],
        {"Logged": [row.counts.get("logged", 0) for row in shown]},
        {"SLA %": [row.values.get("sla_compliance") for row in shown]})


def backlog_chart(rows: Sequence[KpiRow]) -> ChartSpec:
    """Open incidents by age."""
    return ChartSpec("backlog", "Backlog by age", [row.label for row in rows],
                     {"Open incidents": [row.counts.get("open", 0) for row in rows]})


def dashboard_charts(data: Dashboard) -> dict[str, ChartSpec]:
    """Every chart of the report, by key: trend_week, trend_month, backlog, by_<x>."""
    charts = {f"trend_{grain}": trend_chart(rows, grain) for grain, rows in data.trends.items()}
    charts["backlog"] = backlog_chart(data.backlog)
    for by in BREAKDOWNS:
        if by in data.breakdowns:
            charts[f"by_{by}"] = breakdown_chart(data.breakdowns[by], by)
    return charts
