"""The command line: ``desk-app [--data-dir DIR] [--as LOGIN] COMMAND``.

Exit codes: 0 done, 2 refused input (the message names the field or rule), 1 anything
else. A refused command writes nothing.
"""

import logging
import os
import sys
from collections.abc import Sequence

from desk_app.cli.parser import build_parser
from desk_app.core.errors import BatchRefused, Refused
from desk_app.logs import configure_logging, log_start, redact

log = logging.getLogger("desk_app.cli")

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose)
    command = args.handler.__name__.removeprefix("cmd_")
    log_start(command)
    try:
        return args.handler(args) or EXIT_OK
    except BatchRefused as refused:
        print(f"desk-app: refused: {refused.field}: {len(refused.problems)} bad record(s), "
              "nothing imported", file=sys.stderr)
        for problem in refused.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REFUSED
    except Refused as refused:
        print(f"desk-app: refused: {refused.field}: {refused.message}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:  # the reader (| head) went away: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open until exit)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("desk-app: interrupted; nothing of the unfinished command was written",
              file=sys.stderr)
        return EXIT_ERROR
    except Exception as bug:  # a bug, not a person's mistake: show where it happened
        # the traceback goes to the log file and the terminal (secrets masked in both)
        log.error("internal error in %s", command, exc_info=bug)
        print(f"desk-app: internal error: {redact(str(bug))}", file=sys.stderr)
        return EXIT_ERROR
