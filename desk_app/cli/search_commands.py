"""Handlers of search, suggest and solved (the diagnosis commands)."""

import argparse
from dataclasses import asdict

from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.labels import human_label
from desk_app.services.diagnosis import (
    Solution,
    suggest,
    suggest_for_ticket,
    suggestions_opened,
    this_solved_it,
)
from desk_app.services.lookup import ticket_by_number
from desk_app.services.search import Hit, search

FIX_CHARS = 160


def _print_hits(hits: list[Hit]) -> None:
    if not hits:
        print("(nothing found)")
    for hit in hits:
        status = f" [{human_label(hit.status)}]" if hit.status else ""
        print(f"{human_label(hit.kind):<12} {hit.label:<11} {plain(hit.title)}{status}")
        if hit.fix:
            fix = plain(hit.fix)
            print(f"{'':<12} fix: {fix[:FIX_CHARS]}{'…' if len(fix) > FIX_CHARS else ''}")


def cmd_search(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    hits = search(desk.session, args.text, kind=args.kind.replace("-", "_"),
                  limit=args.limit)
    print_json([hit.as_dict() for hit in hits]) if args.json else _print_hits(hits)


def cmd_suggest(args: argparse.Namespace) -> None:
    """Suggestions for a ticket (from its summary and symptoms, or --text); showing them
    ticks "Searched known errors" (a search that finds nothing is a search too)."""
    desk = desk_for(args)
    ticket = ticket_by_number(args.number)
    hits = (suggest(desk.session, args.text, exclude_ticket_id=ticket.id) if args.text
            else suggest_for_ticket(desk.session, args.number))
    ticked = suggestions_opened(desk.session, args.number)
    if args.json:
        print_json({"number": ticket.number, "suggestions": [h.as_dict() for h in hits],
                    "ticked_searched_known_errors": ticked})
        return
    _print_hits(hits)
    if ticked:
        print('(ticked "Searched known errors")')


def cmd_solved(args: argparse.Namespace) -> None:
    """Record what solved a ticket; print the text to use as resolution notes."""
    desk = desk_for(args)
    kind, ref = next((kind, getattr(args, kind)) for kind in ("article", "known_error", "ticket")
                     if getattr(args, kind))
    solution: Solution = this_solved_it(desk.session, args.number, kind, ref)
    if args.json:
        print_json(asdict(solution))
        return
    print(f"{solution.label} solved {ticket_by_number(args.number).number}"
          + ("" if solution.recorded else " (recorded before)"))
    if solution.text:
        print(f"Resolution text to use: {plain(solution.text, multiline=True)}")
