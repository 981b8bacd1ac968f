"""Handler of ``desk-app satisfaction``: the user's score and comment on an incident."""

import argparse

from desk_app.cli.output import plain, print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.services.satisfaction import record_satisfaction
from desk_app.services.ticket_view import ticket_view


def cmd_satisfaction(args: argparse.Namespace) -> None:
    desk = desk_for(args)
    ticket = record_satisfaction(desk.session, args.number, args.score, args.comment)
    if args.json:
        print_json(ticket_view(desk.session, ticket))
    else:
        comment = f" — {ticket.satisfaction_comment}" if ticket.satisfaction_comment else ""
        print(plain(f"{ticket.number}: satisfaction {ticket.satisfaction_score}/5{comment}"))
