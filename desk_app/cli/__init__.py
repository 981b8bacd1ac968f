"""The command line: ``desk-app [--data-dir DIR] [--as LOGIN] COMMAND``.

Exit codes: 0 done, 2 refused input (the message names the field or rule), 1 a problem
of the machine around the desk (a read-only folder, a damaged database, a full disk: the
message says what to do) or a bug. A refused or failed command writes nothing.
"""

import logging
import os
import sys
from collections.abc import Sequence

from desk_app import paths
from desk_app.cli.output import plain
from desk_app.cli.window_arguments import window_arguments
from desk_app.core.errors import BatchRefused, EnvironmentProblem, Refused
from desk_app.logs import configure_logging, log_start, redact
from desk_app.storage.failures import environment_problem

log = logging.getLogger("desk_app.cli")

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    for position, argument in enumerate(arguments, 1):
        if _not_utf8(argument):
            return _refuse("arguments", f"argument {position} ({plain(_shown(argument))}) "
                           "is not valid UTF-8 text; check the terminal's or the "
                           "script's encoding")
    args = window_arguments(arguments)
    if args is None:  # a command (the window's start never builds the command tree)
        from desk_app.cli.parser import build_parser

        args = build_parser().parse_args(arguments)
    if args.data_dir is not None and not args.data_dir.strip():
        return _refuse("data_dir", "is empty; give a folder, or leave --data-dir out for "
                       "the default desk")
    for name in ("DESK_APP_DATA_DIR", "DESK_APP_TECHNICIAN"):
        value = os.environ.get(name)
        if value is None or (name == "DESK_APP_DATA_DIR" and args.data_dir is not None):
            continue
        if not value.strip():
            return _refuse(name, "is set but empty; unset it or give a value")
        if _not_utf8(value):
            return _refuse(name, f"({plain(_shown(value))}) is not valid UTF-8 text")
    configure_logging(verbose=args.verbose)
    command = args.handler.__name__.removeprefix("cmd_")
    log_start(command)
    try:
        return args.handler(args) or EXIT_OK
    except BatchRefused as refused:
        print(plain(f"desk-app: refused: {refused.field}: {len(refused.problems)} bad "
                    "record(s), nothing imported"), file=sys.stderr)
        for problem in refused.problems:
            print(plain(f"  {problem}"), file=sys.stderr)
        return EXIT_REFUSED
    except Refused as refused:
        return _refuse(refused.field, refused.message)
    except EnvironmentProblem as problem:
        return _environment(problem)
    except BrokenPipeError:  # the reader (| head) went away: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("desk-app: interrupted; nothing of the unfinished command was written",
              file=sys.stderr)
        return EXIT_ERROR
    except Exception as bug:  # a bug, not a person's mistake: show where it happened
        problem = environment_problem(bug, paths.data_dir(args.data_dir)
                                      / paths.DATABASE_FILE)
        if problem is not None:
            log.info("%s failed: %s", command, bug)
            return _environment(problem)
        # the traceback goes to the log file and the terminal (secrets masked in both)
        log.error("internal error in %s", command, exc_info=bug)
        print(f"desk-app: internal error: {redact(str(bug))}", file=sys.stderr)
        return EXIT_ERROR


def _refuse(field: str, message: str) -> int:
    print(plain(f"desk-app: refused: {field}: {message}"), file=sys.stderr)
    return EXIT_REFUSED


def _environment(problem: EnvironmentProblem) -> int:
    print(plain(f"desk-app: {problem.problem}"), file=sys.stderr)
    print(plain(f"  what to do: {problem.advice}"), file=sys.stderr)
    return EXIT_ERROR


def _not_utf8(argument: str) -> bool:
    """True for an argument the operating system gave as bytes that are not UTF-8
    (Python keeps them as lone surrogates, which nothing downstream can store)."""
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _shown(argument: str) -> str:
    shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return shown if len(shown) <= 40 else shown[:39] + "…"
