"""``desk-app`` with global options only opens the window: those arguments are read
without building the command tree (and without importing what its choices need), so
the window's start does not pay for the commands."""

import argparse
from collections.abc import Sequence
from typing import Any


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """The options every command takes, before the command's name."""
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder of the local database (default: DESK_APP_DATA_DIR or "
                             "the user data folder)")
    parser.add_argument("--as", dest="as_login", metavar="TECHNICIAN",
                        help="act as this technician (default: DESK_APP_TECHNICIAN or your "
                             "login name)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    parser.add_argument("--exit-after-first-paint", action="store_true",
                        help=argparse.SUPPRESS)  # start-up benchmark of the window


def cmd_desktop(args: argparse.Namespace) -> Any:
    """The window (``desktop_commands.cmd_desktop``), imported when it runs."""
    from desk_app.cli.desktop_commands import cmd_desktop as run

    return run(args)


class _NotWindowOnly(Exception):
    pass


class _GlobalOnly(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        raise _NotWindowOnly(message)  # the full parser reports it, in its own words


def window_arguments(arguments: Sequence[str]) -> argparse.Namespace | None:
    """The parsed arguments when they only name global options (the window opens);
    None for a command, help, the version, or anything the full parser must judge."""
    if any(a in ("-h", "--help", "--version") or a == "--" for a in arguments):
        return None
    parser = _GlobalOnly(prog="desk-app", add_help=False, allow_abbrev=False)
    add_global_options(parser)
    parser.set_defaults(handler=cmd_desktop, json=False)
    try:
        args, rest = parser.parse_known_args(list(arguments))
    except _NotWindowOnly:
        return None
    return None if rest else args
