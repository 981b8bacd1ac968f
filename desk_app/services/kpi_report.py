"""The KPI report as text for files: Markdown (the PDF is this Markdown through
``desk_app.app.write_pdf_document``; the dashboard's export adds charts to it) and CSV
tables. Every table comes from :func:`report_tables`, so the Markdown, the CSV and the
PDF show the same cells."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from desk_app.core.errors import InvalidValue
from desk_app.core.kpi_figures import Figure, Rating
from desk_app.core.labels import human_label
from desk_app.core.report_periods import MAX_PERIOD, MAX_PERIOD_YEARS
from desk_app.services.kpi_dashboard import (
    BREAKDOWNS,
    Dashboard,
    KpiRow,
    dashboard,
    first_logged,
)
from desk_app.services.session import Session

# (value key, column title, unit) of the KPI columns of trend and breakdown tables
KPI_COLUMNS = (("mttr_detection_hours", "MTTR from detection (h)", "hours"),
               ("mttr_logging_hours", "MTTR from logging (h)", "hours"),
               ("sla_compliance", "SLA compliance (%)", "percent"),
               ("first_contact_resolution", "First contact resolution (%)", "percent"),
               ("recurrence", "Recurrence (%)", "percent"),
               ("reopen_rate", "Reopen rate (%)", "percent"),
               ("satisfaction", "Satisfaction (%)", "percent"),
               ("resolved_by_knowledge", "Resolved by knowledge (%)", "percent"),
               ("mean_time_to_detect_hours", "Mean time to detect (h)", "hours"),
               ("time_spent_hours", "Time spent (h)", "hours"))
COUNT_COLUMNS = (("logged", "Logged"), ("open", "Open"), ("resolved", "Resolved"))
TITLES = {"priority": "Priority", "category": "Category", "service": "Service",
          "group": "Group", "technician": "Technician", "channel": "Channel"}
UNITS = {"percent": " %", "hours": " h", "minutes": " min", "count": "", "score": ""}


def report_markdown(session: Session, since: datetime, until: datetime,
                    by: str | None = None) -> str:
    """The whole report for incidents logged in [since, until) as Markdown: a title with
    the period, the tiles (value, target, rating), trends by week and month, the
    breakdowns (only ``by``'s when given, one of ``BREAKDOWNS``), backlog by age and time
    spent."""
    _check_by(by)
    return dashboard_markdown(dashboard(session, since, until), by=by)


def _check_by(by: str | None) -> None:
    if by is not None and by not in BREAKDOWNS:
        raise InvalidValue("by", f"cannot break down by {by!r}; choose from "
                           + ", ".join(BREAKDOWNS))


def _day(moment: datetime) -> str:
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M")


def period_text(data: Dashboard) -> str:
    """"2026-11-01 to 2026-11-30" (the last day the period includes)."""
    last = data.until - timedelta(days=1) if (data.until.hour, data.until.minute) == (0, 0) \
        else data.until
    return f"{_day(data.since)} to {_day(last)}"


def dashboard_markdown(data: Dashboard, title: str = "KPI report",
                       by: str | None = None) -> str:
    """:func:`report_markdown` for an already computed :class:`Dashboard`."""
    _check_by(by)
    tables = report_tables(data, by)
    parts = [f"# {title}", "",
             f"Incidents logged from {period_text(data)}; computed "
             f"{data.computed_at.strftime('%Y-%m-%d %H:%M')}.", ""]
    tables["tiles"] = [["KPI", "Value", "Target", "Rating", "Based on"]] + [
        [t.label, figure_text(t.value, t.unit), _target_text(t), rating_text(t),
         str(t.count)] for t in data.tiles]
    for name, rows in tables.items():
        parts += [f"## {TABLE_TITLES.get(name) or _breakdown_title(name)}", "",
                  _markdown_table(_readable(rows)), ""]
    return "\n".join(parts)


TABLE_TITLES = {"tiles": "Key figures", "trend_week": "Trend by week",
                "trend_month": "Trend by month", "backlog": "Open incidents by age",
                "time_by_technician": "Time spent by technician",
                "time_by_group": "Time spent by group",
                "time_by_ticket": "Tickets with the most time spent"}


# The columns a page has room for, with short titles (the CSV has them all).
SHORT_TITLES = {"Logged": "Logged", "Resolved": "Resolved", "MTTR from detection (h)": "MTTR h",
                "SLA compliance (%)": "SLA %", "First contact resolution (%)": "FCR %",
                "Recurrence (%)": "Recur. %", "Satisfaction (%)": "Satisf. %",
                "Time spent (h)": "Time h"}


def _readable(rows: list[list[str]]) -> list[list[str]]:
    """A KPI table narrowed to :data:`SHORT_TITLES` (others as they are); empty cells
    read "-"."""
    header = rows[0]
    if header[1:2] == ["Key"]:
        keep = [0] + [i for i, title in enumerate(header) if title in SHORT_TITLES]
        rows = [[header[0]] + [SHORT_TITLES[header[i]] for i in keep[1:]]] + \
            [[_short(row[i]) for i in keep] for row in rows[1:]]
    return [rows[0]] + [[cell or "-" for cell in row] for row in rows[1:]]


def _short(cell: str) -> str:
    """A number with one decimal at most (12.33 -> 12.3), other text as it is."""
    try:
        return plain_number(float(cell), 1)
    except ValueError:
        return cell


def _breakdown_title(name: str) -> str:
    return f"By {name.removeprefix('by_')}"


# Markdown's punctuation in a cell (a ticket summary comes from anyone): escaped, so a
# summary cannot become a link, an image read from a local file, or markup in the PDF.
_MARKUP = str.maketrans({c: "\\" + c for c in "\\`*_[]<|~&"})


def _cell(text: str) -> str:
    return " ".join(text.translate(_MARKUP).splitlines())


def _markdown_table(rows: list[list[str]]) -> str:
    header, *body = rows
    lines = ["| " + " | ".join(_cell(c) for c in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def figure_text(value: float | None, unit: str) -> str:
    """A value as a person reads it: "92.5 %", "4.25 h", "-" when not measured."""
    if value is None:
        return "-"
    if unit == "count":
        return f"{int(value)}"
    return f"{plain_number(value)}{UNITS.get(unit, '')}"


def plain_number(value: float, decimals: int = 2) -> str:
    """``value`` with at most ``decimals`` decimals and no trailing zeros, never in
    exponent notation (a million hours is "1112520.25", not "1.11252e+06")."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def rating_text(figure: Figure) -> str:
    """"Green", "Amber", "Red", or "" without a target."""
    rating = figure.rating()
    return "" if rating is Rating.NONE else human_label(rating.value)


def _number(value: float | None) -> str:
    return "" if value is None else plain_number(value)


def _kpi_table(rows: list[KpiRow], first: str) -> list[list[str]]:
    table = [[first, "Key", *(t for _, t in COUNT_COLUMNS), *(t for _, t, _ in KPI_COLUMNS)]]
    for row in rows:
        table.append([row.label, row.key, *(str(row.counts[k]) for k, _ in COUNT_COLUMNS),
                      *(_number(row.values[k]) for k, _, _ in KPI_COLUMNS)])
    return table


def report_tables(data: Dashboard, by: str | None = None) -> dict[str, list[list[str]]]:
    """Every table of the report as rows of cells (header row first), by table name:
    "tiles", "trend_week", "trend_month", "by_<breakdown>", "backlog",
    "time_by_technician", "time_by_group", "time_by_ticket". Numbers are plain (a
    spreadsheet reads them as numbers); the Markdown formats them."""
    _check_by(by)
    tables: dict[str, list[list[str]]] = {
        "tiles": [["KPI", "Key", "Value", "Unit", "Target", "Better", "Rating",
                   "Based on"]] + [
            [t.label, t.key, _number(t.value), t.unit, _number(t.target), t.direction.value,
             rating_text(t), str(t.count)] for t in data.tiles],
        "trend_week": _kpi_table(data.trends["week"], "Week"),
        "trend_month": _kpi_table(data.trends["month"], "Month"),
    }
    for dim in BREAKDOWNS if by is None else (by,):
        tables[f"by_{dim}"] = _kpi_table(data.breakdowns[dim], TITLES[dim])
    tables["backlog"] = [["Age", "Open incidents"]] + [
        [row.label, str(row.counts["open"])] for row in data.backlog]
    for name, first in (("technician", "Technician"), ("group", "Group"),
                        ("ticket", "Ticket")):
        tables[f"time_by_{name}"] = [[first, "Hours", "Entries"]] + [
            [row.label, _number(row.values["time_spent_hours"]), str(row.counts["entries"])]
            for row in data.time_spent[name]]
    return tables


def _target_text(figure: Figure) -> str:
    if figure.target is None:
        return ""
    sign = ">=" if figure.direction.value == "higher" else "<="
    return f"{sign} {figure_text(figure.target, figure.unit)}"


def tables_csv(tables: dict[str, list[list[str]]]) -> str:
    """The tables as one CSV text: per table a row ``# <name>``, its header and rows, and
    a blank line between tables."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for index, (name, rows) in enumerate(tables.items()):
        if index:
            out.write("\n")
        writer.writerow([f"# {name}"])
        writer.writerows(rows)
    return out.getvalue()


def local_period(session: Session, since: datetime | None,
                 until: datetime | None) -> tuple[datetime, datetime]:
    """The period a report covers when a bound is not given: until now, from the start
    of the day the first incident was logged (30 days when none was logged before the
    end)."""
    zone = ZoneInfo(session.policy.time_zone)
    end = until or session.now().astimezone(zone)
    if since is None:
        first = first_logged(session)
        midnight = dict(hour=0, minute=0, second=0, microsecond=0)
        since = first.astimezone(zone).replace(**midnight) if first else None
        if since is None or since >= end:  # nothing logged before the end: 30 days
            since = (end - timedelta(days=30)).replace(**midnight)
        elif end - since > MAX_PERIOD:
            raise InvalidValue("since", f"the first incident was logged on {since.date()}, "
                               f"more than {MAX_PERIOD_YEARS} years before the end of the "
                               "period; give --since")
    if since >= end:
        raise InvalidValue("since", "must be before --until" if until else
                           "must be before now (the end of the period without --until)")
    return since, end


def _row_dict(row: KpiRow) -> dict:
    return {"key": row.key, "label": row.label, "counts": dict(row.counts),
            "values": dict(row.values)}


def dashboard_dict(data: Dashboard, by: str | None = None) -> dict:
    """The dashboard as JSON types (rows without their ticket filters)."""
    _check_by(by)
    return {
        "period": {"since": data.since.isoformat(), "until": data.until.isoformat()},
        "computed_at": data.computed_at.isoformat(),
        "tiles": [{"key": t.key, "label": t.label, "value": t.value, "unit": t.unit,
                   "target": t.target, "rating": t.rating().value, "count": t.count}
                  for t in data.tiles],
        "totals": dict(data.totals),
        "trends": {grain: [_row_dict(r) for r in rows] for grain, rows in data.trends.items()},
        "breakdowns": {dim: [_row_dict(r) for r in rows]
                       for dim, rows in data.breakdowns.items() if by in (None, dim)},
        "backlog": [_row_dict(r) for r in data.backlog],
        "time_spent": {name: [_row_dict(r) for r in rows]
                       for name, rows in data.time_spent.items()},
    }


def tiles_text(data: Dashboard) -> list[str]:
    """One line per tile: "SLA compliance: 50 % (target >= 90 %, red) over 4"."""
    lines = []
    for tile in data.tiles:
        target, rating = _target_text(tile), rating_text(tile).lower()
        judged = f" (target {target}{', ' + rating if rating else ''})" if target else ""
        lines.append(f"{tile.label}: {figure_text(tile.value, tile.unit)}{judged} "
                     f"over {tile.count}")
    return lines


def table_text(rows: list[list[str]]) -> str:
    """A table as aligned plain text."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                     .rstrip() for row in rows)
