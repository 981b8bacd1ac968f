"""Handlers of ``desk-app problems`` (the known-error database) and ``desk-app problem``."""

import argparse

from desk_app.cli.output import plain, print_json, print_ticket
from desk_app.cli.ticket_commands import desk_for
from desk_app.core.labels import human_label
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
    step = ("known_error" if args.known_error else "investigating" if args.investigate
            else "resolved" if args.fix is not None else "closed" if args.close else None)
    before = problems.open_incidents(problems.problem_by_number(number)) \
        if step == "resolved" and not args.leave_incidents else []
    changes = args.root_cause is not None or args.workaround is not None or step
    if changes:
        problems.work_problem(session, number, root_cause=args.root_cause,
                              workaround=args.workaround, step=step, fix=args.fix,
                              resolve_incidents=not args.leave_incidents)
    view = ticket_view(session, ticket_by_number(number))
    if args.json:
        print_json(view)
    elif changes:
        said = human_label(view["problem_status"])
        if step == "resolved":
            said += ("; its open incidents are left as they are" if args.leave_incidents
                     else f"; {len(before)} open incident(s) resolved with the fix")
        print(plain(f"{view['number']}: {said}"))
    else:
        print_ticket(view)
