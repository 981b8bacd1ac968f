"""Handlers of ``desk-app problems`` (the known-error database) and ``desk-app problem``."""

import argparse

from desk_app.cli.output import plain, print_json, print_ticket
from desk_app.cli.ticket_commands import desk_for
from desk_app.services import problems
from desk_app.services.lookup import ticket_by_number
from desk_app.services.ticket_view import ticket_view


def cmd_problems(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    rows = problems.list_problems(desk.session, known_errors=args.known_errors)
    if args.json:
        print_json(rows)
        return
    for row in rows:
        print(plain(f"{row['number']}  {row['problem_status']:<13}  {row['incidents']:>3} inc  "
                    f"{row['summary']}"))
        if args.known_errors and row["workaround"]:
            print(plain(f"    workaround: {row['workaround']}"))
    kind = "known error" if args.known_errors else "problem"
    print(f"({len(rows)} {kind}{'s' if len(rows) != 1 else ''})")


def cmd_problem(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    session, number = desk.session, args.number
    said = []
    if args.known_error:
        problems.mark_known_error(session, number, workaround=args.workaround,
                                  root_cause=args.root_cause)
        said.append("known error")
    else:
        if args.root_cause is not None or args.workaround is not None:
            problems.describe_problem(session, number, root_cause=args.root_cause,
                                      workaround=args.workaround)
            said.append("described")
        if args.investigate:
            problems.investigate(session, number)
            said.append("investigating")
        elif args.fix is not None:
            _, incidents = problems.resolve_problem(session, number, args.fix,
                                                    resolve_incidents=not args.leave_incidents)
            said.append(f"resolved, with {len(incidents)} open incident(s)")
        elif args.close:
            problems.close_problem(session, number)
            said.append("closed")
    view = ticket_view(session, ticket_by_number(number))
    if args.json:
        print_json(view)
    elif said:
        print(plain(f"{view['number']}: " + ", ".join(said)))
    else:
        print_ticket(view)
