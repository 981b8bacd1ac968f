"""Handlers of import, export, demo and report."""

import argparse
import sys
from pathlib import Path

from desk_app.cli.arguments import given_text, path_text
from desk_app.cli.output import print_json
from desk_app.cli.progress import ProgressBar
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.errors import InvalidValue
from desk_app.services.demo import remove_demo_tickets, write_demo_tickets
from desk_app.services.transfer.files import export_tickets, export_to_file, import_file


def cmd_import(args: argparse.Namespace) -> None:
    path = Path(path_text(args.file, "file"))
    date_format = given_text(args.date_format, "date_format")
    time_zone = given_text(args.time_zone, "time_zone")
    desk = desk_for(args)
    result = import_file(desk.session, path, args.format, skip_bad=args.skip_bad,
                         date_format=date_format, time_zone=time_zone)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print_json({"imported": result.imported, "articles": result.articles,
                    "format": result.format, "warnings": list(result.warnings),
                    "skipped": [str(problem) for problem in result.skipped]})
        return
    articles = f" and {result.articles} knowledge article(s)" if result.articles else ""
    print(f"imported {result.imported} ticket(s){articles}")
    if result.skipped:
        print(f"skipped {len(result.skipped)} bad record(s):", file=sys.stderr)
        for problem in result.skipped:
            print(f"  {problem}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> None:
    if args.json and not args.out:
        raise InvalidValue("json", "prints what an export to --out FILE wrote; without "
                           "--out the tickets themselves are printed (--format json)")
    desk = desk_for(args)
    if args.out:
        target = Path(args.out)
        count = export_to_file(desk.session, args.format, target)
        if args.json:
            print_json({"exported": count, "format": args.format, "file": str(target)})
        else:
            print(f"exported {count} ticket(s) to {target}", file=sys.stderr)
    else:
        export_tickets(desk.session, args.format, sys.stdout)


def cmd_demo(args: argparse.Namespace) -> None:
    if args.remove:
        removed = remove_demo_tickets(desk_for(args).session)
        print_json({"removed": removed}) if args.json \
            else print(f"removed {removed} demo ticket(s)")
        return
    if args.tickets < 1:
        raise InvalidValue("tickets", "must be at least 1")
    desk = desk_for(args)
    bar = ProgressBar(args.tickets, "demo")
    written = write_demo_tickets(desk.session, args.tickets, seed=args.seed, progress=bar)
    bar.finish()
    print_json({"written": written}) if args.json else print(f"wrote {written} demo ticket(s)")


def _pct(rate: dict) -> str:
    return "-" if rate["percent"] is None else f"{rate['percent']}% ({rate['count']}/{rate['of']})"


def _hours(figures: dict) -> str:
    if not figures["count"]:
        return "- (no resolved incidents)"
    return (f"mean {figures['mean_hours']}, median {figures['median_hours']} "
            f"over {figures['count']}")


def print_report(data: dict) -> None:
    """The report as text."""
    tickets = data["tickets"]
    print("Tickets")
    for key in ("by_status", "by_type", "by_priority"):
        print(f"  {key.replace('_', ' ')}: "
              + ", ".join(f"{k} {v}" for k, v in tickets[key].items()))
    mttr = data["mttr"]
    print("Mean time to resolve (hours, incidents)")
    for name, figures in [("overall", mttr["overall"]), *mttr["by_priority"].items()]:
        print(f"  {name}: {_hours(figures)}")
    print("SLA compliance (incidents)")
    print(f"  response: {_pct(data['sla']['response'])}")
    print(f"  resolution: {_pct(data['sla']['resolution'])}")
    print(f"First-contact resolution: {_pct(data['first_contact_resolution'])}")
    print(f"Reopen rate: {_pct(data['reopen_rate'])}")
    knowledge = data["resolved_by_knowledge"]
    print("Resolved by knowledge (an article or known error solved it): "
          + _pct({"percent": knowledge["knowledge_percent"],
                  "count": knowledge["by_knowledge"], "of": knowledge["resolved"]})
          + f"; by a past ticket's resolution: {knowledge['by_past_ticket']}")
    print("Open backlog by age: " + ", ".join(f"{k} {v}" for k, v in
                                              data["backlog_by_age"].items()))
    _print_majors(data["major_incidents"])


def _print_majors(figures: list[dict]) -> None:
    """The report's "major incidents" block."""
    print("Major incidents")
    for figure in figures:
        if figure["value"] is None:
            shown = "-"
        elif figure["unit"] == "percent":
            shown = f"{figure['value']}%"
        else:
            shown = f"{figure['value']} {figure['unit']}"
        target = "" if figure["target"] is None else \
            f", target {figure['target']}{'%' if figure['unit'] == 'percent' else ''}"
        print(f"  {figure['label']}: {shown} (over {figure['count']}{target})")
