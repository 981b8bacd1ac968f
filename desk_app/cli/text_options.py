"""Long texts given on the command line: ``TEXT`` as it is, ``@FILE`` read from a file
(``@-``: standard input), ``@@TEXT`` the text ``@TEXT`` (a text that starts with @).
Shared by every command that takes a long text (knowledge articles, review sections,
major-incident updates and timeline entries)."""

import io
import sys
from pathlib import Path

from desk_app.core.errors import InvalidValue
from desk_app.core.validation import TEXT_MAX
from desk_app.services.input_files import open_input


def option_text(name: str, value: str | None, limit: int = TEXT_MAX) -> str | None:
    """An option's text; ``@FILE`` reads the file (``@-``: standard input), at most
    ``limit`` characters of UTF-8 text; ``@@TEXT`` is the text ``@TEXT``. Refusals name
    ``name``: a missing, unreadable, too long or binary file, a pipe nobody writes to."""
    if value is None or not value.startswith("@"):
        return value
    if value.startswith("@@"):
        return value[1:]
    source = value[1:]
    if not source:
        raise InvalidValue(name, "@ needs a file name (@FILE, or @- for standard input)")
    try:
        if source == "-":
            text = sys.stdin.read(limit + 1)
        else:
            binary = open_input(Path(source), "text file", field=name)
            with io.TextIOWrapper(binary, encoding="utf-8") as file:
                text = file.read(limit + 1)  # never all of /dev/zero or a huge file
    except FileNotFoundError:
        raise InvalidValue(name, f"cannot read {source}: no such file (a text that starts "
                           "with @ is written @@...)") from None
    except IsADirectoryError:
        raise InvalidValue(name, f"cannot read {source}: it is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InvalidValue(name, f"cannot read {source}: it is not UTF-8 text") from None
    except OSError as error:
        raise InvalidValue(name, f"cannot read {source}: {error.strerror or error}") from None
    if len(text) > limit:
        raise InvalidValue(name, f"{source} is longer than {limit} characters")
    if "\x00" in text:
        raise InvalidValue(name, f"cannot read {source}: it is not text (it holds NUL "
                           "bytes)")
    return text
