"""Handlers of ``backup`` and ``restore``."""

import argparse

from desk_app.cli.arguments import path_text
from desk_app.cli.output import print_json
from desk_app.cli.ticket_commands import desk_for
from desk_app.services import backups


def cmd_backup(args: argparse.Namespace) -> None:
    desk_for(args)
    written = backups.backup_desk(path_text(args.path))
    if args.json:
        print_json({"backup": str(written)})
    else:
        print(f"backed up the desk to {written}")


def cmd_restore(args: argparse.Namespace) -> None:
    restored = backups.restore_desk(path_text(args.path), args.data_dir)
    if args.json:
        print_json({"desk": str(restored.desk), "backup": str(restored.backup),
                    "kept_aside": str(restored.kept_aside) if restored.kept_aside else None,
                    "tickets": restored.tickets, "team_database": restored.team_database})
    else:
        print(restored.describe())
