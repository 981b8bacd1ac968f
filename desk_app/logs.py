"""Where desk-app writes its log and how: one rotating file in the user log folder
(platformdirs, or DESK_APP_LOG_DIR), loggers named after the layer that writes
(``desk_app.storage…``, ``desk_app.sync…``, ``desk_app.services…``, ``desk_app.ui…``,
``desk_app.cli``), and warnings on the terminal.

What INFO records: starts, desks opened, activities by ticket number and field names,
syncs by counts. Never a password, and never what a ticket says: a secret that slips
into a message (a URL with a password, ``password=``) is masked by every handler.
"""

import logging
import logging.handlers
import os
import platform
import re
import sys
from pathlib import Path

import platformdirs

from desk_app import __version__
from desk_app.paths import APP_NAME, is_frozen

LOG_FILE = "desk-app.log"
MAX_BYTES = 1_000_000
BACKUPS = 5  # desk-app.log.1 … .5: at most 6 MB of logs
FILE_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
CONSOLE_FORMAT = "%(levelname)s %(name)s: %(message)s"

_SECRETS = (
    (re.compile(r"(://[^:/@\s]+:)[^@\s]+@"), r"\1***@"),
    (re.compile(r"(?i)\b(password|passwd|pwd)(\s*[=:]\s*)('[^']*'|\"[^\"]*\"|\S+)"),
     r"\1\2***"),
)


def log_dir() -> Path:
    """The folder of the log files: DESK_APP_LOG_DIR or the user log folder."""
    chosen = os.environ.get("DESK_APP_LOG_DIR")
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    """The current log file."""
    return log_dir() / LOG_FILE


def redact(text: str) -> str:
    """``text`` with passwords in URLs and ``password=…`` pairs masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats a record (traceback included), then masks secrets in the result."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def _ours(handler: logging.Handler) -> bool:
    return getattr(handler, "desk_app", False)


def configure_logging(verbose: bool = False, console: bool = True) -> Path | None:
    """Send desk-app's loggers to the rotating log file (INFO, or DEBUG when
    ``verbose``) and warnings to stderr. Safe to call again (handlers are replaced).
    Returns the log file, or None when its folder cannot be written (stderr only)."""
    root = logging.getLogger("desk_app")
    for handler in [h for h in root.handlers if _ours(h)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    path: Path | None = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES,
                                                       backupCount=BACKUPS, encoding="utf-8")
    except OSError as problem:
        to_file, path = None, None
        print(f"desk-app: cannot write the log in {log_dir()}: {problem}", file=sys.stderr)
    handlers: list[logging.Handler] = []
    if to_file is not None:
        to_file.setFormatter(RedactingFormatter(FILE_FORMAT))
        handlers.append(to_file)
    if console:
        to_console = logging.StreamHandler(sys.stderr)
        to_console.setLevel(logging.DEBUG if verbose else logging.WARNING)
        to_console.setFormatter(RedactingFormatter(CONSOLE_FORMAT))
        handlers.append(to_console)
    for handler in handlers:
        handler.desk_app = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    return path


def log_start(command: str) -> None:
    """One INFO line that says what started, on what."""
    logging.getLogger("desk_app").info(
        "desk-app %s %s (%s, Python %s, %s %s)", __version__, command,
        "bundle" if is_frozen() else "source", platform.python_version(), platform.system(),
        platform.release())
