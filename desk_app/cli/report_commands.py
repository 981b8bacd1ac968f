"""``desk-app report``: the KPI report as text, JSON, CSV, Markdown or PDF."""

import argparse
import contextlib
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from desk_app.cli.arguments import given_text, parse_time
from desk_app.cli.output import plain
from desk_app.cli.ticket_commands import desk_for
from desk_app.cli.transfer_commands import print_report
from desk_app.core.errors import InvalidValue
from desk_app.services.kpi_dashboard import dashboard
from desk_app.services.kpi_report import (
    dashboard_dict,
    dashboard_markdown,
    local_period,
    report_tables,
    table_text,
    tables_csv,
    tiles_text,
)
from desk_app.services.report_files import report_target, write_report_file
from desk_app.services.reporting import report


def cmd_report(args: argparse.Namespace) -> None:
    chosen = args.format or ("json" if args.json else "text")
    if args.json and chosen != "json":
        raise InvalidValue("json", f"cannot be combined with --format {chosen}")
    out = given_text(args.out, "out")
    if chosen == "pdf" and not out:
        raise InvalidValue("out", "a PDF report needs --out FILE")
    desk = desk_for(args)
    session = desk.session
    zone = ZoneInfo(session.policy.time_zone)
    since, until = parse_time(args.since, "since", zone), parse_time(args.until, "until",
                                                                      zone)
    if out:
        report_target(Path(out))  # refused before anything is computed
    data = report(session, since, until) if chosen in ("text", "json") else None
    board = dashboard(session, *local_period(session, since, until))
    if chosen == "pdf":
        from desk_app.app import write_report_pdf

        markdown = dashboard_markdown(board, by=args.by)
        path = write_report_file(Path(out), lambda scratch: write_report_pdf(
            board, markdown, scratch, "KPI report"))
        print(f"wrote the report to {path}")
        return
    if chosen == "json":
        text = json.dumps({**data, "kpi": dashboard_dict(board, args.by)}, indent=2) + "\n"
    elif chosen == "text":
        text = _text(data, board, args.by)
    elif chosen == "csv":
        text = tables_csv(report_tables(board, args.by))
    else:
        text = dashboard_markdown(board, by=args.by)
    if out:
        path = write_report_file(Path(out), lambda scratch: scratch.write_text(
            text, encoding="utf-8"))
        print(f"wrote the report to {path}")
    else:  # ticket text comes from anyone: no escape sequence reaches the terminal
        print(text if chosen == "json" else plain(text, multiline=True), end="")


def _text(data: dict, board, by: str | None) -> str:
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        print_report(data)
    lines = [captured.getvalue().rstrip("\n"), "Against targets"]
    lines += [f"  {line}" for line in tiles_text(board)]
    if by:
        lines += [f"By {by}", table_text(report_tables(board, by)[f"by_{by}"])]
    return "\n".join(lines) + "\n"
